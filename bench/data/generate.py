"""Writes N observations of consistent labour-force data as ILOSTAT bulk CSV (code format).

    python generate.py OUT.csv [N]

Ten member states, quarterly from 1995Q1; per country and quarter: the working-age population,
labour force, employment, unemployment and persons outside the labour force by sex (T, M, F)
x 5-year age band (with the total) x area (national, urban, rural), built from the
male/female x band x urban/rural cells so that every total is the sum of its parts and
employment <= labour force <= population; then the participation, employment-to-population
and unemployment rates of the same cells. DEMONSTRATION DATA, not official figures.
"""

import math
import random
import sys

out_path = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = random.Random(5)
areas = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
size = {"BRN": 300, "KHM": 10000, "IDN": 190000, "LAO": 4500, "MYS": 23000, "MMR": 38000,
        "PHL": 72000, "SGP": 4500, "THA": 56000, "VNM": 72000}
bands = ["Y15-19", "Y20-24", "Y25-29", "Y30-34", "Y35-39", "Y40-44", "Y45-49", "Y50-54", "Y55-59", "Y60-64", "YGE65"]
lfpr_band = [0.3, 0.65, 0.8, 0.83, 0.84, 0.83, 0.8, 0.74, 0.62, 0.45, 0.2]
periods = [f"{y}Q{q}" for y in range(1995, 2025) for q in range(1, 5)]
note = "DEMONSTRATION DATA generated for the benchmark - not official figures"

written = 0
with open(out_path, "w") as f:
    f.write("ref_area,source,indicator,sex,classif1,classif2,time,obs_value,obs_status,note_source\n")

    def row(area, ind, sex, age, geo, t, v):
        global written
        if written >= limit:
            return
        f.write(f"{area},BA:DEMO,{ind},{sex},AGE_5YRBANDS_{age},GEO_COV_{geo},{t},{v},,{note}\n")
        written += 1

    for area in areas:
        base = size[area]
        for i, t in enumerate(periods):
            if written >= limit:
                break
            growth = 1 + 0.004 * i + 0.002 * math.sin(i / 3)
            cells = {}
            for s in ["M", "F"]:
                for b, band in enumerate(bands):
                    for g in ["URB", "RUR"]:
                        pop = round(base * growth / 44 * (1.1 if g == "URB" else 0.9) * (1.02 if s == "F" else 0.98), 1)
                        lf = round(pop * lfpr_band[b] * (0.78 if s == "F" else 1.0) * (1 + 0.01 * math.sin(i / 5)), 1)
                        une = round(lf * (0.02 + 0.04 * (b < 2)) * (1 + 0.2 * math.sin(i / 7)), 1)
                        emp = round(lf - une, 1)
                        olf = round(pop - lf, 1)
                        cells[(s, band, g)] = (pop, lf, emp, une, olf)
            # Totals over sex, age and area are sums of the cells.
            full = {}
            for s in ["T", "M", "F"]:
                for band in bands + ["TOTAL"]:
                    for g in ["NAT", "URB", "RUR"]:
                        acc = [0.0] * 5
                        for s2 in (["M", "F"] if s == "T" else [s]):
                            for b2 in (bands if band == "TOTAL" else [band]):
                                for g2 in (["URB", "RUR"] if g == "NAT" else [g]):
                                    for k, v in enumerate(cells[(s2, b2, g2)]):
                                        acc[k] += v
                        full[(s, band, g)] = [round(v, 1) for v in acc]
            for k, ind in enumerate(["POP_XWAP", "EAP_TEAP", "EMP_TEMP", "UNE_TUNE", "EIP_TEIP"]):
                for (s, band, g), v in full.items():
                    row(area, f"{ind}_SEX_AGE_GEO_NB", f"SEX_{s}", band, g, t, v[k])
            for (s, band, g), (pop, lf, emp, une, olf) in full.items():
                row(area, "EAP_DWAP_SEX_AGE_GEO_RT", f"SEX_{s}", band, g, t, round(100 * lf / pop, 3))
                row(area, "EMP_DWAP_SEX_AGE_GEO_RT", f"SEX_{s}", band, g, t, round(100 * emp / pop, 3))
                row(area, "UNE_DEAP_SEX_AGE_GEO_RT", f"SEX_{s}", band, g, t, round(100 * une / lf, 3))

print(f"{written} observations written to {out_path}", file=sys.stderr)
