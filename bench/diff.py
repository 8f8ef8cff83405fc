#!/usr/bin/env python3
"""Benchmark of `strata diff` (run by bench/diff.sh, which prepares the venv).

Starts a throwaway PostgreSQL server with strata's own launcher (`strata local start` on a
temporary project under bench/.work), builds pairs of databases with N tables each (8
columns, 2 indexes, a check and a foreign key per table; about 10% of the objects changed
in B), then times, as medians over RUNS runs:

  * strata diff --from A --to B
  * migra A B (from PyPI, in bench/.venv)
  * pg_dump --schema-only of A and of B, plus a text diff of the two dumps
  * strata diff of the applied VRSS project (scratch database build included)

Prints a Markdown table; nothing is sent anywhere but the local server.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STRATA = os.path.join(ROOT, "target", "release", "strata")
MIGRA = os.path.join(ROOT, "bench", ".venv", "bin", "migra")
RUNS = int(os.environ.get("RUNS", "5"))
SIZES = [int(s) for s in os.environ.get("SIZES", "300,1000").split(",")]


def schema(n, changed):
    """SQL for n tables; with changed=True about 10% of the objects differ."""
    out = []
    for i in range(n):
        c = changed and i % 10 == 0
        ref = f"t{i - 1}" if i > 0 else None
        cols = [
            "id bigint PRIMARY KEY",
            f"code varchar({64 if c else 32}) NOT NULL",
            "name text",
            "qty integer NOT NULL DEFAULT 0" if not c else "qty integer NOT NULL DEFAULT 1",
            "price numeric(10,2)",
            "created_at timestamptz NOT NULL DEFAULT now()",
            "flag boolean",
            f"parent_id bigint{' REFERENCES ' + ref + '(id)' if ref else ''}",
        ]
        if c:
            cols.append("extra text")
        check = "CHECK (qty >= 0)" if not c else "CHECK (qty > 0)"
        out.append(f"CREATE TABLE t{i} ({', '.join(cols)}, {check});")
        out.append(f"CREATE INDEX t{i}_code ON t{i} (code);")
        if c:
            out.append(f"CREATE INDEX t{i}_created ON t{i} (created_at DESC, id);")
        else:
            out.append(f"CREATE INDEX t{i}_created ON t{i} (created_at);")
    return "\n".join(out)


def run(cmd, env=None, check=True, **kw):
    return subprocess.run(cmd, env=env, check=check, capture_output=True, text=True, **kw)


def median_time(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    work = os.path.join(ROOT, "bench", ".work")
    os.makedirs(work, exist_ok=True)
    project = tempfile.mkdtemp(prefix="project-", dir=work)
    with open(os.path.join(project, "schema.toml"), "w") as f:
        f.write('[project]\nname = "bench"\ndescription = "benchmark"\n\n[[phases]]\nname = "one"\ndescription = "one"\n')
    os.makedirs(os.path.join(project, "migrations", "1_one"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    run([STRATA, "--project", project, "local", "start"], env=env)
    url = run([STRATA, "--project", project, "local", "url"], env=env).stdout.strip()
    base = url.rsplit("/", 1)[0]  # postgres://postgres@/bench?host=... -> split below
    # URL form: postgres://postgres@/bench?host=DIR[&port=N]
    dbname_and_query = url.split("@/", 1)[1]
    query = dbname_and_query.split("?", 1)[1]
    host = dict(p.split("=", 1) for p in query.split("&"))["host"]
    port = dict(p.split("=", 1) for p in query.split("&")).get("port", "5432")

    def db_url(name):
        return f"postgres://postgres@/{name}?host={host}&port={port}"

    def psql(db, sql):
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", "postgres", "-d", db],
            input=sql)

    rows = []
    try:
        for n in SIZES:
            a, b = f"bench_a_{n}", f"bench_b_{n}"
            for name, changed in [(a, False), (b, True)]:
                psql("postgres", f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};")
                psql(name, schema(n, changed))
            strata_cmd = [STRATA, "diff", "--from", db_url(a), "--to", db_url(b)]
            probe = run(strata_cmd + ["--json"], env=env, check=False)
            assert probe.returncode == 2, probe.stderr
            t_strata = median_time(lambda: run(strata_cmd, env=env, check=False))
            migra_a = f"postgresql+psycopg2://postgres@/{a}?host={host}&port={port}"
            migra_b = f"postgresql+psycopg2://postgres@/{b}?host={host}&port={port}"
            t_migra = None
            if os.path.exists(MIGRA):
                m = run([MIGRA, "--unsafe", migra_a, migra_b], env=env, check=False)
                if m.returncode in (0, 2):
                    t_migra = median_time(lambda: run([MIGRA, "--unsafe", migra_a, migra_b], env=env, check=False))
                else:
                    print(f"migra failed: {m.stderr[-500:]}", file=sys.stderr)

            def dumps():
                da = run(["pg_dump", "--schema-only", "-h", host, "-p", port, "-U", "postgres", a]).stdout
                db = run(["pg_dump", "--schema-only", "-h", host, "-p", port, "-U", "postgres", b]).stdout
                fa, fb = os.path.join(work, "a.sql"), os.path.join(work, "b.sql")
                with open(fa, "w") as f:
                    f.write(da)
                with open(fb, "w") as f:
                    f.write(db)
                run(["diff", "-u", fa, fb], check=False)

            t_dump = median_time(dumps)
            rows.append((n, t_strata, t_migra, t_dump))
            for name in (a, b):
                psql("postgres", f"DROP DATABASE {name};")

        # VRSS: the embedded project applied to a database, then diff (scratch build included).
        psql("postgres", "DROP DATABASE IF EXISTS bench_vrss; CREATE DATABASE bench_vrss;")
        venv = dict(env, DATABASE_URL=db_url("bench_vrss"))
        run([STRATA, "apply"], env=venv)
        check = run([STRATA, "diff"], env=venv, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        t_vrss = median_time(lambda: run([STRATA, "diff"], env=venv, check=False))
        t_vrss_snapshot = median_time(lambda: run([STRATA, "diff", "--snapshot"], env=venv, check=False))
        psql("postgres", "DROP DATABASE bench_vrss;")
    finally:
        run([STRATA, "--project", project, "local", "destroy", "--yes"], env=env, check=False)
        shutil.rmtree(project, ignore_errors=True)

    print(f"| tables | strata diff --from/--to | migra | pg_dump x2 + diff | migra / strata | pg_dump / strata |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, s, m, d in rows:
        ms = f"{m:.3f} s" if m else "n/a"
        ratio = f"{m / s:.1f}x" if m else "n/a"
        print(f"| {n} | {s:.3f} s | {ms} | {d:.3f} s | {ratio} | {d / s:.1f}x |")
    print()
    print(f"VRSS `strata diff` (49 migrations applied to a scratch database, both sides read, compared): {t_vrss:.3f} s")
    print(f"VRSS `strata diff --snapshot`: {t_vrss_snapshot:.3f} s")
    print(f"(medians over {RUNS} runs)")


if __name__ == "__main__":
    main()
