//! Validation rules, run on every submission against the submitted values together with what
//! is already held. The Secretariat configures them (which are on, their thresholds, whether a
//! breach blocks the submission or only flags it); [`defaults`] is the starting set.

use crate::obs::{Key, KeyRef};
use crate::registry::{Kind, Registry};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// Values within [min, max]; unset bounds fall back to the measure's own range (a rate
    /// between 0 and 100). `measure` None: every measure.
    Range { measure: Option<String>, min: Option<f64>, max: Option<f64> },
    /// `lower` ≤ `upper` for the same area, period and breakdown (employed ≤ labour force).
    NotAbove { lower: String, upper: String },
    /// The categories of a classification add up to its total (male + female = total; the
    /// activity shares of a distribution to 100), within `tolerance` (relative) plus rounding.
    /// `dimension`: SEX, AGE, ECO, GEO, INS or MIG.
    AddsUp { dimension: String, tolerance: f64 },
    /// A change from the previous period beyond `percent` (levels of at least 10 in their
    /// unit, relative) or `points` (rates and ratios in %, absolute).
    Change { percent: f64, points: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The submission is refused.
    Error,
    /// The value goes in, flagged for the validator.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub check: Check,
    pub severity: Severity,
    pub enabled: bool,
}

/// The rules a new installation starts with.
pub fn defaults() -> Vec<Rule> {
    let rule = |id: &str, title: &str, check: Check, severity| Rule {
        id: id.into(),
        title: title.into(),
        check,
        severity,
        enabled: true,
    };
    let not_above = |lower: &str, upper: &str| Check::NotAbove { lower: lower.into(), upper: upper.into() };
    vec![
        rule(
            "range",
            "Values within the measure's range (a rate between 0 and 100)",
            Check::Range { measure: None, min: None, max: None },
            Severity::Error,
        ),
        rule(
            "employed-within-labour-force",
            "Employment is not above the labour force",
            not_above("EMP_TEMP_NB", "EAP_TEAP_NB"),
            Severity::Error,
        ),
        rule(
            "unemployed-within-labour-force",
            "Unemployment is not above the labour force",
            not_above("UNE_TUNE_NB", "EAP_TEAP_NB"),
            Severity::Error,
        ),
        rule(
            "labour-force-within-population",
            "The labour force is not above the working-age population",
            not_above("EAP_TEAP_NB", "POP_XWAP_NB"),
            Severity::Error,
        ),
        rule(
            "underemployed-within-employed",
            "Time-related underemployment is not above employment",
            not_above("TRU_TTRU_NB", "EMP_TEMP_NB"),
            Severity::Error,
        ),
        rule(
            "sex-adds-up",
            "Male + female = total, within rounding",
            Check::AddsUp { dimension: "SEX".into(), tolerance: 0.001 },
            Severity::Error,
        ),
        rule(
            "activities-add-up",
            "Economic activities add up to the total (shares to 100), within rounding",
            Check::AddsUp { dimension: "ECO".into(), tolerance: 0.001 },
            Severity::Error,
        ),
        rule(
            "ages-add-up",
            "Age groups add up to the total, within rounding",
            Check::AddsUp { dimension: "AGE".into(), tolerance: 0.001 },
            Severity::Error,
        ),
        rule(
            "change",
            "Change from the previous period beyond 20% (levels) or 5 points (rates)",
            Check::Change { percent: 20.0, points: 5.0 },
            Severity::Warning,
        ),
    ]
}

/// Where the rules read values: what is held, with the submitted values in its place.
pub trait Book {
    fn get(&self, key: KeyRef<'_>) -> Option<f64>;
}

/// Values by key: the simplest book.
pub type Values = hashbrown::HashMap<Key, f64>;

impl Book for Values {
    fn get(&self, key: KeyRef<'_>) -> Option<f64> {
        hashbrown::HashMap::get(self, &key).copied()
    }
}

/// A rule broken by an observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The observation the finding is about (for a sum, the total).
    pub key: Key,
    /// The submitted observation that led to it.
    pub trigger: Key,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
}

