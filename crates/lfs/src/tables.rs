//! The ILO layer: which indicators, which disaggregations, and their ILOSTAT codes; and the
//! publication rules. Definitions follow the ILO's harmonised variables as given (`ilo_lfs`
//! decides labour status: ILOSTAT's main series use the 13th ICLS-based derivation unless the
//! file was derived under the 19th); LU2–LU4 follow the 19th ICLS resolution that defines them.

use crate::accumulate::{m, split_main_cell, Accumulator, EcoCoding, NeetSource, AGE_BANDS, SEXES};
use crate::estimate::{estimate, Design, Domains, Ratio, SinglePsu, Stat};
use crate::input::Keys;
use crate::roles::Role;
use serde::Serialize;

/// ILO age classifications over the 5-year bands (0 = 15-19 … 9 = 60-64, 10 = 65+).
pub const AGE_CODES: &[(&str, usize, usize)] = &[
    ("AGE_YTHADULT_YGE15", 0, 10),
    ("AGE_YTHADULT_Y15-64", 0, 9),
    ("AGE_YTHADULT_Y15-24", 0, 1),
    ("AGE_YTHADULT_YGE25", 2, 10),
    ("AGE_YTHBANDS_Y15-29", 0, 2),
    ("AGE_YTHBANDS_Y15-19", 0, 0),
    ("AGE_YTHBANDS_Y20-24", 1, 1),
    ("AGE_YTHBANDS_Y25-29", 2, 2),
    ("AGE_AGGREGATE_TOTAL", 0, 10),
    ("AGE_AGGREGATE_Y15-24", 0, 1),
    ("AGE_AGGREGATE_Y25-54", 2, 7),
    ("AGE_AGGREGATE_Y55-64", 8, 9),
    ("AGE_AGGREGATE_YGE65", 10, 10),
    ("AGE_10YRBANDS_TOTAL", 0, 10),
    ("AGE_10YRBANDS_Y15-24", 0, 1),
    ("AGE_10YRBANDS_Y25-34", 2, 3),
    ("AGE_10YRBANDS_Y35-44", 4, 5),
    ("AGE_10YRBANDS_Y45-54", 6, 7),
    ("AGE_10YRBANDS_Y55-64", 8, 9),
    ("AGE_10YRBANDS_YGE65", 10, 10),
    ("AGE_5YRBANDS_TOTAL", 0, 10),
    ("AGE_5YRBANDS_Y15-19", 0, 0),
    ("AGE_5YRBANDS_Y20-24", 1, 1),
    ("AGE_5YRBANDS_Y25-29", 2, 2),
    ("AGE_5YRBANDS_Y30-34", 3, 3),
    ("AGE_5YRBANDS_Y35-39", 4, 4),
    ("AGE_5YRBANDS_Y40-44", 5, 5),
    ("AGE_5YRBANDS_Y45-49", 6, 6),
    ("AGE_5YRBANDS_Y50-54", 7, 7),
    ("AGE_5YRBANDS_Y55-59", 8, 8),
    ("AGE_5YRBANDS_Y60-64", 9, 9),
    ("AGE_5YRBANDS_YGE65", 10, 10),
];

const SEX_CODES: [&str; 3] = ["SEX_T", "SEX_M", "SEX_F"];
const GEO_CODES: [&str; 4] = ["GEO_COV_NAT", "GEO_COV_URB", "GEO_COV_RUR", "GEO_COV_X"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Published in thousands.
    Thousands,
    /// Published as a percentage.
    Percent,
}

/// A main-family indicator: code pieces around `_SEX_AGE_<GEO|BY>_`, and its ratio.
struct MainIndicator {
    prefix: &'static str,
    suffix: &'static str,
    ratio: fn() -> Ratio,
    /// Only for age groups within 15-29 (the NEET rate is a youth indicator).
    youth_only: bool,
}

fn r(num: &[usize], den: &[usize]) -> Ratio {
    Ratio { num: num.to_vec(), den: den.to_vec() }
}

