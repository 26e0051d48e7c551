//! One observation in ILOSTAT's fields, and the checks every incoming row passes whatever file
//! it came in: a known series, codes of the series' classifications, a valid period, a value
//! of the measure's kind. A row that fails gets one [`Problem`] per bad field.

use crate::registry::{Kind, Registry, Series};
use serde::Serialize;

/// What identifies an observation. Empty strings stand for "no such classification".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Key {
    pub ref_area: String,
    /// ILOSTAT bulk indicator code (`EAP_DWAP_SEX_AGE_RT`).
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    /// `2024`, `2024Q1` or `2024M01`, as ILOSTAT writes periods.
    pub time: String,
}

/// A [`Key`] of borrowed parts: looks a key up in a `hashbrown` map without building one
/// (the rules look up several neighbours of every submitted value). Hashes exactly as `Key`
/// does: the same fields in the same order, and `&str` hashes as `String`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyRef<'a> {
    pub ref_area: &'a str,
    pub indicator: &'a str,
    pub sex: &'a str,
    pub classif1: &'a str,
    pub classif2: &'a str,
    pub time: &'a str,
}

impl Key {
    pub fn view(&self) -> KeyRef<'_> {
        KeyRef {
            ref_area: &self.ref_area,
            indicator: &self.indicator,
            sex: &self.sex,
            classif1: &self.classif1,
            classif2: &self.classif2,
            time: &self.time,
        }
    }
}

impl KeyRef<'_> {
    pub fn to_key(&self) -> Key {
        Key {
            ref_area: self.ref_area.into(),
            indicator: self.indicator.into(),
            sex: self.sex.into(),
            classif1: self.classif1.into(),
            classif2: self.classif2.into(),
            time: self.time.into(),
        }
    }
}

impl hashbrown::Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *self == key.view()
    }
}

impl hashbrown::Equivalent<&Key> for KeyRef<'_> {
    fn equivalent(&self, key: &&Key) -> bool {
        *self == key.view()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub key: Key,
    pub measure: String,
    /// A number, or a scale level (0, 1, …) for scale measures.
    pub value: Option<f64>,
    /// The answer of a text measure.
    pub text: Option<String>,
    /// ILO observation status code (P provisional, B break in series, E estimate, U unreliable…).
    pub status: Option<String>,
    pub source: Option<String>,
    pub note_indicator: Option<String>,
    pub note_source: Option<String>,
    /// Where a qualitative answer can be checked (a law, a report, a link).
    pub evidence: Option<String>,
    pub std_error: Option<f64>,
    pub cv: Option<f64>,
    pub sample_count: Option<i64>,
    /// The line of the file it came from (1 = the header).
    pub line: usize,
}

/// A bad field of an incoming row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file's line (the header is line 1), or the sheet row.
    pub line: usize,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.reason)
    }
}

/// A row as read from a file, before any check: text fields, named as in ILOSTAT's code format.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub line: usize,
    pub ref_area: String,
    /// A bulk code, or (from SDMX) the series already resolved from MEASURE and the dimensions.
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    pub time: String,
    pub obs_value: String,
    pub obs_status: String,
    pub source: String,
    pub note_indicator: String,
    pub note_source: String,
    pub evidence: String,
    pub std_error: String,
    pub cv: String,
    pub sample_count: String,
    /// Multiply the value by 10^this to reach the measure's unit (SDMX UNIT_MULT, WDI persons).
    pub rescale: i32,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Normalises a period to ILOSTAT's form, accepting SDMX's too (`2024-Q1`, `2024-01`).
pub fn normalise_period(t: &str) -> Option<String> {
    let t = t.trim();
    let year_ok = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && ("1900"..="2100").contains(&y);
    if year_ok(t) {
        return Some(t.to_string());
    }
    let (y, rest) = (t.get(..4)?, t.get(4..)?);
    if !year_ok(y) {
        return None;
    }
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if let Some(q) = rest.strip_prefix('Q') {
        return matches!(q, "1" | "2" | "3" | "4").then(|| format!("{y}Q{q}"));
    }
    let m = rest.strip_prefix('M').unwrap_or(rest);
    let n: u32 = m.parse().ok().filter(|_| m.len() == 2)?;
    (1..=12).contains(&n).then(|| format!("{y}M{m}"))
}