/// The total of a classification and the categories that partition it (overlapping groupings
/// such as non-agriculture or ages 15-64 are not parts).
const PARTITIONS: [(&str, &[&str]); 10] = [
    ("SEX_T", &["SEX_M", "SEX_F"]),
    ("AGE_YTHADULT_YGE15", &["AGE_YTHADULT_Y15-24", "AGE_YTHADULT_YGE25"]),
    (
        "AGE_AGGREGATE_TOTAL",
        &["AGE_AGGREGATE_Y15-24", "AGE_AGGREGATE_Y25-54", "AGE_AGGREGATE_Y55-64", "AGE_AGGREGATE_YGE65"],
    ),
    (
        "AGE_10YRBANDS_TOTAL",
        &[
            "AGE_10YRBANDS_Y15-24",
            "AGE_10YRBANDS_Y25-34",
            "AGE_10YRBANDS_Y35-44",
            "AGE_10YRBANDS_Y45-54",
            "AGE_10YRBANDS_Y55-64",
            "AGE_10YRBANDS_YGE65",
        ],
    ),
    (
        "AGE_5YRBANDS_TOTAL",
        &[
            "AGE_5YRBANDS_Y15-19",
            "AGE_5YRBANDS_Y20-24",
            "AGE_5YRBANDS_Y25-29",
            "AGE_5YRBANDS_Y30-34",
            "AGE_5YRBANDS_Y35-39",
            "AGE_5YRBANDS_Y40-44",
            "AGE_5YRBANDS_Y45-49",
            "AGE_5YRBANDS_Y50-54",
            "AGE_5YRBANDS_Y55-59",
            "AGE_5YRBANDS_Y60-64",
            "AGE_5YRBANDS_YGE65",
        ],
    ),
    ("ECO_SECTOR_TOTAL", &["ECO_SECTOR_AGR", "ECO_SECTOR_IND", "ECO_SECTOR_SER", "ECO_SECTOR_X"]),
    (
        "ECO_AGGREGATE_TOTAL",
        &[
            "ECO_AGGREGATE_AGR",
            "ECO_AGGREGATE_MAN",
            "ECO_AGGREGATE_CON",
            "ECO_AGGREGATE_MEL",
            "ECO_AGGREGATE_MKT",
            "ECO_AGGREGATE_PUB",
            "ECO_AGGREGATE_X",
        ],
    ),
    ("GEO_COV_NAT", &["GEO_COV_URB", "GEO_COV_RUR", "GEO_COV_X"]),
    ("INS_SECTOR_TOTAL", &["INS_SECTOR_PUB", "INS_SECTOR_PRI", "INS_SECTOR_X"]),
    ("MIG_STATUS_TOTAL", &["MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG", "MIG_STATUS_X"]),
];

/// The sections of ISIC Rev.4 (A-U) and "not classifiable" partition their total.
const ISIC4_SECTIONS: [&str; 22] = [
    "ECO_ISIC4_A",
    "ECO_ISIC4_B",
    "ECO_ISIC4_C",
    "ECO_ISIC4_D",
    "ECO_ISIC4_E",
    "ECO_ISIC4_F",
    "ECO_ISIC4_G",
    "ECO_ISIC4_H",
    "ECO_ISIC4_I",
    "ECO_ISIC4_J",
    "ECO_ISIC4_K",
    "ECO_ISIC4_L",
    "ECO_ISIC4_M",
    "ECO_ISIC4_N",
    "ECO_ISIC4_O",
    "ECO_ISIC4_P",
    "ECO_ISIC4_Q",
    "ECO_ISIC4_R",
    "ECO_ISIC4_S",
    "ECO_ISIC4_T",
    "ECO_ISIC4_U",
    "ECO_ISIC4_X",
];

