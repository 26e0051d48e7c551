//! The figures the public data pages show, from one published series: the breakdown shown
//! (the one asked for, or the totals), the periods, each state's and ASEAN's values, the
//! ranking with distances and trends, and the lines of the charts. Reads go through
//! `query::data` with `Edition::Published` only; nothing here writes or knows about HTML.

use crate::charts::series::{period_position, Line};
use crate::error::ApiError;
use std::cmp::Ordering;
use tripart_stats::formats::xlsx;
use tripart_stats::{Better, Kind, Measure, Registry, Series, ASEAN_AREA};
use tripart_storage::stats::query::{self, DataQuery, DataRow, Edition};
use tripart_storage::Db;

/// A member state as the pages show it; `style` is its place in the charts' palette.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub style: usize,
}

/// The codes of the breakdown shown; empty where the series has no such dimension (or, when
/// asked for, where the default is wanted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breakdown {
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
}

impl Breakdown {
    pub fn get(&self, param: &str) -> &str {
        match param {
            "sex" => &self.sex,
            "classif1" => &self.classif1,
            _ => &self.classif2,
        }
    }
}

fn field<'a>(b: &'a [String; 3], param: &str) -> &'a str {
    match param {
        "sex" => &b[0],
        "classif1" => &b[1],
        _ => &b[2],
    }
}

/// A published series at one breakdown: the member states' rows and ASEAN's.
pub struct SeriesData {
    pub measure: &'static Measure,
    pub breakdown: Breakdown,
    /// The breakdowns (sex, classif1, classif2) holding published values: the form's choices.
    breakdowns: Vec<[String; 3]>,
    countries: Vec<DataRow>,
    regional: Vec<DataRow>,
}