/// How many periods `period_index` numbers: 17 a year (the year, 4 quarters, 12 months) from
/// 1900 to 2100.
pub const PERIOD_SLOTS: i64 = 4096;

/// A period in ILOSTAT's form (as `normalise_period` gives it) as a number below
/// `PERIOD_SLOTS`, one to one: what lets an observation be numbered by its series and period.
/// The numbers follow the order of the periods as text (`2024` < `2024M01` < `2024Q1`), the
/// order a database keeps them in.
pub fn period_index(t: &str) -> Option<i64> {
    let year: i64 = t.get(..4)?.parse().ok().filter(|y| (1900..=2100).contains(y))?;
    let within = match t.get(4..)? {
        "" => 0,
        m if m.len() == 3 && m.starts_with('M') => m[1..].parse().ok().filter(|m| (1..=12).contains(m))?,
        q if q.len() == 2 && q.starts_with('Q') => 12 + q[1..].parse::<i64>().ok().filter(|q| (1..=4).contains(q))?,
        _ => return None,
    };
    Some((year - 1900) * 17 + within)
}

/// The period `period_index` numbered `i`.
pub fn period_at(i: i64) -> Option<String> {
    if !(0..PERIOD_SLOTS).contains(&i) {
        return None;
    }
    let (year, within) = (1900 + i / 17, i % 17);
    if year > 2100 {
        return None;
    }
    Some(match within {
        0 => year.to_string(),
        1..=12 => format!("{year}M{within:02}"),
        _ => format!("{year}Q{}", within - 12),
    })
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Checks a row against the registry; `areas` are the codes a submission may be for.
pub fn check(raw: &RawRow, reg: &Registry, areas: &[String]) -> Result<Observation, Vec<Problem>> {
    Checker::new(reg, areas).check(raw)
}

/// Checks the rows of one file: each series code is parsed once, not once per row.
pub struct Checker<'a> {
    reg: &'a Registry,
    areas: &'a [String],
    series: hashbrown::HashMap<String, Result<Series, String>>,
}

impl<'a> Checker<'a> {
    pub fn new(reg: &'a Registry, areas: &'a [String]) -> Checker<'a> {
        Checker { reg, areas, series: hashbrown::HashMap::new() }
    }

    pub fn check(&mut self, raw: &RawRow) -> Result<Observation, Vec<Problem>> {
        let code = raw.indicator.trim();
        if !self.series.contains_key(code) {
            self.series.insert(code.to_string(), self.reg.series(code));
        }
        // Inserted just above.
        let series = &self.series[code];
        check_row(raw, self.reg, self.areas, series.as_ref().map_err(String::as_str))
    }
}