/// The partition a code belongs to, as its total and its parts.
fn partition_of(code: &str) -> Option<(&'static str, &'static [&'static str])> {
    if code == "ECO_ISIC4_TOTAL" || ISIC4_SECTIONS.contains(&code) {
        return Some(("ECO_ISIC4_TOTAL", &ISIC4_SECTIONS));
    }
    PARTITIONS.iter().find(|(total, parts)| code == *total || parts.contains(&code)).map(|(t, p)| (*t, *p))
}

/// The period before `time` (2024 → 2023, 2024Q1 → 2023Q4, 2024M01 → 2023M12).
pub fn previous_period(time: &str) -> Option<String> {
    let year: i32 = time.get(..4)?.parse().ok()?;
    match (time.get(4..5), time.get(5..)) {
        (None, _) => Some(format!("{}", year - 1)),
        (Some("Q"), Some(q)) => {
            let q: u32 = q.parse().ok()?;
            Some(if q == 1 { format!("{}Q4", year - 1) } else { format!("{year}Q{}", q - 1) })
        }
        (Some("M"), Some(m)) => {
            let m: u32 = m.parse().ok()?;
            Some(if m == 1 { format!("{}M12", year - 1) } else { format!("{year}M{:02}", m - 1) })
        }
        _ => None,
    }
}

/// Runs the enabled rules on `submitted` keys. `book` gives every value the checks may need:
/// what is already held for the areas and periods concerned (and the periods before), with the
/// submitted values in place of the held ones.
pub fn evaluate<B: Book + ?Sized>(reg: &Registry, rules: &[Rule], submitted: &[&Key], book: &B) -> Vec<Finding> {
    let mut out = Vec::new();
    // The totals each rule has checked, so that a sum is checked once, not once per part.
    let mut seen_totals: Vec<hashbrown::HashSet<Key>> = vec![hashbrown::HashSet::new(); rules.len()];
    // The same breakdown of another measure, by (indicator, measure): built once per series.
    let mut other_series: HashMap<(&str, &str), Option<String>> = HashMap::new();
    // A submission holds few series and many observations: each series is parsed once.
    let mut series_of: HashMap<&str, Option<(crate::registry::Series, &crate::registry::Measure)>> = HashMap::new();
    for key in submitted.iter().copied() {
        series_of.entry(key.indicator.as_str()).or_insert_with(|| {
            let s = reg.series(&key.indicator).ok()?;
            let m = reg.measure(&s.measure)?;
            Some((s, m))
        });
    }
    let enabled: Vec<(usize, &Rule)> = rules.iter().enumerate().filter(|(_, r)| r.enabled).collect();
    for key in submitted.iter().copied() {
        let Some(value) = book.get(key.view()) else { continue };
        let Some(Some((series, m))) = series_of.get(key.indicator.as_str()) else { continue };
        let (series, m) = (series, *m);
        for &(rule_index, rule) in &enabled {
            let mut find = |message: String| {
                out.push(Finding {
                    key: key.clone(),
                    trigger: key.clone(),
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    message,
                })
            };
            match &rule.check {
                Check::Range { measure, min, max } => {
                    if measure.as_ref().is_some_and(|x| *x != m.code) || !m.kind.is_quantitative() {
                        continue;
                    }
                    let (lo, hi) = (min.or(m.min), max.or(m.max));
                    if lo.is_some_and(|lo| value < lo) || hi.is_some_and(|hi| value > hi) {
                        let range = match (lo, hi) {
                            (Some(a), Some(b)) => format!("between {a} and {b}"),
                            (Some(a), None) => format!("at least {a}"),
                            (None, Some(b)) => format!("at most {b}"),
                            (None, None) => String::new(),
                        };
                        find(format!("{value} is out of range: {} must be {range}", m.name));
                    }
                }
                Check::NotAbove { lower, upper } => {
                    let (other, this_is_lower) = if m.code == *lower {
                        (upper, true)
                    } else if m.code == *upper {
                        (lower, false)
                    } else {
                        continue;
                    };
                    let code = other_series
                        .entry((key.indicator.as_str(), other.as_str()))
                        .or_insert_with(|| series.with_measure(other).map(|s| s.code));
                    let Some(code) = code.as_deref() else { continue };
                    let Some(o) = book.get(KeyRef { indicator: code, ..key.view() }) else { continue };
                    let (lo, hi) = if this_is_lower { (value, o) } else { (o, value) };
                    if lo > hi * (1.0 + 1e-9) {
                        let name = |c: &str| reg.measure(c).map(|x| x.name.clone()).unwrap_or_default();
                        find(format!(
                            "{} ({lo}) is above {} ({hi}) for the same breakdown",
                            name(lower),
                            name(upper).to_lowercase()
                        ));
                    }
                }
                Check::AddsUp { dimension, tolerance } => {
                    let additive = (m.kind == Kind::Level && m.additive) || m.denominator_total;
                    if !additive {
                        continue;
                    }
                    let slot = match dimension.as_str() {
                        "SEX" if series.has_sex() => 0,
                        d => match series.classifs().iter().position(|x| x == d) {
                            Some(i) => i + 1,
                            None => continue,
                        },
                    };
                    // Shares add up to 100 over the classification they distribute (the last
                    // one), not across the others: women's and men's shares are not parts of
                    // the total's.
                    if m.denominator_total && slot != series.classifs().len() {
                        continue;
                    }
                    let code = match slot {
                        0 => key.sex.as_str(),
                        1 => key.classif1.as_str(),
                        _ => key.classif2.as_str(),
                    };
                    let with_code = |c: &'static str| {
                        let mut k = key.view();
                        match slot {
                            0 => k.sex = c,
                            1 => k.classif1 = c,
                            _ => k.classif2 = c,
                        }
                        k
                    };
                    let Some((total, parts)) = partition_of(code) else { continue };
                    let total_key = with_code(total);
                    if seen_totals[rule_index].contains(&total_key) {
                        continue;
                    }
                    seen_totals[rule_index].insert(total_key.to_key());
                    // A distribution's total is 100 whether or not it was sent.
                    let total_value = book.get(total_key).or(m.denominator_total.then_some(m.per));
                    let Some(t) = total_value else { continue };
                    let mut sum = 0.0;
                    let mut complete = true;
                    for p in parts {
                        match book.get(with_code(p)) {
                            Some(v) => sum += v,
                            // "Not classified" is often not sent: it counts as zero.
                            None if p.ends_with("_X") => {}
                            None => complete = false,
                        }
                    }
                    // Each part and the total may be rounded to one decimal.
                    let rounding = 0.05 * (parts.len() + 1) as f64;
                    if complete && (sum - t).abs() > tolerance * t.abs() + rounding {
                        let names: Vec<String> = parts
                            .iter()
                            .map(|p| reg.code(p).map(|c| c.name.clone()).unwrap_or_else(|| p.to_string()))
                            .collect();
                        out.push(Finding {
                            key: total_key.to_key(),
                            trigger: key.clone(),
                            rule: rule.id.clone(),
                            severity: rule.severity,
                            message: format!(
                                "{} ({}) add up to {} but the total is {}",
                                names.join(" + "),
                                m.name,
                                round(sum),
                                round(t)
                            ),
                        });
                    }
                }
                Check::Change { percent, points } => {
                    if !m.kind.is_quantitative() {
                        continue;
                    }
                    let Some(prev) = previous_period(&key.time) else { continue };
                    let Some(before) = book.get(KeyRef { time: &prev, ..key.view() }) else { continue };
                    if m.unit.starts_with('%') {
                        if (value - before).abs() > *points {
                            find(format!(
                                "{} changed by {:+} points from {prev} ({before} → {value})",
                                m.name,
                                round(value - before)
                            ));
                        }
                    } else if before.abs() >= MIN_CHANGE_BASE && ((value - before) / before).abs() * 100.0 > *percent {
                        find(format!(
                            "{} changed by {:+}% from {prev} ({before} → {value})",
                            m.name,
                            round((value - before) / before * 100.0)
                        ));
                    }
                }
            }
        }
    }
    out
}

