"""Synthetic labour force survey in the ILO harmonised variables, for the LFS benchmark.

A stratified two-stage design: STRATA strata of PSUS/STRATA PSUs each, persons spread over
the PSUs, area fixed per PSU, weights varying around a stratum base. Labour status, activity
(ISIC Rev.4 sections), time-related underemployment, labour market attachment, attendance and
NEET follow age and sex with plausible shares. Written as Parquet (snappy, 1 M-row row groups)
and CSV.

    python generate.py OUT_DIR [PERSONS]
"""

import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
STRATA, PSUS = 500, 20_000
os.makedirs(out, exist_ok=True)
t0 = time.time()
rng = np.random.default_rng(7)

psu = np.sort(rng.integers(0, PSUS, n)).astype(np.int32)  # persons listed PSU by PSU
stratum = (psu // (PSUS // STRATA)).astype(np.int16) + 1
psu_geo = rng.choice(np.array([1, 2], dtype=np.int8), PSUS, p=[0.55, 0.45])
stratum_w = rng.uniform(50, 400, STRATA + 1)
geo = psu_geo[psu]
w = (stratum_w[stratum] * rng.uniform(0.8, 1.25, n)).round(3)

sex = rng.integers(1, 3, n, dtype=np.int8)
age = np.minimum(rng.exponential(30, n), 95).astype(np.int16)
wap = np.where(age >= 15, 1, 0).astype(np.int8)

u = rng.uniform(size=n)
p_emp = np.where(age < 25, 0.35, np.where(age < 55, 0.72, np.where(age < 65, 0.55, 0.2)))
p_emp = p_emp * np.where(sex == 1, 1.15, 0.8)
p_une = np.where(age < 25, 0.08, 0.03)
lfs = np.where(u < p_emp, 1, np.where(u < p_emp + p_une, 2, 3)).astype(np.int8)
lfs = np.where(wap == 1, lfs, 0)

emp = lfs == 1
share = np.array([0.28, 0.01, 0.14, 0.005, 0.005, 0.06, 0.18, 0.05, 0.06, 0.01, 0.015, 0.005,
                  0.01, 0.02, 0.03, 0.04, 0.025, 0.01, 0.03, 0.02, 0.003, 0.02])
sections = rng.choice(np.arange(1, 23, dtype=np.int8), n, p=share / share.sum())
isic = np.where(emp, sections, 0)
aggr_of = np.array([0, 1, 4, 2, 4, 4, 3, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7], dtype=np.int8)
aggr = np.where(emp, aggr_of[isic], 0)
tru = np.where(emp & (rng.uniform(size=n) < 0.07), 1, 0).astype(np.int8)
olf = lfs == 3
dlma = np.where(olf, rng.choice(np.arange(1, 6, dtype=np.int8), n, p=[0.03, 0.07, 0.1, 0.75, 0.05]), 0)
attending = np.where((age >= 15) & (age < 25) & (rng.uniform(size=n) < 0.45), 1, 2).astype(np.int8)
neet = np.where((age >= 15) & (age < 25) & ~emp & (attending == 2), 1, 0).astype(np.int8)


def nullable(a, mask):
    return pa.array(a, mask=mask)


table = pa.table({
    "ilo_wgt": w,
    "strata": stratum,
    "psu": psu,
    "ilo_sex": sex,
    "ilo_age": age,
    "ilo_geo": geo,
    "ilo_wap": nullable(wap, wap == 0),
    "ilo_lfs": nullable(lfs, wap == 0),
    "ilo_job1_eco_isic4": nullable(isic, ~emp),
    "ilo_job1_eco_aggregate": nullable(aggr, ~emp),
    "ilo_joball_tru": nullable(tru, tru == 0),
    "ilo_olf_dlma": nullable(dlma, ~olf),
    "ilo_edu_attendance": nullable(attending, wap == 0),
    "ilo_neet": nullable(neet, neet == 0),
})
pq.write_table(table, os.path.join(out, "lfs.parquet"), row_group_size=1_000_000, compression="snappy")
pacsv.write_csv(table, os.path.join(out, "lfs.csv"))
print(f"{n} persons, {STRATA} strata, {PSUS} PSUs written to {out} in {time.time() - t0:.1f}s", file=sys.stderr)