fn main_indicators(acc: &Accumulator) -> Vec<MainIndicator> {
    let lay = acc.layout;
    let mut v =
        vec![MainIndicator { prefix: "POP_XWAP", suffix: "NB", ratio: || r(&[m::WAP], &[]), youth_only: false }];
    if lay.has_lfs {
        v.extend([
            MainIndicator { prefix: "EAP_TEAP", suffix: "NB", ratio: || r(&[m::LF], &[]), youth_only: false },
            MainIndicator { prefix: "EMP_TEMP", suffix: "NB", ratio: || r(&[m::EMP], &[]), youth_only: false },
            MainIndicator { prefix: "UNE_TUNE", suffix: "NB", ratio: || r(&[m::UNE], &[]), youth_only: false },
            MainIndicator { prefix: "EIP_TEIP", suffix: "NB", ratio: || r(&[m::OLF], &[]), youth_only: false },
            MainIndicator { prefix: "EAP_DWAP", suffix: "RT", ratio: || r(&[m::LF], &[m::WAP]), youth_only: false },
            MainIndicator { prefix: "EMP_DWAP", suffix: "RT", ratio: || r(&[m::EMP], &[m::WAP]), youth_only: false },
            MainIndicator { prefix: "UNE_DEAP", suffix: "RT", ratio: || r(&[m::UNE], &[m::LF]), youth_only: false },
        ]);
        if lay.has_tru {
            v.push(MainIndicator {
                prefix: "TRU_DEMP",
                suffix: "RT",
                ratio: || r(&[m::TRU], &[m::EMP]),
                youth_only: false,
            });
            v.push(MainIndicator {
                prefix: "LUU_XLU2",
                suffix: "RT",
                ratio: || r(&[m::UNE, m::TRU], &[m::LF]),
                youth_only: false,
            });
        }
        if lay.has_plf {
            v.push(MainIndicator {
                prefix: "LUU_XLU3",
                suffix: "RT",
                ratio: || r(&[m::UNE, m::PLF], &[m::LF, m::PLF]),
                youth_only: false,
            });
        }
        if lay.has_tru && lay.has_plf {
            v.push(MainIndicator {
                prefix: "LUU_XLU4",
                suffix: "RT",
                ratio: || r(&[m::UNE, m::TRU, m::PLF], &[m::LF, m::PLF]),
                youth_only: false,
            });
        }
    }
    if lay.neet != NeetSource::None {
        v.push(MainIndicator {
            prefix: "EIP_NEET",
            suffix: "RT",
            ratio: || r(&[m::NEET], &[m::WAP]),
            youth_only: true,
        });
    }
    v
}

/// One published value with its sampling error, before the file format is chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    /// In thousands or percent; `None` when suppressed.
    pub obs_value: Option<f64>,
    /// ILOSTAT observation status: empty, `U` (unreliable) or `S` (suppressed).
    pub obs_status: String,
    pub std_error: Option<f64>,
    /// Coefficient of variation in percent.
    pub cv: Option<f64>,
    pub sample_count: u64,
}

/// Publication rules: ILOSTAT's sample-count rule and a coefficient-of-variation rule.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Rules {
    /// Suppress estimates resting on fewer sample persons than this.
    #[arg(long, default_value_t = 5)]
    pub suppress_below: u64,
    /// Flag (status U) estimates resting on fewer sample persons than this.
    #[arg(long, default_value_t = 15)]
    pub flag_below: u64,
    /// Flag estimates whose CV (percent) is above this.
    #[arg(long, default_value_t = 25.0)]
    pub cv_flag: f64,
    /// Suppress estimates whose CV (percent) is above this.
    #[arg(long, default_value_t = 50.0)]
    pub cv_suppress: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { suppress_below: 5, flag_below: 15, cv_flag: 25.0, cv_suppress: 50.0 }
    }
}

