#!/usr/bin/env bash
# What SQLite itself costs to store a million observations, without Tripart's reading, checks
# or driver: the rows are generated inside SQLite (a recursive CTE) and inserted by the sqlite3
# shell, with the pragmas Tripart sets, in one transaction.
#
#   TRIPART_BIN=… bench/data/engine.sh     # RUNS=3 by default
#
# Two layouts, in databases migrated by `tripart seed`:
#   - Tripart's (migration 7): one row per revision in stat_value, WITHOUT ROWID, keyed by
#     (series, period, revision), with its two foreign keys;
#   - migration 6's, for comparison: a row in an observation table (its rowid, the unique
#     (series, period) index, the state index) and a row in a revision table (its rowid and
#     primary key), with their three foreign keys.
# The rows are those of bench/data/run.sh in shape: 20,000 series of 50 periods, the repeated
# source note included. Needs sqlite3 (Debian package sqlite3).
set -euo pipefail
cd "$(dirname "$0")"
RUNS="${RUNS:-3}"
BIN="${TRIPART_BIN:?TRIPART_BIN: a release build of tripart}"
command -v sqlite3 >/dev/null || { echo "missing sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
WORK="$(pwd)/work"
mkdir -p "$WORK"

PRAGMAS="PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = memory;"
ROWS="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
NOTE="'DEMONSTRATION DATA generated for the benchmark - not official figures'"

fresh() {
  rm -f "$WORK/engine.db" "$WORK/engine.db-wal" "$WORK/engine.db-shm"
  "$BIN" --database-url "sqlite://$WORK/engine.db" seed >/dev/null 2>&1
  sqlite3 "$WORK/engine.db" "
    INSERT INTO stat_submission (id, format, areas, observations, revisions, created_at)
      VALUES ('bench', 'ilostat-csv', 'BRN', 1000000, 1000000, '2026-12-06T00:00:00Z');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
    INSERT INTO stat_series (id, ref_area, indicator, measure, sex, classif1, classif2)
      SELECT i, 'BRN', 'IND' || (i % 8), 'RT', 'SEX_' || (i % 3), 'AGE_' || (i / 24), 'GEO_' || (i % 3) FROM n;"
}

timed() {
  local start end
  start=$(date +%s.%N)
  sqlite3 "$WORK/engine.db" "$PRAGMAS BEGIN; $1 COMMIT;" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

tripart_layout() {
  fresh
  timed "
    $ROWS INSERT INTO stat_value (series, time, revision, state, published, value, obs_status, source, note_source, submission, line)
      SELECT $SERIES, $PERIOD, 1, 'submitted', 0, i * 0.001, 'B', 'BA:DEMO', $NOTE, 'bench', i + 1 FROM n;"
}

migration_6_layout() {
  fresh
  sqlite3 "$WORK/engine.db" "
    CREATE TABLE m6_observation (id INTEGER PRIMARY KEY, series INTEGER NOT NULL REFERENCES stat_series(id),
      time TEXT NOT NULL, state TEXT NOT NULL, revision INTEGER NOT NULL, published_revision INTEGER,
      UNIQUE (series, time));
    CREATE INDEX m6_observation_state ON m6_observation (state);
    CREATE TABLE m6_revision (observation INTEGER NOT NULL REFERENCES m6_observation(id), revision INTEGER NOT NULL,
      value DOUBLE PRECISION, text_value TEXT, obs_status TEXT, source TEXT, note_indicator TEXT, note_source TEXT,
      evidence TEXT, std_error DOUBLE PRECISION, cv DOUBLE PRECISION, sample_count BIGINT,
      submission TEXT NOT NULL REFERENCES stat_submission(id), line INTEGER, PRIMARY KEY (observation, revision));"
  timed "
    $ROWS INSERT INTO m6_observation (id, series, time, state, revision)
      SELECT i, $SERIES, $PERIOD, 'submitted', 1 FROM n;
    $ROWS INSERT INTO m6_revision (observation, revision, value, obs_status, source, note_source, submission, line)
      SELECT i, 1, i * 0.001, 'B', 'BA:DEMO', $NOTE, 'bench', i + 1 FROM n;"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); sqlite3 $(sqlite3 --version | cut -d' ' -f1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| work | seconds per million, each run |"
echo "|---|---|"
for order in file sorted; do
  if [ "$order" = file ]; then
    # The order of bench/data/run.sh's file: period by period, every series in each.
    SERIES="1 + (i - 1) % 20000"; PERIOD="CAST(1975 + (i - 1) / 20000 AS TEXT)"
  else
    # Sorted by series and period, as an import could order the rows before storing them.
    SERIES="1 + (i - 1) / 50"; PERIOD="CAST(1975 + (i - 1) % 50 AS TEXT)"
  fi
  a=(); b=()
  for _ in $(seq "$RUNS"); do a+=("$(tripart_layout)"); b+=("$(migration_6_layout)"); done
  echo "| Tripart's: one row per revision (stat_value, WITHOUT ROWID), rows in $order order | ${a[*]} |"
  echo "| migration 6's: an observation row and a revision row, rows in $order order | ${b[*]} |"
done
g=()
for _ in $(seq "$RUNS"); do g+=("$(timed "$ROWS SELECT count(*) FROM n;")"); done
echo "| generating the million rows alone (once per INSERT above: twice for migration 6) | ${g[*]} |"
rm -f "$WORK/engine.db" "$WORK/engine.db-wal" "$WORK/engine.db-shm"
