"""Oracle for tripart-lfs standard errors: samplics' Taylor-linearised estimates by domain.

Generates a small stratified cluster design with a fixed seed (design.csv, ILO variable
names), then writes samplics' estimates and standard errors (samplics_expected.csv). The Rust
test `samplics_oracle` reads both files; Python is needed only to regenerate them:

    python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install samplics==0.6.1 numpy==2.4.6 pandas==3.1.1
    /tmp/oracle/bin/python crates/lfs/tests/oracle/samplics_oracle.py

One stratum has a single PSU; samplics is run with SinglePSUEst.skip, so the Rust side
uses --single-psu skip.
"""

import csv
import os
import warnings

import numpy as np
import pandas as pd
from samplics.estimation import TaylorEstimator
from samplics.utils.types import PopParam, SinglePSUEst

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)

rows = []
for h in range(1, 9):
    n_psu = 1 if h == 8 else int(rng.integers(3, 7))
    for j in range(n_psu):
        psu = h * 100 + j
        geo = int(rng.integers(1, 3))
        for _ in range(int(rng.integers(15, 40))):
            age = int(rng.integers(10, 80))
            sex = int(rng.integers(1, 3))
            w = float(np.round(rng.uniform(50, 300), 2))
            if age < 15:
                lfs = ""
            else:
                u = rng.uniform()
                lfs = 1 if u < 0.6 else (2 if u < 0.67 + 0.05 * (age < 25) else 3)
            rows.append(dict(ilo_wgt=w, ilo_sex=sex, ilo_age=age, ilo_geo=geo, ilo_lfs=lfs, stratum=h, psu=psu))

df = pd.DataFrame(rows)
df.to_csv(os.path.join(HERE, "design.csv"), index=False)

lfs = pd.to_numeric(df.ilo_lfs, errors="coerce")
wap = (df.ilo_age >= 15).astype(float)
lf = lfs.isin([1, 2]).astype(float)
une = (lfs == 2).astype(float)

sex_code = df.ilo_sex.map({1: "SEX_M", 2: "SEX_F"})
geo_code = df.ilo_geo.map({1: "GEO_COV_URB", 2: "GEO_COV_RUR"})
# Under-15s have zero in every y and x here, so putting them with the adults changes nothing
# (and keeps samplics from a 0/0 domain).
age_code = np.where((df.ilo_age >= 15) & (df.ilo_age < 25), "AGE_YTHADULT_Y15-24", "AGE_YTHADULT_YGE25")

# Domains as (sex, age, geo) codes of the Tripart output; None = that classification's total.
domains = {
    "sex": (sex_code, None, None),
    "age": (None, pd.Series(age_code), None),
    "geo": (None, None, geo_code),
    "sex_geo": (sex_code, None, geo_code),
}


def run(param, y, x, domain):
    est = TaylorEstimator(param)
    est.estimate(
        y=y.to_numpy(),
        x=None if x is None else x.to_numpy(),
        samp_weight=df.ilo_wgt.to_numpy(),
        stratum=df.stratum.to_numpy(),
        psu=df.psu.to_numpy(),
        domain=None if domain is None else domain.to_numpy(),
        single_psu=SinglePSUEst.skip,
    )
    if domain is None:
        return {None: (float(np.ravel(est.point_est)[0]), float(np.ravel(est.stderror)[0]))}
    return {k: (float(est.point_est[k]), float(est.stderror[k])) for k in est.point_est}


indicators = [
    ("UNE_DEAP_SEX_AGE_GEO_RT", PopParam.ratio, une, lf),
    ("EAP_DWAP_SEX_AGE_GEO_RT", PopParam.ratio, lf, wap),
    ("UNE_TUNE_SEX_AGE_GEO_NB", PopParam.total, une, None),
]
out = []
for code, param, y, x in indicators:
    res = run(param, y, x, None)
    out.append((code, "SEX_T", "AGE_YTHADULT_YGE15", "GEO_COV_NAT", *res[None]))
    for name, (s, a, g) in domains.items():
        parts = [p for p in (s, a, g) if p is not None]
        label = parts[0].astype(str)
        for p in parts[1:]:
            label = label + "|" + p.astype(str)
        for key, (v, se) in run(param, y, x, label).items():
            bits = key.split("|")
            sx = bits.pop(0) if s is not None else "SEX_T"
            ag = bits.pop(0) if a is not None else "AGE_YTHADULT_YGE15"
            ge = bits.pop(0) if g is not None else "GEO_COV_NAT"
            out.append((code, sx, ag, ge, v, se))

with open(os.path.join(HERE, "samplics_expected.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["indicator", "sex", "classif1", "classif2", "estimate", "std_error"])
    for r in out:
        w.writerow([*r[:4], repr(r[4]), repr(r[5])])
print(f"{len(df)} persons, {df.psu.nunique()} PSUs, {len(out)} estimates")
