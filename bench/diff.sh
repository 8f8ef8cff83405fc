#!/usr/bin/env bash
# Benchmark of `strata diff` against migra and pg_dump --schema-only (see bench/diff.py).
# Builds the release binary, installs migra into bench/.venv (PyPI) on first use, starts a
# throwaway PostgreSQL server with strata's launcher and prints a Markdown table.
#   RUNS=5 SIZES=300,1000 bench/diff.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
if [ ! -x bench/.venv/bin/migra ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet migra psycopg2-binary 'sqlalchemy<2'
fi
exec python3 bench/diff.py
