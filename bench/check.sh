#!/usr/bin/env bash
# Check benchmark (issue "check"): wall time of `strata check` on a database seeded with
# `strata seed --profile load --scale $SCALE` (default 1), against the same check queries
# run one after another through psql (the sequential baseline). Medians of RUNS runs,
# measured alternately. Runs by hand; not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1}
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/strata-bench-check.XXXXXX)
chmod 755 "$WORK"
cargo build --release -q
STRATA=$PWD/target/release/strata
PROJECT=$WORK/project
mkdir -p "$PROJECT"
cp -r schema.toml checks.toml migrations seeds "$PROJECT"/
chmod -R a+rX "$WORK"
trap '"$STRATA" --project "$PROJECT" local destroy --yes >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
export PGOPTIONS="-c client_min_messages=warning"
"$STRATA" --project "$PROJECT" local start >/dev/null
SOCK=$("$STRATA" --project "$PROJECT" --json local status | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["socket_dir"])')
export DATABASE_URL="postgres://postgres@/bench?host=$SOCK"
psql -X -q -h "$SOCK" -U postgres -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
"$STRATA" apply >/dev/null 2>&1
t0=$(date +%s.%N)
"$STRATA" seed --profile load --scale "$SCALE" >/dev/null 2>&1
t1=$(date +%s.%N)
psql -X -q -h "$SOCK" -U postgres -d bench -c "VACUUM ANALYZE" >/dev/null
ROWS=$(psql -X -At -h "$SOCK" -U postgres -d bench -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
# The same queries strata runs, wrapped the same way, one after another.
"$STRATA" check --list --json | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    sql = c["sql"].strip().rstrip(";")
    print("BEGIN READ ONLY;")
    print(f"WITH violations AS MATERIALIZED ({sql}) SELECT (SELECT count(*) FROM violations), (SELECT string_agg(s.v, chr(31)) FROM (SELECT violations::text AS v FROM violations LIMIT 5) s);")
    print("COMMIT;")
' > "$WORK/sequential.sql"
CHECKS=$(grep -c '^WITH' "$WORK/sequential.sql")
s=(); q=()
for i in $(seq "$RUNS"); do
  a=$(date +%s.%N); "$STRATA" check --json ${JOBS:+--jobs $JOBS} > "${CHECK_JSON:-/dev/null}" 2>/dev/null || true; b=$(date +%s.%N)
  s+=("$(echo "$b - $a" | bc)")
  a=$(date +%s.%N); psql -X -q -h "$SOCK" -U postgres -d bench -f "$WORK/sequential.sql" >/dev/null; b=$(date +%s.%N)
  q+=("$(echo "$b - $a" | bc)")
done
python3 - "$SCALE" "$ROWS" "$CHECKS" "$(echo "$t1 - $t0" | bc)" "${s[*]}" "${q[*]}" <<'PY'
import statistics, sys
scale, rows, checks, seed_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
s = [float(x) for x in sys.argv[5].split()]
q = [float(x) for x in sys.argv[6].split()]
ms, mq = statistics.median(s), statistics.median(q)
print(f"database: seed --profile load --scale {scale}: {rows} rows (seeded in {seed_s:.1f} s); {checks} checks")
print(f"strata check (parallel)      median {ms:6.2f} s   runs {['%.2f' % x for x in s]}")
print(f"psql, one after another      median {mq:6.2f} s   runs {['%.2f' % x for x in q]}")
print(f"strata / sequential: {ms/mq:.2f}")
PY
