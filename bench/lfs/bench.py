"""Times Tripart against DuckDB and Polars on the synthetic survey and prints a Markdown table.

    python bench.py DATA_DIR TRIPART_BIN [RUNS]

Each tool runs in its own process; the time is the best of RUNS (wall clock for Tripart, from
process start to exit, including writing its output; the peers' own timing after their
imports), the memory the process's peak resident set (from wait4).
"""

import os
import subprocess
import sys
import tempfile
import time

data, tripart = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
here = os.path.dirname(os.path.abspath(__file__))
out = tempfile.mkdtemp()


def measure(cmd, own_timing):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    stdout, stderr = p.stdout.read().decode(), p.stderr.read().decode()
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr}")
    secs = float(stdout.strip().splitlines()[-1]) if own_timing else wall
    return secs, usage.ru_maxrss / 1024


def best(cmd, own_timing):
    results = [measure(cmd, own_timing) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


py = sys.executable
rows = []
for fmt in ["parquet", "csv"]:
    f = os.path.join(data, f"lfs.{fmt}")
    tri = [tripart, "lfs", "tabulate", f, "--strata", "strata", "--psu", "psu", "--no-progress"]
    # The peers' task (the seven indicators and the working-age population), with SEs.
    rows.append((fmt, "Tripart (same 7 indicators, with SEs)",
                 *best(tri + ["--indicators", "core", "--out", os.path.join(out, "core.csv")], False)))
    rows.append((fmt, "Tripart (all indicators, with SEs)",
                 *best(tri + ["--out", os.path.join(out, "ilostat.csv")], False)))
    rows.append((fmt, "DuckDB (7 indicators, no SEs)", *best([py, os.path.join(here, "peers.py"), "duckdb", f], True)))
    rows.append((fmt, "Polars (7 indicators, no SEs)", *best([py, os.path.join(here, "peers.py"), "polars", f], True)))
    if fmt == "parquet":
        rows.append((fmt, "decode only (pyarrow, the 8 columns of the 7 indicators)", *best([py, os.path.join(here, "peers.py"), "decode-core", f], True)))
        rows.append((fmt, "decode only (pyarrow, all 14 columns)", *best([py, os.path.join(here, "peers.py"), "decode", f], True)))

print("| input | tool | time (s, best of %d) | peak memory (MiB) |" % runs)
print("|---|---|---:|---:|")
for fmt, tool, secs, mem in rows:
    print(f"| {fmt} | {tool} | {secs:.2f} | {mem:.0f} |")
def count(name):
    with open(os.path.join(out, name)) as fh:
        return sum(1 for _ in fh) - 1


print(f"\nTripart wrote {count('core.csv')} rows for the 7 indicators and {count('ilostat.csv')} for all"
      " (ILOSTAT code format with std_error, cv, sample_count).")
