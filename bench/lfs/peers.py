"""The benchmark's peer computations, run one per process so that peak memory is their own.

    python peers.py {duckdb|polars|decode|decode-core} FILE

Each computes the seven indicators (labour force, employment, unemployment, outside the
labour force; participation rate, employment-to-population ratio, unemployment rate, with the
working-age population) by sex × 5-year age band × urban/rural, with every total (a cube),
without standard errors, and prints the seconds spent after the imports.
"""

import sys
import time

what, path = sys.argv[1], sys.argv[2]
csv = path.endswith(".csv")
COLS = ["ilo_wgt", "ilo_sex", "ilo_age", "ilo_geo", "ilo_wap", "ilo_lfs"]
# What Tripart reads for the seven indicators with their standard errors (the design too),
# and for all its indicators, for the decode-only baselines.
CORE = COLS + ["strata", "psu"]
ALL = CORE + ["ilo_job1_eco_isic4", "ilo_job1_eco_aggregate", "ilo_joball_tru",
              "ilo_olf_dlma", "ilo_edu_attendance", "ilo_neet"]

if what == "duckdb":
    import duckdb

    t0 = time.perf_counter()
    src = f"read_csv('{path}')" if csv else f"read_parquet('{path}')"
    con = duckdb.connect()
    res = con.sql(f"""
        WITH p AS (
            SELECT ilo_sex AS sex, least((ilo_age - 15) // 5, 10) AS band, ilo_geo AS geo, ilo_wgt AS w, ilo_lfs AS lfs
            FROM {src} WHERE ilo_wap = 1)
        SELECT sex, band, geo,
               sum(w) AS wap,
               sum(CASE WHEN lfs IN (1, 2) THEN w ELSE 0 END) AS lf,
               sum(CASE WHEN lfs = 1 THEN w ELSE 0 END) AS emp,
               sum(CASE WHEN lfs = 2 THEN w ELSE 0 END) AS une,
               sum(CASE WHEN lfs IN (1, 2) THEN 0 ELSE w END) AS olf,
               100 * lf / wap AS lfpr, 100 * emp / wap AS epr, 100 * une / lf AS ur
        FROM p GROUP BY CUBE (sex, band, geo)""").fetchall()
    t = time.perf_counter() - t0
elif what == "polars":
    import polars as pl

    t0 = time.perf_counter()
    scan = pl.scan_csv(path) if csv else pl.scan_parquet(path)
    w = pl.col("ilo_wgt")
    lfs = pl.col("ilo_lfs")
    cells = (
        scan.select(COLS)
        .filter(pl.col("ilo_wap") == 1)
        .with_columns(band=((pl.col("ilo_age") - 15) // 5).clip(0, 10))
        .group_by(["ilo_sex", "band", "ilo_geo"])
        .agg(
            wap=w.sum(),
            lf=(w * lfs.is_in([1, 2])).sum(),
            emp=(w * (lfs == 1)).sum(),
            une=(w * (lfs == 2)).sum(),
            olf=(w * ~lfs.is_in([1, 2]).fill_null(False)).sum(),
        )
        .collect()
    )
    # The cube: the seven other groupings from the full one (sums are additive).
    keys = ["ilo_sex", "band", "ilo_geo"]
    parts = [cells]
    for mask in range(7):
        by = [k for i, k in enumerate(keys) if mask >> i & 1]
        sums = [pl.col(c).sum() for c in ["wap", "lf", "emp", "une", "olf"]]
        part = cells.group_by(by).agg(sums) if by else cells.select(sums)
        parts.append(part.with_columns([pl.lit(None, dtype=cells.schema[k]).alias(k) for k in keys if k not in by]).select(cells.columns))
    res = pl.concat(parts).with_columns(
        lfpr=100 * pl.col("lf") / pl.col("wap"), epr=100 * pl.col("emp") / pl.col("wap"), ur=100 * pl.col("une") / pl.col("lf")
    )
    t = time.perf_counter() - t0
elif what in ("decode", "decode-core"):
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    table = pq.read_table(path, columns=ALL if what == "decode" else CORE)
    t = time.perf_counter() - t0
else:
    sys.exit(f"unknown peer {what}")
print(f"{t:.4f}")