impl Rules {
    fn row(&self, indicator: String, cells: [&str; 3], s: &Stat, unit: Unit) -> Row {
        let scale = match unit {
            Unit::Thousands => 1e-3,
            Unit::Percent => 100.0,
        };
        let cv = if s.value.is_finite() && s.value != 0.0 && s.se.is_finite() {
            Some(100.0 * s.se / s.value.abs())
        } else {
            None
        };
        let suppressed = s.n < self.suppress_below || cv.is_some_and(|c| c > self.cv_suppress) || !s.value.is_finite();
        let flagged = s.n < self.flag_below || cv.is_some_and(|c| c > self.cv_flag);
        let (obs_value, obs_status, std_error) = if suppressed {
            (None, "S", None)
        } else {
            (Some(s.value * scale), if flagged { "U" } else { "" }, s.se.is_finite().then_some(s.se * scale))
        };
        Row {
            indicator,
            sex: cells[0].to_string(),
            classif1: cells[1].to_string(),
            classif2: cells[2].to_string(),
            obs_value,
            obs_status: obs_status.to_string(),
            std_error,
            cv: if suppressed { None } else { cv },
            sample_count: s.n,
        }
    }
}

/// The second classification of the main tables: area, or one `--by` variable.
#[derive(Debug, Clone)]
struct Classif2 {
    /// The code segment in the indicator, e.g. `GEO` or `PROV`.
    tag: String,
    /// Codes, the total first.
    codes: Vec<String>,
}

/// Which indicators to publish, and therefore which columns to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum IndicatorSet {
    /// Every indicator the file allows (economic activity, TRU, LU2–LU4, NEET included).
    #[default]
    All,
    /// The working-age population, labour force, employment, unemployment and outside the
    /// labour force, with the participation rate, the employment-to-population ratio and the
    /// unemployment rate: reads only the weight, sex, age, area, working-age and labour
    /// status columns (and the design's).
    Core,
}

impl IndicatorSet {
    /// Whether the set needs this input variable (the others are left unread).
    pub fn reads(self, role: Role) -> bool {
        match self {
            IndicatorSet::All => true,
            IndicatorSet::Core => matches!(role, Role::Sex | Role::Age | Role::Geo | Role::Wap | Role::Lfs),
        }
    }
}

/// What the caller asked for beyond the data.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub indicators: IndicatorSet,
    pub by_names: Vec<String>,
    pub rules: Rules,
    pub single_psu: SinglePsu,
    /// GDP (constant prices, in the unit the output per worker should have) for GDP_211P.
    pub gdp: Option<f64>,
}

/// Every published row, in a stable order.
pub fn tabulate(acc: &Accumulator, keys: &Keys, req: &Request, design: &Design) -> Vec<Row> {
    let mut rows = main_rows(acc, keys, req, design);
    if let Some(fam) = &acc.eco {
        if let Some(coding) = acc.layout.eco {
            rows.extend(eco_rows(fam, coding, req, design));
        }
    }
    rows
}

