#!/usr/bin/env bash
# LFS microdata benchmark (issue 7): Tripart against DuckDB and Polars on a synthetic survey.
#
#   bench/lfs/run.sh            # 10 M persons; PERSONS=1000000 bench/lfs/run.sh for a quick run
#
# Installs pinned DuckDB, Polars, NumPy and PyArrow into bench/lfs/.venv, generates the data
# under bench/lfs/data (both gitignored; kept between runs), builds Tripart in release mode and
# prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")"
HERE="$(pwd)"
PERSONS="${PERSONS:-10000000}"
RUNS="${RUNS:-3}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q duckdb==2.0.0 polars==2.1.0 numpy==2.4.6 pyarrow==26.0.1

DATA="$HERE/data/$PERSONS"
if [ ! -f "$DATA/lfs.parquet" ] || [ ! -f "$DATA/lfs.csv" ]; then
  .venv/bin/python generate.py "$DATA" "$PERSONS"
fi

# TRIPART_BIN: a release binary already built (otherwise the repository's is built here).
if [ -n "${TRIPART_BIN:-}" ]; then
  BIN="$TRIPART_BIN"
else
  TARGET="$(cd ../.. && realpath "${CARGO_TARGET_DIR:-target}")"
  (cd ../.. && cargo build --release --quiet -p tripart)
  BIN="$TARGET/release/tripart"
fi
echo "binary: $BIN"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "data: $PERSONS persons, Parquet $(du -h "$DATA/lfs.parquet" | cut -f1), CSV $(du -h "$DATA/lfs.csv" | cut -f1)"
echo
.venv/bin/python bench.py "$DATA" "$BIN" "$RUNS"
