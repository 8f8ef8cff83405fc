"""bench/run's "apply under load": strata applies risky migrations to a seeded VRSS database
while `strata-load` (bench/strata-load.rs) runs the application's queries from N
connections, and each migration is reported against the same workload without one.

Per migration: application queries during it, their p50/p99/max latency, the longest time
an application query waited on a lock held or requested by strata (sampled every 10 ms
from pg_stat_activity / pg_blocking_pids), and application errors. The goal: no
application query waits longer than ddl_lock_timeout + 100 ms because of strata, and no
application errors, for every migration whose statements complete under the lock timeout;
a migration that holds its lock longer (a table rewrite, a validating scan) is named with
what it blocked.
"""

import json
import os
import shutil
import subprocess
import time

# (file name, what it is, up, down): appended to the VRSS project's last phase.
MIGRATIONS = [
    ("4901_posts_flag_with_default", "add a column with a default",
     "ALTER TABLE posts ADD COLUMN flagged boolean NOT NULL DEFAULT false;\n"
     "ALTER TABLE posts ADD COLUMN note text DEFAULT '';\n",
     "ALTER TABLE posts DROP COLUMN note;\nALTER TABLE posts DROP COLUMN flagged;\n"),
    ("4902_comments_index_plain", "add an index without CONCURRENTLY",
     "CREATE INDEX comments_created_plain ON comments (created_at);\n",
     "DROP INDEX comments_created_plain;\n"),
    ("4903_comments_index_concurrently", "add an index CONCURRENTLY",
     "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY comments_user_created ON comments (user_id, created_at);\n",
     "DROP INDEX comments_user_created;\n"),
    ("4904_interactions_fk", "add a foreign key (validated)",
     "ALTER TABLE post_interactions ADD CONSTRAINT post_interactions_post_fk2 FOREIGN KEY (post_id) REFERENCES posts (id);\n",
     "ALTER TABLE post_interactions DROP CONSTRAINT post_interactions_post_fk2;\n"),
    ("4905_posts_note_not_null", "SET NOT NULL",
     "ALTER TABLE posts ALTER COLUMN note SET NOT NULL;\n",
     "ALTER TABLE posts ALTER COLUMN note DROP NOT NULL;\n"),
    ("4906_comments_likes_bigint", "change a column's type (rewrites comments)",
     "ALTER TABLE comments ALTER COLUMN likes_count TYPE bigint;\n",
     "ALTER TABLE comments ALTER COLUMN likes_count TYPE integer;\n"),
]

DDL_LOCK_TIMEOUT_MS = 1000  # strata's default


def project(root, work):
    """A copy of the VRSS project with MIGRATIONS added to its last phase."""
    dest = os.path.join(work, "load-project")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for name in ("schema.toml", "checks.toml"):
        shutil.copy(os.path.join(root, name), dest)
    for name in ("migrations", "seeds"):
        shutil.copytree(os.path.join(root, name), os.path.join(dest, name))
    phase = os.path.join(dest, "migrations", "4_communication")
    for name, _, up, down in MIGRATIONS:
        with open(os.path.join(phase, name + ".up.sql"), "w") as f:
            f.write(up)
        with open(os.path.join(phase, name + ".down.sql"), "w") as f:
            f.write(down)
    return dest


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def stats(lines, start, end):
    """The application's queries that ran during [start, end] (ms since the epoch)."""
    qs = [q for q in lines if q["kind"] == "query" and q["t"] <= end and q["t"] + q["ms"] >= start]
    waits = [w["ms"] for w in lines if w["kind"] == "lockwait" and start <= w["t"] <= end + 50]
    ms = [q["ms"] for q in qs]
    return {
        "queries": len(qs),
        "p50": pct(ms, 50), "p99": pct(ms, 99), "max": max(ms) if ms else None,
        "lock_wait": max(waits) if waits else 0.0,
        "errors": sum(1 for q in qs if q["error"]),
        "error_sample": next((q["error"] for q in qs if q["error"]), None),
        "by_op": sorted({q["op"] for q in qs if q["ms"] > DDL_LOCK_TIMEOUT_MS + 100}),
    }


def run(strata, driver, url, root, work, scale, clients, baseline_s, gap_s, env, log):
    """Seeds, runs the workload, applies each migration; returns (rows, markdown)."""
    proj = project(root, work)
    penv = dict(env, DATABASE_URL=url, STRATA_PROJECT=proj)
    # VRSS applied and seeded as the project is (seed wants nothing pending), then the
    # migrations of this benchmark from the copy.
    venv = dict(env, DATABASE_URL=url, STRATA_PROJECT=root)
    subprocess.run([strata, "apply"], env=venv, check=True, capture_output=True)
    log(f"seeding at --scale {scale}")
    subprocess.run([strata, "seed", "--profile", "load", "--scale", str(scale)], env=venv, check=True,
                   capture_output=True)
    out = os.path.join(work, "load.jsonl")
    load = subprocess.Popen([driver, "--clients", str(clients), "--out", out],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(env, DATABASE_URL=url))
    windows = []
    try:
        time.sleep(1.0)  # connections up
        t0 = time.time() * 1000
        time.sleep(baseline_s)
        windows.append(("baseline", "the same workload, no migration", t0, time.time() * 1000, 0, ""))
        for name, what, _, _ in MIGRATIONS:
            version = name.split("_", 1)[0]
            start = time.time() * 1000
            r = subprocess.run([strata, "apply", "--to", version], env=penv, capture_output=True, text=True)
            end = time.time() * 1000
            retries = r.stderr.count("retry ")
            windows.append((name, what, start, end, r.returncode, retries))
            log(f"{name}: exit {r.returncode} in {(end - start) / 1000:.2f} s, {retries} retries")
            if r.returncode != 0:
                log(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "")
            time.sleep(gap_s)
    finally:
        load.stdin.close()
        load.wait(timeout=120)
    if load.returncode != 0:
        raise RuntimeError(f"strata-load failed: {load.stderr.read().decode(errors='replace')}")
    with open(out) as f:
        lines = [json.loads(l) for l in f if l.strip()]
    rows = []
    for name, what, start, end, code, retries in windows:
        s = stats(lines, start, end)
        s.update(name=name, what=what, seconds=(end - start) / 1000, exit=code, retries=retries)
        rows.append(s)
    return rows, markdown(rows, scale, clients)


def fmt(x):
    return "—" if x is None else f"{x:.1f}"


def markdown(rows, scale, clients):
    lines = [f"**Apply under load** (VRSS seeded at --scale {scale}; {clients} application connections: "
             "feed reads, likes, comments, follows; strata's defaults: ddl_lock_timeout 1 s, retried)", "",
             "| migration | strata | app queries | p50 ms | p99 ms | max ms | longest wait on strata's locks, ms | app errors | within 1 s + 100 ms |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        if r["name"] == "baseline":
            strata = "—"
            verdict = ""
        else:
            strata = f"{r['seconds']:.2f} s" + (f", {r['retries']} retries" if r["retries"] else "") + \
                ("" if r["exit"] == 0 else f", exit {r['exit']}")
            ok = r["lock_wait"] <= DDL_LOCK_TIMEOUT_MS + 100 and r["errors"] == 0
            verdict = "yes" if ok else "no: held its lock longer, blocking " + (", ".join(r["by_op"]) or "queries")
        lines.append(f"| {r['name']} ({r['what']}) | {strata} | {r['queries']} | {fmt(r['p50'])} | {fmt(r['p99'])} | "
                     f"{fmt(r['max'])} | {fmt(r['lock_wait'])} | {r['errors']} | {verdict} |")
    return "\n".join(lines)