fn main_rows(acc: &Accumulator, keys: &Keys, req: &Request, design: &Design) -> Vec<Row> {
    let fam = &acc.main;
    let n_cells = fam.counts.len() / fam.m;
    // Which area codes occur: GEO_COV_X only when some row had no valid area.
    let geo_x = (0..n_cells).any(|c| split_main_cell(c as u32).3 == 2 && fam.counts[c * fam.m + m::WAP] > 0);
    let n_geo = match (acc.layout.has_geo, geo_x) {
        (false, _) => 1,
        (true, false) => 3,
        (true, true) => 4,
    };
    let mut c2s =
        vec![Classif2 { tag: "GEO".to_string(), codes: GEO_CODES[..n_geo].iter().map(|s| s.to_string()).collect() }];
    // Per --by variable: its categories, sorted.
    let mut by_values: Vec<Vec<i64>> = Vec::new();
    for (v, name) in req.by_names.iter().enumerate() {
        let mut vals: Vec<i64> = acc.combo_keys.iter().map(|k| k[v]).collect();
        vals.sort_unstable();
        vals.dedup();
        let tag = code_segment(name);
        let mut codes = vec![format!("{tag}_TOTAL")];
        codes.extend(vals.iter().map(|&k| format!("{tag}_{}", code_segment(&keys.label(k)))));
        by_values.push(vals);
        c2s.push(Classif2 { tag, codes });
    }
    // Classifications share ranges of bands (15+ is the total of four of them): each distinct
    // range is estimated once, as one domain.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let range_of: Vec<usize> = AGE_CODES
        .iter()
        .map(|&(_, lo, hi)| match ranges.iter().position(|&r| r == (lo, hi)) {
            Some(i) => i,
            None => {
                ranges.push((lo, hi));
                ranges.len() - 1
            }
        })
        .collect();
    let n_age = ranges.len();
    // Domains: one block per classif2 table, each sex × age range × classif2-code.
    let mut blocks = Vec::new();
    let mut n = 0usize;
    for c in &c2s {
        blocks.push(n);
        n += 3 * n_age * c.codes.len();
    }
    let age_of_band: Vec<Vec<usize>> =
        (0..AGE_BANDS).map(|b| (0..n_age).filter(|&a| ranges[a].0 <= b && b <= ranges[a].1).collect()).collect();
    let mut members = Vec::with_capacity(n_cells);
    for cell in 0..n_cells {
        let (combo, s, band, g) = split_main_cell(cell as u32);
        let mut list = Vec::new();
        for (t, c) in c2s.iter().enumerate() {
            let k = c.codes.len();
            let c2_opts: Vec<usize> = if t == 0 {
                if g + 1 < k {
                    vec![0, g + 1]
                } else {
                    vec![0]
                }
            } else {
                let key = acc.combo_keys.get(combo as usize).map(|k| k[t - 1]).unwrap_or_default();
                let pos = by_values[t - 1].binary_search(&key).map(|p| p + 1).unwrap_or(0);
                vec![0, pos]
            };
            for sx in [0, s + 1] {
                for &a in &age_of_band[band] {
                    for &c2 in &c2_opts {
                        list.push((blocks[t] + (sx * n_age + a) * k + c2) as u32);
                    }
                }
            }
        }
        members.push(list);
    }
    let indicators = main_indicators(acc);
    let ratios: Vec<Ratio> = indicators.iter().map(|i| (i.ratio)()).collect();
    let stats = estimate(fam, design, &Domains { n, members }, &ratios, req.single_psu);

    let mut rows = Vec::new();
    for (e, ind) in indicators.iter().enumerate() {
        for (t, c) in c2s.iter().enumerate() {
            let k = c.codes.len();
            let code = format!("{}_SEX_AGE_{}_{}", ind.prefix, c.tag, ind.suffix);
            let unit = if ind.suffix == "RT" { Unit::Percent } else { Unit::Thousands };
            for (sx, sex) in SEX_CODES.iter().enumerate() {
                for (a, age) in AGE_CODES.iter().enumerate() {
                    if ind.youth_only && age.2 > 2 {
                        continue;
                    }
                    for (c2, c2code) in c.codes.iter().enumerate() {
                        let d = blocks[t] + (sx * n_age + range_of[a]) * k + c2;
                        let s = &stats[d * ratios.len() + e];
                        rows.push(req.rules.row(code.clone(), [sex, age.0, c2code], s, unit));
                    }
                }
            }
        }
    }
    if let Some(gdp) = req.gdp {
        // Output per worker: GDP over total employment (15+, both sexes, national).
        if let Some(e) = indicators.iter().position(|i| i.prefix == "EMP_TEMP") {
            let emp = &stats[e];
            let value = gdp / emp.value;
            let se = gdp * emp.se / (emp.value * emp.value);
            let s = Stat { value, se, n: emp.n, den: 1.0 };
            let mut row = req.rules.row("GDP_211P_NOC_NB".to_string(), ["", "", ""], &s, Unit::Thousands);
            row.obs_value = row.obs_value.map(|v| v * 1e3);
            row.std_error = row.std_error.map(|v| v * 1e3);
            rows.push(row);
        }
    }
    rows
}

