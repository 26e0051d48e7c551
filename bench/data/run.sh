#!/usr/bin/env bash
# Indicator data benchmark (issue 5): importing one million ILOSTAT bulk-CSV observations into
# SQLite and into PostgreSQL with `tripart import data`, beside DuckDB's read_csv of the same
# file into a DuckDB table, in the same run; then the latency of the ASEAN figure
# (/api/v1/data?ref_area=X84) under wrk, on the SQLite database just loaded.
#
#   bench/data/run.sh            # N=200000 bench/data/run.sh for a quick run
#
# Needs: python3, PostgreSQL at 127.0.0.1:5432 (trust auth), psql, wrk (Debian packages).
# Installs DuckDB into bench/data/.venv; writes the data under bench/data/work (both gitignored).
set -euo pipefail
cd "$(dirname "$0")"
HERE="$(pwd)"
N="${N:-1000000}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
for tool in psql wrk curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install postgresql-client wrk curl)" >&2; exit 1; }
done
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q duckdb==2.0.0

WORK="$HERE/work"
mkdir -p "$WORK"
CSV="$WORK/obs-$N.csv"
[ -f "$CSV" ] || python3 generate.py "$CSV" "$N"

# TRIPART_BIN: a release binary already built (otherwise the repository's is built here).
if [ -n "${TRIPART_BIN:-}" ]; then
  BIN="$TRIPART_BIN"
else
  TARGET="$(cd ../.. && realpath "${CARGO_TARGET_DIR:-target}")"
  (cd ../.. && cargo build --release --quiet -p tripart)
  BIN="$TARGET/release/tripart"
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "data: $N observations, $(du -h "$CSV" | cut -f1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)"


# SQLite: a fresh database, migrated and seeded first (not timed).
DB="$WORK/bench.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" --database-url "sqlite://$DB" seed >/dev/null 2>&1
# The import's own time (reading, checking, storing revisions), as the command reports it; the
# validation and publication that follow are reported apart.
imported() { awk '/^imported in/ {print $3}' "$1"; }
published() { awk '/^validated and published in/ {print $5}' "$1"; }
"$BIN" --database-url "sqlite://$DB" import data "$CSV" --publish "benchmark" 2>"$WORK/sqlite.log"
sqlite_s=$(imported "$WORK/sqlite.log"); sqlite_pub=$(published "$WORK/sqlite.log")

# PostgreSQL: a fresh database.
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS tripart_bench" -c "CREATE DATABASE tripart_bench" >/dev/null
"$BIN" --database-url "$PG/tripart_bench" seed >/dev/null 2>&1
"$BIN" --database-url "$PG/tripart_bench" import data "$CSV" --publish "benchmark" 2>"$WORK/pg.log"
pg_s=$(imported "$WORK/pg.log"); pg_pub=$(published "$WORK/pg.log")

# DuckDB: read_csv of the same file into a table of a DuckDB database file.
duck_s=$(.venv/bin/python - "$CSV" "$WORK/bench.duckdb" <<'PY'
import os, sys, time, duckdb
csv, path = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.remove(path)
con = duckdb.connect(path)
t0 = time.perf_counter()
con.execute(f"CREATE TABLE obs AS SELECT * FROM read_csv('{csv}', header = true)")
n = con.execute("SELECT count(*) FROM obs").fetchone()[0]
con.close()
print(round(time.perf_counter() - t0, 2))
assert n > 0
PY
)
echo
echo "| store | time (s) | observations per second |"
echo "|---|---:|---:|"
for row in "Tripart into SQLite (read, check, rules, store as revisions)|$sqlite_s" "Tripart into PostgreSQL (same)|$pg_s" "DuckDB read_csv into a table (no checks)|$duck_s"; do
  name="${row%|*}"; s="${row##*|}"
  echo "| $name | $s | $(python3 -c "print(f'{round($N/$s):,}')") |"
done

echo
echo "Then validating and publishing the million as one vintage: SQLite ${sqlite_pub} s, PostgreSQL ${pg_pub} s."

# The ASEAN figure, served from the SQLite database just loaded.
PORT=18084
"$BIN" --database-url "sqlite://$DB" serve --bind "127.0.0.1:$PORT" --no-seed >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo
echo "| request | rows | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
for q in \
  "indicator=UNE_DEAP_SEX_AGE_GEO_RT&ref_area=X84&time=2010Q2&sex=SEX_F&classif1=AGE_5YRBANDS_TOTAL&classif2=GEO_COV_NAT" \
  "indicator=UNE_DEAP_SEX_AGE_GEO_RT&ref_area=X84&time=2010Q2" \
  "indicator=EMP_TEMP_SEX_AGE_GEO_NB&ref_area=X84&time=2010Q2"; do
  url="http://127.0.0.1:$PORT/api/v1/data?$q"
  rows=$(curl -sf "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
  out=$(wrk -t2 -c8 -d10s --latency "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "| \`/api/v1/data?$q\` | $rows | $rps | $p50 | $p99 |"
done