/// Levels below this (in the measure's unit: ten thousand persons, or ten cases) are not
/// checked for change: rounding alone moves them by more than any threshold.
const MIN_CHANGE_BASE: f64 = 10.0;

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn k(ind: &str, sex: &str, c1: &str, time: &str) -> Key {
        Key {
            ref_area: "PHL".into(),
            indicator: ind.into(),
            sex: sex.into(),
            classif1: c1.into(),
            classif2: String::new(),
            time: time.into(),
        }
    }

    fn run(values: &[(Key, f64)], submitted: &[Key]) -> Vec<Finding> {
        let book: Values = values.iter().cloned().collect();
        let submitted: Vec<&Key> = submitted.iter().collect();
        evaluate(Registry::get(), &defaults(), &submitted, &book)
    }

    const Y15: &str = "AGE_YTHADULT_YGE15";

    #[test]
    fn a_rate_above_100_is_an_error() {
        let key = k("UNE_DEAP_SEX_AGE_RT", "SEX_T", Y15, "2024");
        let f = run(&[(key.clone(), 104.0)], std::slice::from_ref(&key));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].rule.as_str(), f[0].severity), ("range", Severity::Error));
        assert!(f[0].message.contains("between 0 and 100"), "{}", f[0].message);
    }

    #[test]
    fn employment_above_the_labour_force_is_caught_from_either_side() {
        let emp = k("EMP_TEMP_SEX_AGE_NB", "SEX_T", Y15, "2024");
        let lf = k("EAP_TEAP_SEX_AGE_NB", "SEX_T", Y15, "2024");
        let values = [(emp.clone(), 51000.0), (lf.clone(), 50000.0)];
        assert_eq!(run(&values, std::slice::from_ref(&emp))[0].rule, "employed-within-labour-force");
        assert_eq!(run(&values, std::slice::from_ref(&lf))[0].rule, "employed-within-labour-force");
    }

    #[test]
    fn male_and_female_add_up_to_the_total_within_rounding() {
        let t = k("EMP_TEMP_SEX_AGE_NB", "SEX_T", Y15, "2024");
        let m = k("EMP_TEMP_SEX_AGE_NB", "SEX_M", Y15, "2024");
        let f = k("EMP_TEMP_SEX_AGE_NB", "SEX_F", Y15, "2024");
        let ok = [(t.clone(), 48000.1), (m.clone(), 28000.0), (f.clone(), 20000.0)];
        assert!(run(&ok, &[t.clone(), m.clone(), f.clone()]).is_empty());
        let bad = [(t.clone(), 49000.0), (m.clone(), 28000.0), (f.clone(), 20000.0)];
        let found = run(&bad, &[t, m, f]);
        assert_eq!(found.len(), 1, "one finding per total, not per part: {found:?}");
        assert!(found[0].message.contains("add up to 48000 but the total is 49000"), "{}", found[0].message);
    }

    #[test]
    fn activity_shares_add_up_to_100() {
        let s = |c: &str, v: f64| (k("EMP_TEMP_SEX_ECO_DT", "SEX_F", c, "2024"), v);
        let values = [s("ECO_SECTOR_AGR", 30.0), s("ECO_SECTOR_IND", 20.0), s("ECO_SECTOR_SER", 45.0)];
        let keys: Vec<Key> = values.iter().map(|(k, _)| k.clone()).collect();
        let found = run(&values, &keys);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "activities-add-up");
        let values = [s("ECO_SECTOR_AGR", 30.0), s("ECO_SECTOR_IND", 20.0), s("ECO_SECTOR_SER", 50.0)];
        assert!(run(&values, &keys).is_empty());
        // Women's and men's shares are not parts of anything.
        let m = |c: &str, v: f64| (k("EMP_TEMP_SEX_ECO_DT", "SEX_M", c, "2024"), v);
        let both = [s("ECO_SECTOR_AGR", 30.0), m("ECO_SECTOR_AGR", 25.0)];
        assert!(run(&both, &[both[0].0.clone(), both[1].0.clone()]).is_empty());
    }

    #[test]
    fn a_large_change_is_a_warning() {
        let now = k("UNE_DEAP_SEX_AGE_RT", "SEX_T", Y15, "2024");
        let before = k("UNE_DEAP_SEX_AGE_RT", "SEX_T", Y15, "2023");
        let f = run(&[(now.clone(), 12.0), (before, 3.0)], &[now]);
        assert_eq!((f[0].rule.as_str(), f[0].severity), ("change", Severity::Warning));
        assert!(f[0].message.contains("+9 points"), "{}", f[0].message);
    }

    #[test]
    fn periods_step_back() {
        assert_eq!(previous_period("2024").as_deref(), Some("2023"));
        assert_eq!(previous_period("2024Q1").as_deref(), Some("2023Q4"));
        assert_eq!(previous_period("2024M10").as_deref(), Some("2024M09"));
    }

    #[test]
    fn rules_round_trip_as_json() {
        for r in defaults() {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), r);
        }
    }
}