/// Period order: by position in time, then as written.
fn by_time(a: &str, b: &str) -> Ordering {
    match (period_position(a), period_position(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

/// The same sub-period `years` earlier: `2024Q2` → `2019Q2`.
fn years_before(period: &str, years: i32) -> Option<String> {
    let y: i32 = period.get(..4)?.parse().ok()?;
    Some(format!("{}{}", y - years, period.get(4..)?))
}

/// Loads the published series: every member state and the ASEAN figure, every period, then
/// keeps the breakdown asked for or, for dimensions not asked for, the default: the code the
/// yearly collection asks for first (the totals: SEX_T, AGE_YTHADULT_YGE15…), else the
/// classification's total, else the first the data hold.
pub async fn load(db: &Db, series: &Series, wanted: &Breakdown) -> Result<SeriesData, ApiError> {
    let reg = Registry::get();
    let measure =
        reg.measure(&series.measure).ok_or_else(|| ApiError::NotFound(format!("no measure {}", series.measure)))?;
    let breakdowns = query::breakdowns(db, &series.code, Edition::Published).await?;
    let group = xlsx::collection().iter().find(|g| g.indicators.contains(&series.code));
    let mut breakdown = Breakdown::default();
    let mut params: Vec<&str> = Vec::new();
    if series.has_sex() {
        params.push("sex");
    }
    params.extend(["classif1", "classif2"].into_iter().take(series.classifs().len()));
    for param in params {
        let given = wanted.get(param);
        let chosen = if !given.is_empty() {
            given.to_string()
        } else {
            let available = available_in(&breakdowns, param);
            let preferred = group.and_then(|g| match param {
                "sex" => g.sex.first(),
                "classif1" => g.classif1.first(),
                _ => None,
            });
            preferred
                .filter(|p| available.contains(p))
                .cloned()
                .or_else(|| available.iter().find(|c| reg.code(c).is_some_and(|x| x.total)).cloned())
                .or_else(|| available.first().cloned())
                .unwrap_or_default()
        };
        match param {
            "sex" => breakdown.sex = chosen,
            "classif1" => breakdown.classif1 = chosen,
            _ => breakdown.classif2 = chosen,
        }
    }
    // The member states' rows and ASEAN's of the chosen breakdown only: reading every breakdown
    // (and computing ASEAN's figure for each) took seconds on a database of a million values.
    let classifs = series.classifs().len();
    let q = DataQuery {
        indicator: series.code.clone(),
        sex: series.has_sex().then(|| breakdown.sex.clone()),
        classif1: (classifs >= 1).then(|| breakdown.classif1.clone()),
        classif2: (classifs >= 2).then(|| breakdown.classif2.clone()),
        edition: Edition::Published,
        ..DataQuery::default()
    };
    let (regional, countries) = query::data(db, &q).await?.into_iter().partition(|r| r.ref_area == ASEAN_AREA);
    Ok(SeriesData { measure, breakdown, breakdowns, countries, regional })
}

/// The codes of one dimension the rows hold, in the ILO's order.
fn available_in(breakdowns: &[[String; 3]], param: &str) -> Vec<String> {
    let reg = Registry::get();
    let mut codes: Vec<String> =
        breakdowns.iter().map(|b| field(b, param).to_string()).filter(|c| !c.is_empty()).collect();
    codes.sort();
    codes.dedup();
    codes.sort_by_key(|c| reg.codes().iter().position(|x| &x.code == c).unwrap_or(usize::MAX));
    codes
}

/// A state's place in the ranking of one period.
pub struct Benchmark {
    pub rank: usize,
    pub area: Area,
    pub value: f64,
    /// The distance to the regional best (the first ranked): 0 for the best.
    pub to_best: f64,
    pub to_asean: Option<f64>,
    /// Since the period before, and five years before.
    pub change_previous: Option<f64>,
    pub change_5y: Option<f64>,
}

impl SeriesData {
    /// Codes of a dimension the published data hold, whatever the other dimensions.
    pub fn available(&self, param: &str) -> Vec<String> {
        available_in(&self.breakdowns, param)
    }

    /// The periods with a value for any state or ASEAN, oldest first.
    pub fn periods(&self) -> Vec<String> {
        let mut p: Vec<String> = self
            .countries
            .iter()
            .chain(self.regional.iter().filter(|r| r.obs_value.is_some()))
            .map(|r| r.time.clone())
            .collect();
        p.sort_by(|a, b| by_time(a, b));
        p.dedup();
        p
    }

    pub fn row_at(&self, area: &str, time: &str) -> Option<&DataRow> {
        let rows = if area == ASEAN_AREA { &self.regional } else { &self.countries };
        rows.iter().find(|r| r.ref_area == area && r.time == time)
    }

    pub fn regional_at(&self, time: &str) -> Option<&DataRow> {
        self.row_at(ASEAN_AREA, time)
    }

    /// The newest ASEAN row with a figure.
    pub fn latest_regional(&self) -> Option<&DataRow> {
        self.regional.iter().filter(|r| r.obs_value.is_some()).max_by(|a, b| by_time(&a.time, &b.time))
    }

    /// A state's newest row with a value or an answer.
    pub fn latest_of(&self, area: &str) -> Option<&DataRow> {
        self.countries
            .iter()
            .filter(|r| r.ref_area == area && (r.obs_value.is_some() || r.obs_text.is_some()))
            .max_by(|a, b| by_time(&a.time, &b.time))
    }

    pub fn value_at(&self, area: &str, time: &str) -> Option<f64> {
        self.row_at(area, time).and_then(|r| r.obs_value).filter(|v| v.is_finite())
    }

    /// A table cell: the value as written, with its status flag; "—" when there is none.
    pub fn cell(&self, area: &str, time: &str) -> String {
        let Some(r) = self.row_at(area, time) else { return "—".into() };
        let text = answer(self.measure, r);
        match &r.obs_status {
            Some(s) => format!("{text} ({s})"),
            None => text,
        }
    }

    /// A state's values over time, oldest first.
    pub fn points_of(&self, area: &str) -> Vec<(String, f64)> {
        let mut p: Vec<(String, f64)> = self
            .countries
            .iter()
            .filter(|r| r.ref_area == area)
            .filter_map(|r| r.obs_value.filter(|v| v.is_finite()).map(|v| (r.time.clone(), v)))
            .collect();
        p.sort_by(|a, b| by_time(&a.0, &b.0));
        p
    }

    /// The ranking of `time`: best first by the measure's direction (highest first where it
    /// has none), ties sharing a rank.
    pub fn benchmark(&self, areas: &[Area], time: &str) -> Vec<Benchmark> {
        let mut values: Vec<(Area, f64)> =
            areas.iter().filter_map(|a| self.value_at(&a.code, time).map(|v| (a.clone(), v))).collect();
        let lower_first = self.measure.better == Some(Better::Lower);
        values.sort_by(|a, b| {
            let o = a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal);
            (if lower_first { o } else { o.reverse() }).then_with(|| a.0.name.cmp(&b.0.name))
        });
        let asean = self.value_at(ASEAN_AREA, time);
        let periods = self.periods();
        let previous =
            periods.iter().position(|p| p == time).and_then(|i| i.checked_sub(1)).and_then(|i| periods.get(i));
        let five = years_before(time, 5);
        let best = values.first().map(|(_, v)| *v).unwrap_or(0.0);
        let mut out: Vec<Benchmark> = Vec::with_capacity(values.len());
        for (i, (area, value)) in values.into_iter().enumerate() {
            let rank = match out.last() {
                Some(last) if last.value == value => last.rank,
                _ => i + 1,
            };
            let change = |p: Option<&String>| p.and_then(|p| self.value_at(&area.code, p)).map(|old| value - old);
            out.push(Benchmark {
                rank,
                to_best: value - best,
                to_asean: asean.map(|a| value - a),
                change_previous: change(previous),
                change_5y: change(five.as_ref()),
                area,
                value,
            });
        }
        out
    }

    /// The line chart's lines: a state's where it has values, and ASEAN's.
    pub fn lines(&self, areas: &[Area], asean_name: &str) -> Vec<Line> {
        let m = self.measure;
        let line = |label: &str, style: usize, regional: bool, rows: Vec<&DataRow>| {
            let mut points: Vec<(f64, f64, String)> = rows
                .into_iter()
                .filter_map(|r| {
                    let v = r.obs_value.filter(|v| v.is_finite())?;
                    Some((period_position(&r.time)?, v, format!("{} {}", r.time, format_value(m, v))))
                })
                .collect();
            points.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
            Line { label: label.to_string(), style, regional, points }
        };
        let mut out: Vec<Line> = areas
            .iter()
            .map(|a| line(&a.name, a.style, false, self.countries.iter().filter(|r| r.ref_area == a.code).collect()))
            .filter(|l| !l.points.is_empty())
            .collect();
        let regional = line(asean_name, 0, true, self.regional.iter().collect());
        if !regional.points.is_empty() {
            out.push(regional);
        }
        out
    }
}

/// How many decimals a value of the measure is written with: percentages and thousands to
/// one, counts to none, small ratios (inspectors per 10,000) to two.
fn decimals(m: &Measure, v: f64) -> usize {
    match m.kind {
        Kind::Level => usize::from(m.unit_mult > 0),
        _ if m.unit.starts_with('%') => 1,
        _ if v.abs() >= 100.0 => 0,
        _ if v.abs() >= 1.0 => 1,
        _ => 2,
    }
}

pub fn format_value(m: &Measure, v: f64) -> String {
    crate::charts::number(v, decimals(m, v))
}

/// A difference, signed: "+1.2", "-0.4", "0.0".
pub fn format_change(m: &Measure, d: f64) -> String {
    let text = crate::charts::number(d, decimals(m, d));
    if d > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

pub fn unit_words(m: &Measure) -> String {
    xlsx::unit_words(m)
}

/// What a row says: the number as written, a scale level with its name, or the answer.
pub fn answer(m: &Measure, r: &DataRow) -> String {
    match (m.kind, r.obs_value, &r.obs_text) {
        (Kind::Text, _, Some(t)) => t.clone(),
        (Kind::Scale, Some(v), _) => {
            let level = v.max(0.0) as usize;
            match m.scale.get(level) {
                Some(name) => format!("{level}: {name}"),
                None => level.to_string(),
            }
        }
        (_, Some(v), _) => format_value(m, v),
        (_, None, Some(t)) => t.clone(),
        (_, None, None) => "—".into(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use tripart_stats::Key;

    fn row(area: &str, time: &str, v: f64) -> DataRow {
        let key = Key {
            ref_area: area.into(),
            indicator: "UNE_DEAP_SEX_AGE_RT".into(),
            sex: "SEX_T".into(),
            classif1: "AGE_YTHADULT_YGE15".into(),
            classif2: String::new(),
            time: time.into(),
        };
        DataRow::bare(key, Some(v))
    }

    fn area(code: &str, i: usize) -> Area {
        Area { code: code.into(), name: code.into(), style: i }
    }

    #[test]
    fn the_ranking_follows_the_direction_with_distances_and_trends() {
        let m = Registry::get().measure("UNE_DEAP_RT").unwrap();
        let countries = vec![
            row("THA", "2019", 1.0),
            row("THA", "2023", 1.1),
            row("THA", "2024", 1.0),
            row("VNM", "2024", 2.0),
            row("KHM", "2024", 1.0),
        ];
        let regional = vec![row(ASEAN_AREA, "2024", 1.5)];
        let d = SeriesData { measure: m, breakdown: Breakdown::default(), breakdowns: Vec::new(), countries, regional };
        let areas = [area("KHM", 0), area("THA", 1), area("VNM", 2)];
        let b = d.benchmark(&areas, "2024");
        // Unemployment: lower is better, so the lowest rank first; ties share a rank.
        assert_eq!(
            b.iter().map(|x| (x.area.code.as_str(), x.rank)).collect::<Vec<_>>(),
            [("KHM", 1), ("THA", 1), ("VNM", 3)]
        );
        assert_eq!(b[2].to_best, 1.0);
        assert_eq!(b[2].to_asean, Some(0.5));
        assert!((b[1].change_previous.unwrap() + 0.1).abs() < 1e-9);
        assert_eq!(b[1].change_5y, Some(0.0));
        assert_eq!(b[0].change_5y, None);
        assert_eq!(format_change(m, -0.1), "-0.1");
        assert_eq!(format_change(m, 0.5), "+0.5");
        assert_eq!(d.periods(), ["2019", "2023", "2024"]);
        assert_eq!(d.lines(&areas, "ASEAN").last().map(|l| l.regional), Some(true));
    }

    #[test]
    fn values_are_written_to_the_measure_s_precision() {
        let reg = Registry::get();
        assert_eq!(format_value(reg.measure("UNE_DEAP_RT").unwrap(), 5.4545), "5.5");
        assert_eq!(format_value(reg.measure("EAP_TEAP_NB").unwrap(), 40000.04), "40,000.0");
        assert_eq!(format_value(reg.measure("INJ_FATL_NB").unwrap(), 812.0), "812");
        assert_eq!(format_value(reg.measure("LAI_INDE_RT").unwrap(), 0.347), "0.35");
        let scale = reg.measure("TRP_OSLG_SC").unwrap();
        let mut r = row("THA", "2024", 3.0);
        assert_eq!(answer(scale, &r), "3: OSH law covering all sectors and workers");
        r.obs_value = Some(99.0);
        assert_eq!(answer(scale, &r), "99");
        assert_eq!(years_before("2024Q2", 5).as_deref(), Some("2019Q2"));
    }
}