/// Economic activity codes as sets of the eco family's measures.
fn eco_codes(coding: EcoCoding) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    match coding {
        EcoCoding::Isic4 => {
            out.push(("ECO_ISIC4_TOTAL".to_string(), (0..22).collect()));
            for (i, c) in "ABCDEFGHIJKLMNOPQRSTU".chars().enumerate() {
                out.push((format!("ECO_ISIC4_{c}"), vec![i]));
            }
            out.push(("ECO_ISIC4_X".to_string(), vec![21]));
            // Sections to the ILO aggregates and broad sectors (A=0 … U=20, X=21).
            let agg: [(&str, Vec<usize>); 7] = [
                ("AGR", vec![0]),
                ("MAN", vec![2]),
                ("CON", vec![5]),
                ("MEL", vec![1, 3, 4]),
                ("MKT", (6..=13).collect()),
                ("PUB", (14..=20).collect()),
                ("X", vec![21]),
            ];
            out.push(("ECO_AGGREGATE_TOTAL".to_string(), (0..22).collect()));
            out.extend(agg.into_iter().map(|(c, v)| (format!("ECO_AGGREGATE_{c}"), v)));
            out.push(("ECO_SECTOR_TOTAL".to_string(), (0..22).collect()));
            out.push(("ECO_SECTOR_AGR".to_string(), vec![0]));
            out.push(("ECO_SECTOR_IND".to_string(), (1..=5).collect()));
            out.push(("ECO_SECTOR_SER".to_string(), (6..=20).collect()));
            out.push(("ECO_SECTOR_X".to_string(), vec![21]));
        }
        EcoCoding::Aggregate => {
            out.push(("ECO_AGGREGATE_TOTAL".to_string(), (0..7).collect()));
            for (i, c) in ["AGR", "MAN", "CON", "MEL", "MKT", "PUB", "X"].iter().enumerate() {
                out.push((format!("ECO_AGGREGATE_{c}"), vec![i]));
            }
            out.push(("ECO_SECTOR_TOTAL".to_string(), (0..7).collect()));
            out.push(("ECO_SECTOR_AGR".to_string(), vec![0]));
            out.push(("ECO_SECTOR_IND".to_string(), vec![1, 2, 3]));
            out.push(("ECO_SECTOR_SER".to_string(), vec![4, 5]));
            out.push(("ECO_SECTOR_X".to_string(), vec![6]));
        }
    }
    out
}

fn eco_rows(fam: &crate::accumulate::Family, coding: EcoCoding, req: &Request, design: &Design) -> Vec<Row> {
    let codes = eco_codes(coding);
    let all: Vec<usize> = (0..fam.m).collect();
    let mut ratios = Vec::new();
    for (_, v) in &codes {
        ratios.push(r(v, &[]));
        ratios.push(r(v, &all));
    }
    // Elementary cells are the two sexes; domains are total, male, female.
    let members = (0..SEXES as u32).map(|s| vec![0, s + 1]).collect();
    let stats = estimate(fam, design, &Domains { n: 3, members }, &ratios, req.single_psu);
    let x_empty = |v: &Vec<usize>| v.iter().all(|&k| (0..SEXES).all(|s| fam.counts.get(s * fam.m + k) == Some(&0)));
    let mut rows = Vec::new();
    for (suffix, unit, off) in [("NB", Unit::Thousands, 0), ("DT", Unit::Percent, 1)] {
        for (c, (code, v)) in codes.iter().enumerate() {
            if code.ends_with("_X") && x_empty(v) {
                continue;
            }
            for (d, sex) in SEX_CODES.iter().enumerate() {
                let s = &stats[d * ratios.len() + 2 * c + off];
                rows.push(req.rules.row(format!("EMP_TEMP_SEX_ECO_{suffix}"), [sex, code, ""], s, unit));
            }
        }
    }
    rows
}

/// A column name or value made safe for an ILOSTAT-style code: upper case, A-Z 0-9 `-`.
fn code_segment(s: &str) -> String {
    s.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_uppercase() } else { '-' }).collect()
}
