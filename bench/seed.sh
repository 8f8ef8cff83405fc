#!/usr/bin/env bash
# Seed benchmark (issue "seed"): rows/s of `strata seed --profile load` against
#   - the physical limit: COPY FROM of the same rows, pre-written to files, through psql \copy
#     (same transaction shape: triggers off, the same recompute SQL, triggers on);
#   - row-at-a-time INSERT, one statement and one commit per row (what an ORM seed script
#     such as the strategy's Prisma seed.ts does), on a sample of the same rows;
# and strata's peak RSS at --scale 1 (with SCALE1=1).
# Medians of RUNS runs, measured alternately. Runs by hand; not part of .ci/run.
#   bench/seed.sh                 # scale 0.1, 5 runs
#   SCALE=0.01 RUNS=3 bench/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-0.1}
RUNS=${RUNS:-5}
INSERT_SAMPLE=${INSERT_SAMPLE:-20000}
WORK=$(mktemp -d /tmp/strata-bench-seed.XXXXXX)
chmod 755 "$WORK"
cargo build --release -q
STRATA=$PWD/target/release/strata
PROJECT=$WORK/project
mkdir -p "$PROJECT"
cp -r schema.toml migrations seeds "$PROJECT"/
chmod -R a+rX "$WORK"
trap '"$STRATA" --project "$PROJECT" local destroy --yes >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$STRATA" --project "$PROJECT" local start >/dev/null
SOCK=$("$STRATA" --project "$PROJECT" --json local status | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["socket_dir"])')
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -h "$SOCK" -U postgres -v ON_ERROR_STOP=1)

fresh() { # fresh database $1 with the schema applied
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  DATABASE_URL="postgres://postgres@/$1?host=$SOCK" "$STRATA" apply >/dev/null 2>&1
}
now() { python3 -c 'import time; print(time.time())'; }

# The rows, once: seed, then write every table to a file in COPY's text format.
fresh bench_src
DATABASE_URL="postgres://postgres@/bench_src?host=$SOCK" "$STRATA" seed --profile load --scale "$SCALE" >/dev/null 2>&1
TABLES=$("${PSQL[@]}" -d bench_src -Atc "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'friendships', 'subscription_tiers')")
ROWS=$("${PSQL[@]}" -d bench_src -Atc "SELECT $(for t in $TABLES; do printf "(SELECT count(*) FROM %s) + " "$t"; done) 0")
mkdir -p "$WORK/data"
chmod 777 "$WORK/data"
for t in $TABLES; do "${PSQL[@]}" -d bench_src -c "\\copy $t TO '$WORK/data/$t.copy'"; done
# Load order = the seed's order (foreign keys).
ORDER="users user_profiles storage_usage sessions verification_tokens posts post_media pending_uploads user_follows post_interactions comments reposts profile_sections section_content custom_feeds feed_filters user_lists list_members conversations messages notifications user_subscriptions"
{
  echo "BEGIN;"
  cat seeds/reference.sql
  for t in $ORDER; do echo "ALTER TABLE $t DISABLE TRIGGER USER;"; done
  for t in $ORDER; do echo "\\copy $t FROM '$WORK/data/$t.copy'"; done
  cat seeds/recompute.sql
  for t in $ORDER; do echo "ALTER TABLE $t ENABLE TRIGGER USER;"; done
  cat seeds/pin_timestamps.sql
  echo "COMMIT;"
} > "$WORK/copy.sql"

strata_times=(); copy_times=()
for i in $(seq "$RUNS"); do
  fresh bench_a
  t0=$(now); DATABASE_URL="postgres://postgres@/bench_a?host=$SOCK" "$STRATA" seed --profile load --scale "$SCALE" >/dev/null 2>&1; t1=$(now)
  strata_times+=("$(python3 -c "print($t1 - $t0)")")
  fresh bench_b
  t0=$(now); "${PSQL[@]}" -d bench_b -f "$WORK/copy.sql" >/dev/null; t1=$(now)
  copy_times+=("$(python3 -c "print($t1 - $t0)")")
done

# Row-at-a-time INSERT on a sample: one INSERT and one commit per row, triggers on.
fresh bench_c
"${PSQL[@]}" -d bench_c -f seeds/reference.sql >/dev/null
pg_dump -h "$SOCK" -U postgres --data-only --inserts --rows-per-insert=1 $(for t in $ORDER; do printf -- "-t %s " "$t"; done) bench_src \
  2>/dev/null > "$WORK/dump.sql"
python3 - "$WORK/dump.sql" "$INSERT_SAMPLE" > "$WORK/inserts.sql" <<'PY'
import sys
# The first N complete INSERT statements (values may span lines; quotes stay balanced).
path, limit = sys.argv[1], int(sys.argv[2])
out, stmt, n = [], [], 0
for line in open(path, encoding="utf-8"):
    if not stmt and not line.startswith("INSERT"):
        continue
    stmt.append(line)
    text = "".join(stmt)
    if text.rstrip().endswith(");") and text.count("'") % 2 == 0:
        out.append(text); stmt = []; n += 1
        if n == limit:
            break
sys.stdout.write("".join(out))
PY
SAMPLE=$(grep -c '^INSERT' "$WORK/inserts.sql")
t0=$(now); "${PSQL[@]}" -d bench_c -f "$WORK/inserts.sql" >/dev/null; t1=$(now)
insert_time=$(python3 -c "print($t1 - $t0)")

python3 - "$ROWS" "$SAMPLE" "$insert_time" "${strata_times[*]}" "${copy_times[*]}" <<'PY'
import statistics, sys
rows, sample, ins = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
s = [float(x) for x in sys.argv[4].split()]
c = [float(x) for x in sys.argv[5].split()]
ms, mc = statistics.median(s), statistics.median(c)
print(f"rows per run: {rows}")
print(f"strata seed --profile load   median {ms:7.2f} s   {rows/ms:10.0f} rows/s   runs {['%.2f' % x for x in s]}")
print(f"psql \\copy (the limit)       median {mc:7.2f} s   {rows/mc:10.0f} rows/s   runs {['%.2f' % x for x in c]}")
print(f"row-at-a-time INSERT sample  {ins:7.2f} s for {sample} rows   {sample/ins:10.0f} rows/s")
print(f"strata / limit time ratio: {ms/mc:.2f}   strata / row-at-a-time speed: {(rows/ms)/(sample/ins):.1f}x")
PY

if [ "${SCALE1:-0}" = 1 ]; then
  fresh bench_rss
  /usr/bin/time -f "scale 1: %e s wall, peak RSS %M KB" env DATABASE_URL="postgres://postgres@/bench_rss?host=$SOCK" "$STRATA" seed --profile load --scale 1 2>&1 >/dev/null | tail -1
fi