fn check_row(
    raw: &RawRow,
    reg: &Registry,
    areas: &[String],
    series: Result<&Series, &str>,
) -> Result<Observation, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, reason: String| problems.push(Problem { line: raw.line, field: field.into(), reason });

    let ref_area = raw.ref_area.trim().to_string();
    if !areas.contains(&ref_area) {
        let reason = if ref_area == crate::registry::ASEAN_AREA {
            "X84 (ASEAN) is computed by Tripart from the member states' data, never submitted".to_string()
        } else {
            format!("`{ref_area}` is not a member state this submission may report for ({})", areas.join(", "))
        };
        bad("ref_area", reason);
    }
    let series: Option<&Series> = match series {
        Ok(s) => Some(s),
        Err(e) => {
            bad("indicator", e.to_string());
            None
        }
    };
    let time = normalise_period(&raw.time);
    if time.is_none() {
        bad("time", format!("`{}` is not a period (2024, 2024Q1 or 2024M01)", raw.time.trim()));
    }
    let (mut sex, mut classif1, mut classif2) = (String::new(), String::new(), String::new());
    let mut value = None;
    let mut text = None;
    if let Some(s) = &series {
        let expect_code = |given: &str, family: &str| -> Result<String, String> {
            let given = given.trim();
            match reg.code(given) {
                Some(c) if c.family == family => Ok(c.code.clone()),
                Some(_) | None if given.is_empty() => Err(format!("{} needs a {family} code", s.code)),
                Some(_) => Err(format!("`{given}` is not a {family} code, which {} is broken down by", s.code)),
                None => Err(format!("`{given}` is not an ILO {family} code Tripart knows")),
            }
        };
        let expect_none = |field: &str, given: &str| -> Result<String, String> {
            if given.trim().is_empty() {
                Ok(String::new())
            } else {
                Err(format!("{} has no {field} breakdown, but `{}` was given", s.code, given.trim()))
            }
        };
        let checked = [
            ("sex", &raw.sex, s.has_sex().then_some("SEX")),
            ("classif1", &raw.classif1, s.classifs().first().map(String::as_str)),
            ("classif2", &raw.classif2, s.classifs().get(1).map(String::as_str)),
        ]
        .map(|(field, given, family)| {
            let r = match family {
                Some(f) => expect_code(given, f),
                None => expect_none(field, given),
            };
            r.map_err(|e| (field, e))
        });
        let mut out = Vec::new();
        for c in checked {
            match c {
                Ok(v) => out.push(v),
                Err((field, e)) => {
                    bad(field, e);
                    out.push(String::new());
                }
            }
        }
        (sex, classif1, classif2) = (out[0].clone(), out[1].clone(), out[2].clone());

        if let Some(m) = reg.measure(&s.measure) {
            let v = raw.obs_value.trim();
            match m.kind {
                Kind::Text => {
                    if v.is_empty() {
                        bad("obs_value", format!("{} is answered in words: the answer is empty", m.code));
                    } else if v.chars().count() > 4000 {
                        bad("obs_value", "an answer is at most 4,000 characters".into());
                    } else {
                        text = Some(v.to_string());
                    }
                }
                Kind::Scale => match v.parse::<usize>() {
                    Ok(level) if level < m.scale.len() => value = Some(level as f64),
                    _ => bad(
                        "obs_value",
                        format!(
                            "`{v}` is not a level of the scale of {} (0 to {})",
                            m.code,
                            m.scale.len().saturating_sub(1)
                        ),
                    ),
                },
                Kind::Level | Kind::Rate | Kind::Ratio => {
                    if v.is_empty() {
                        if raw.obs_status.trim().is_empty() {
                            bad(
                                "obs_value",
                                "empty: give a number, or a status (N not available, C confidential) saying why not"
                                    .into(),
                            );
                        }
                    } else {
                        match number(v) {
                            Some(x) => value = Some(x * 10f64.powi(raw.rescale)),
                            None => bad("obs_value", format!("`{v}` is not a number")),
                        }
                    }
                }
            }
        }
    }
    let status = opt(&raw.obs_status);
    if let Some(st) = &status {
        if reg.code(st).is_none_or(|c| c.family != "OBS_STATUS") {
            bad(
                "obs_status",
                format!("`{st}` is not an ILO observation status (P provisional, B break, E estimate, U unreliable…)"),
            );
        }
    }
    let optional_number = |field: &str, s: &str, problems: &mut Vec<Problem>| -> Option<f64> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        let n = number(t);
        if n.is_none() {
            problems.push(Problem { line: raw.line, field: field.into(), reason: format!("`{t}` is not a number") });
        }
        n
    };
    let std_error = optional_number("std_error", &raw.std_error, &mut problems);
    let cv = optional_number("cv", &raw.cv, &mut problems);
    let sample_count = optional_number("sample_count", &raw.sample_count, &mut problems).map(|n| n as i64);
    for (field, s) in [
        ("source", &raw.source),
        ("note_indicator", &raw.note_indicator),
        ("note_source", &raw.note_source),
        ("evidence", &raw.evidence),
    ] {
        if s.chars().count() > 2000 {
            problems.push(Problem { line: raw.line, field: field.into(), reason: "at most 2,000 characters".into() });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(series), Some(time)) = (series, time) else {
        return Err(problems);
    };
    Ok(Observation {
        key: Key { ref_area, indicator: series.code.clone(), sex, classif1, classif2, time },
        measure: series.measure.clone(),
        value,
        text,
        status,
        source: opt(&raw.source),
        note_indicator: opt(&raw.note_indicator),
        note_source: opt(&raw.note_source),
        evidence: opt(&raw.evidence),
        std_error,
        cv,
        sample_count,
        line: raw.line,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn areas() -> Vec<String> {
        vec!["THA".into(), "VNM".into()]
    }

    fn row() -> RawRow {
        RawRow {
            line: 2,
            ref_area: "THA".into(),
            indicator: "UNE_DEAP_SEX_AGE_RT".into(),
            sex: "SEX_F".into(),
            classif1: "AGE_YTHADULT_YGE15".into(),
            time: "2023".into(),
            obs_value: "1.2".into(),
            ..RawRow::default()
        }
    }

    #[test]
    fn a_good_row_passes() {
        let o = check(&row(), Registry::get(), &areas()).unwrap();
        assert_eq!(o.measure, "UNE_DEAP_RT");
        assert_eq!(o.value, Some(1.2));
        assert_eq!(o.key.classif2, "");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut r = row();
        r.ref_area = "X84".into();
        r.sex = "SEX_Q".into();
        r.classif1 = "ECO_SECTOR_AGR".into();
        r.classif2 = "GEO_COV_URB".into();
        r.time = "23".into();
        r.obs_value = "1,2".into();
        let p = check(&r, Registry::get(), &areas()).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["ref_area", "time", "sex", "classif1", "classif2", "obs_value"]);
        assert!(p[0].reason.contains("computed by Tripart"));
        assert!(p.iter().all(|p| p.line == 2));
    }

    #[test]
    fn periods() {
        assert_eq!(normalise_period("2024-Q3").as_deref(), Some("2024Q3"));
        assert_eq!(normalise_period("2024-07").as_deref(), Some("2024M07"));
        assert_eq!(normalise_period("2024M12").as_deref(), Some("2024M12"));
        assert_eq!(normalise_period("2024Q5"), None);
        assert_eq!(normalise_period("20245"), None);
        assert_eq!(normalise_period("۲۰۲۴"), None);
    }

    #[test]
    fn every_period_has_its_own_index_and_reads_back() {
        let mut seen = std::collections::BTreeMap::new();
        for year in 1900..=2100 {
            let mut periods = vec![year.to_string()];
            periods.extend((1..=4).map(|q| format!("{year}Q{q}")));
            periods.extend((1..=12).map(|m| format!("{year}M{m:02}")));
            for p in periods {
                let i = period_index(&p).unwrap_or_else(|| panic!("{p} has no index"));
                assert!((0..PERIOD_SLOTS).contains(&i), "{p}: {i}");
                assert!(seen.insert(i, p.clone()).is_none(), "{p}: {i} given twice");
                assert_eq!(period_at(i).as_deref(), Some(p.as_str()));
            }
        }
        let in_number_order: Vec<&String> = seen.values().collect();
        let mut in_text_order = in_number_order.clone();
        in_text_order.sort();
        assert_eq!(in_number_order, in_text_order, "the numbers sort as the periods do");
        for bad in ["1899", "2101", "2024Q0", "2024Q5", "2024M00", "2024M13", "2024M1", "2024-Q1", "", "20a4"] {
            assert_eq!(period_index(bad), None, "{bad}");
        }
        for bad in [-1, PERIOD_SLOTS, 200 * 17 + 17] {
            assert_eq!(period_at(bad), None, "{bad}");
        }
    }

    #[test]
    fn qualitative_values() {
        let mut r = row();
        r.indicator = "TRP_OSLG_NOC_SC".into();
        r.sex.clear();
        r.classif1.clear();
        r.obs_value = "2".into();
        assert_eq!(check(&r, Registry::get(), &areas()).unwrap().value, Some(2.0));
        r.obs_value = "7".into();
        assert!(check(&r, Registry::get(), &areas()).unwrap_err()[0].reason.contains("0 to 3"));
        r.indicator = "TRP_OSRC_NOC_TX".into();
        r.obs_value = "Two university OSH centres; 14 projects in 2023".into();
        assert_eq!(
            check(&r, Registry::get(), &areas()).unwrap().text.as_deref(),
            Some("Two university OSH centres; 14 projects in 2023")
        );
    }

    #[test]
    fn a_missing_value_needs_a_status() {
        let mut r = row();
        r.obs_value.clear();
        assert!(check(&r, Registry::get(), &areas()).is_err());
        r.obs_status = "N".into();
        assert_eq!(check(&r, Registry::get(), &areas()).unwrap().value, None);
    }
}
