//! Reading data back in ILOSTAT's fields: a member state's observations, or the ASEAN figure
//! (`X84`) computed on the spot from the published data (never from a stored aggregate that
//! could go stale), with its coverage. The public reads the newest vintage; any earlier vintage
//! can be read and two compared; focal points and validators may read the newest revisions.

use crate::{params, Db, StorageError, Tx, Value};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use tripart_stats::obs::{Key, KeyRef};
use tripart_stats::regional::{self, CountryFigures};
use tripart_stats::{Registry, ASEAN_AREA};

/// Which revision of each observation a read sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// What is published now.
    #[default]
    Published,
    /// As published in vintage N.
    Vintage(i64),
    /// The newest revision, published or not (focal points and validators).
    Working,
}

#[derive(Debug, Clone, Default)]
pub struct DataQuery {
    pub indicator: String,
    /// Member states or `X84`; empty: every member state.
    pub ref_area: Vec<String>,
    pub sex: Option<String>,
    pub classif1: Option<String>,
    pub classif2: Option<String>,
    /// One period, or a range with `time_from`/`time_to`.
    pub time: Option<String>,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    pub edition: Edition,
}

/// One observation in ILOSTAT's fields; regional rows carry their coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataRow {
    pub ref_area: String,
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    pub time: String,
    pub obs_value: Option<f64>,
    /// The answer of a qualitative text measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obs_text: Option<String>,
    pub obs_status: Option<String>,
    pub source: Option<String>,
    pub note_indicator: Option<String>,
    pub note_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_error: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cv: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_count: Option<i64>,
    /// Where the value stands in the workflow (working reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observation_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

impl DataRow {
    /// An observation's key and value, with no attribute: what a computed row starts from.
    pub fn bare(key: Key, obs_value: Option<f64>) -> DataRow {
        DataRow {
            ref_area: key.ref_area,
            indicator: key.indicator,
            sex: key.sex,
            classif1: key.classif1,
            classif2: key.classif2,
            time: key.time,
            obs_value,
            obs_text: None,
            obs_status: None,
            source: None,
            note_indicator: None,
            note_source: None,
            evidence: None,
            std_error: None,
            cv: None,
            sample_count: None,
            state: None,
            observation_id: None,
            coverage: None,
        }
    }
}

/// Which member states a regional figure covers and how it was computed.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// ratio-of-sums, weighted-by-denominator, sum, distribution or not-aggregated.
    pub method: String,
    pub note: String,
    pub included: Vec<CoverageMember>,
    pub missing: Vec<CoverageGap>,
    /// For scales: member states at each level, from 0.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub distribution: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageMember {
    pub ref_area: String,
    /// levels, rate × denominator, value × denominator, value or scale level.
    pub basis: String,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageGap {
    pub ref_area: String,
    pub reason: String,
}

const FIELDS: &str = "v.series, s.ref_area, s.indicator, s.sex, s.classif1, s.classif2, v.time, v.state, \
    v.value, v.text_value, v.obs_status, v.source, v.note_indicator, v.note_source, v.evidence, v.std_error, v.cv, v.sample_count";

/// The columns of `fetch_values`, the value seventh.
const VALUE_FIELDS: &str = "s.ref_area, s.indicator, s.sex, s.classif1, s.classif2, v.time, v.value";

/// The revision rows (`v`) an edition sees of the series `s`: joined after `stat_series s`.
fn edition_join(edition: Edition) -> String {
    match edition {
        Edition::Published => "JOIN stat_value v ON v.series = s.id AND v.published = 1".to_string(),
        Edition::Working => "JOIN stat_value v ON v.series = s.id AND v.state <> 'superseded'".to_string(),
        // Of each observation, the newest revision published in vintage N or before (a newer
        // revision is always published in a later vintage).
        Edition::Vintage(n) => format!(
            "JOIN stat_value v ON v.series = s.id AND v.published_in <= {n} \
             AND NOT EXISTS (SELECT 1 FROM stat_value w WHERE w.series = v.series AND w.time = v.time \
                             AND w.published_in <= {n} AND w.revision > v.revision)"
        ),
    }
}

/// Which series a read covers.
enum Series<'a> {
    /// Every breakdown of these indicators.
    Indicators(&'a [String]),
    /// These breakdowns only: (indicator, sex, classif1, classif2).
    Breakdowns(&'a [[String; 4]]),
}

/// The observations of the given series, in the edition asked for, with every attribute.
async fn fetch(tx: &mut Tx, series: Series<'_>, q: &DataQuery, areas: &[String]) -> Result<Vec<DataRow>, StorageError> {
    read_rows(tx, series, q, areas, false).await
}

/// The values alone, unordered, without the attributes (notes, sources, errors): what the
/// ASEAN figure is computed from, and a tenth of the reading.
async fn fetch_values(tx: &mut Tx, series: Series<'_>, q: &DataQuery) -> Result<Vec<DataRow>, StorageError> {
    read_rows(tx, series, q, &[], true).await
}

async fn read_rows(
    tx: &mut Tx,
    series: Series<'_>,
    q: &DataQuery,
    areas: &[String],
    values_only: bool,
) -> Result<Vec<DataRow>, StorageError> {
    let mut p: Vec<Value> = Vec::new();
    let list = |vals: &[String], p: &mut Vec<Value>| -> String {
        vals.iter()
            .map(|v| {
                p.push(Value::from(v));
                format!("${}", p.len())
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let join = edition_join(q.edition);
    let which = match series {
        Series::Indicators(indicators) => format!("s.indicator IN ({})", list(indicators, &mut p)),
        Series::Breakdowns(breakdowns) => {
            let each: Vec<String> = breakdowns
                .iter()
                .map(|b| {
                    let [i, x, c1, c2] = b.each_ref().map(|v| list(std::slice::from_ref(v), &mut p));
                    format!("(s.indicator = {i} AND s.sex = {x} AND s.classif1 = {c1} AND s.classif2 = {c2})")
                })
                .collect();
            format!("({})", each.join(" OR "))
        }
    };
    let fields = if values_only { VALUE_FIELDS } else { FIELDS };
    let mut sql = format!("SELECT {fields} FROM stat_series s {join} WHERE {which}");
    if !areas.is_empty() {
        sql.push_str(&format!(" AND s.ref_area IN ({})", list(areas, &mut p)));
    }
    if let Some(v) = &q.time {
        p.push(Value::from(v));
        sql.push_str(&format!(" AND v.time = ${}", p.len()));
    }
    if let Some(v) = &q.time_from {
        p.push(Value::from(v));
        sql.push_str(&format!(" AND v.time >= ${}", p.len()));
    }
    if let Some(v) = &q.time_to {
        p.push(Value::from(v));
        sql.push_str(&format!(" AND v.time <= ${}", p.len()));
    }
    if !values_only {
        sql.push_str(" ORDER BY s.indicator, s.ref_area, v.time, s.sex, s.classif1, s.classif2");
    }
    let rows = tx.fetch_all(&sql, &p).await?;
    let working = q.edition == Edition::Working;
    if values_only {
        return rows.iter().map(|r| Ok(DataRow::bare(super::row_key(r)?, r.values()[6].as_f64()))).collect();
    }
    rows.iter()
        .map(|r| {
            let v = r.values();
            Ok(DataRow {
                obs_text: r.opt_str("text_value")?,
                obs_status: r.opt_str("obs_status")?,
                source: r.opt_str("source")?,
                note_indicator: r.opt_str("note_indicator")?,
                note_source: r.opt_str("note_source")?,
                evidence: r.opt_str("evidence")?,
                std_error: v[15].as_f64(),
                cv: v[16].as_f64(),
                sample_count: r.opt_i64("sample_count")?,
                state: working.then(|| r.str("state")).transpose()?,
                observation_id: working
                    .then(|| super::observation_id(r.i64("series")?, &r.str("time")?))
                    .transpose()?,
                ..DataRow::bare(super::row_key(r)?, v[8].as_f64())
            })
        })
        .collect()
}

fn key_of(r: &DataRow) -> Key {
    Key {
        ref_area: r.ref_area.clone(),
        indicator: r.indicator.clone(),
        sex: r.sex.clone(),
        classif1: r.classif1.clone(),
        classif2: r.classif2.clone(),
        time: r.time.clone(),
    }
}

fn matches(q: &DataQuery, r: &DataRow) -> bool {
    q.sex.as_ref().is_none_or(|s| *s == r.sex)
        && q.classif1.as_ref().is_none_or(|c| *c == r.classif1)
        && q.classif2.as_ref().is_none_or(|c| *c == r.classif2)
}

/// Observations for member states and, when `X84` is asked for, the ASEAN figures.
pub async fn data(db: &Db, q: &DataQuery) -> Result<Vec<DataRow>, StorageError> {
    let reg = Registry::get();
    let Ok(series) = reg.series(&q.indicator) else { return Ok(Vec::new()) };
    let mut tx = db.begin_read().await?;
    let members = super::member_states(db).await?;
    let want_region = q.ref_area.is_empty() || q.ref_area.iter().any(|a| a == ASEAN_AREA);
    let states: Vec<String> = if q.ref_area.is_empty() {
        Vec::new()
    } else {
        q.ref_area.iter().filter(|a| *a != ASEAN_AREA).cloned().collect()
    };
    let mut out: Vec<DataRow> = Vec::new();
    if q.ref_area.is_empty() || !states.is_empty() {
        // One breakdown asked for: read that series only, not every breakdown of the indicator.
        let one = single_breakdown(&series, q).map(|k| [[k.indicator, k.sex, k.classif1, k.classif2]]);
        let which = match &one {
            Some(breakdown) => Series::Breakdowns(breakdown),
            None => Series::Indicators(std::slice::from_ref(&series.code)),
        };
        out = fetch(&mut tx, which, q, &states).await?.into_iter().filter(|r| matches(q, r)).collect();
    }
    if want_region && q.edition != Edition::Working {
        out.extend(regional_rows(&mut tx, reg, q, &members).await?);
    }
    Ok(out)
}

/// The breakdowns (sex, classif1, classif2) of an indicator that hold a value in an edition,
/// in any member state: what a page offers to choose from, without reading the values.
pub async fn breakdowns(db: &Db, indicator: &str, edition: Edition) -> Result<Vec<[String; 3]>, StorageError> {
    let held = match edition {
        Edition::Published => {
            "EXISTS (SELECT 1 FROM stat_value v WHERE v.series = s.id AND v.published = 1)".to_string()
        }
        Edition::Working => "EXISTS (SELECT 1 FROM stat_value v WHERE v.series = s.id)".to_string(),
        Edition::Vintage(n) => {
            format!("EXISTS (SELECT 1 FROM stat_value v WHERE v.series = s.id AND v.published_in <= {n})")
        }
    };
    let rows = db
        .fetch_all(
            &format!(
                "SELECT DISTINCT s.sex, s.classif1, s.classif2 FROM stat_series s WHERE s.indicator = $1 AND {held}"
            ),
            &params![indicator],
        )
        .await?;
    rows.iter().map(|r| Ok([r.str("sex")?, r.str("classif1")?, r.str("classif2")?])).collect()
}

/// The breakdown a query names in full (every dimension of the series given), as a key
/// without area and period.
fn single_breakdown(series: &tripart_stats::registry::Series, q: &DataQuery) -> Option<Key> {
    let classifs = series.classifs().len();
    let given = |v: &Option<String>, needed: bool| -> Option<String> {
        match (v, needed) {
            (Some(v), true) => Some(v.clone()),
            (None, false) => Some(String::new()),
            _ => None,
        }
    };
    Some(Key {
        ref_area: String::new(),
        indicator: series.code.clone(),
        sex: given(&q.sex, series.has_sex())?,
        classif1: given(&q.classif1, classifs >= 1)?,
        classif2: given(&q.classif2, classifs >= 2)?,
        time: String::new(),
    })
}

/// The series one breakdown's ASEAN figure draws on: its own, its numerator's and
/// denominator's, and the more detailed series that hold the same totals.
fn drawn_on(reg: &Registry, probe: Key) -> Vec<[String; 4]> {
    let mut keys = vec![probe.clone()];
    if let Some(c) = regional::components(reg, &probe) {
        for k in [c.numerator, c.denominator].into_iter().flatten() {
            keys.extend(regional::equivalents(reg, &k));
            keys.push(k);
        }
    }
    let set: BTreeSet<[String; 4]> = keys.into_iter().map(|k| [k.indicator, k.sex, k.classif1, k.classif2]).collect();
    set.into_iter().collect()
}

/// The ASEAN figure for every breakdown and period the member states' data hold.
async fn regional_rows(
    tx: &mut Tx,
    reg: &Registry,
    q: &DataQuery,
    members: &[String],
) -> Result<Vec<DataRow>, StorageError> {
    let Ok(series) = reg.series(&q.indicator) else { return Ok(Vec::new()) };
    let Some(measure) = reg.measure(&series.measure) else { return Ok(Vec::new()) };
    // Every series the figure may draw on: the measure's own, its numerator's and
    // denominator's, and the more detailed series that hold the same totals.
    let probe = Key {
        ref_area: String::new(),
        indicator: series.code.clone(),
        sex: q.sex.clone().unwrap_or_default(),
        classif1: q.classif1.clone().unwrap_or_default(),
        classif2: q.classif2.clone().unwrap_or_default(),
        time: String::new(),
    };
    let mut indicators: BTreeSet<String> = BTreeSet::from([series.code.clone()]);
    if let Some(c) = regional::components(reg, &probe) {
        for k in [c.numerator, c.denominator].into_iter().flatten() {
            indicators.extend(regional::equivalents(reg, &k).into_iter().map(|e| e.indicator));
            indicators.insert(k.indicator);
        }
    }
    let indicators: Vec<String> = indicators.into_iter().collect();
    let time_only = DataQuery { sex: None, classif1: None, classif2: None, ..q.clone() };
    // One breakdown asked for: read only the series its figure draws on, not every breakdown.
    let rows = match single_breakdown(&series, q) {
        Some(probe) => fetch_values(tx, Series::Breakdowns(&drawn_on(reg, probe)), &time_only).await?,
        None => fetch_values(tx, Series::Indicators(&indicators), &time_only).await?,
    };
    let by_key: hashbrown::HashMap<Key, &DataRow> = rows.iter().map(|r| (key_of(r), r)).collect();
    // The breakdowns and periods: those any member state reported for the measure itself or
    // for its numerator (a state may send levels and no rate).
    let numerator = measure.numerator.as_deref().and_then(|m| series.with_measure(m)).map(|s| s.code);
    let mut slots: BTreeSet<(&str, &str, &str, &str)> = BTreeSet::new();
    for r in &rows {
        let own = r.indicator == series.code || numerator.as_deref() == Some(r.indicator.as_str());
        if own && matches(q, r) {
            slots.insert((&r.time, &r.sex, &r.classif1, &r.classif2));
        }
    }
    // A breakdown's numerator and denominator, each with the keys that hold the same value,
    // worked out once per breakdown (area and period are filled in at the look-up).
    let mut parts: HashMap<(&str, &str, &str), [Vec<Key>; 2]> = HashMap::new();
    let value_at = |keys: &[Key], area: &str, time: &str| -> Option<f64> {
        keys.iter().find_map(|k| by_key.get(&KeyRef { ref_area: area, time, ..k.view() }).and_then(|r| r.obs_value))
    };
    let mut out = Vec::new();
    for (time, sex, classif1, classif2) in slots {
        let [num, den] = parts.entry((sex, classif1, classif2)).or_insert_with(|| {
            let probe = Key {
                ref_area: String::new(),
                indicator: series.code.clone(),
                sex: sex.into(),
                classif1: classif1.into(),
                classif2: classif2.into(),
                time: String::new(),
            };
            let with_equivalents = |k: Option<Key>| -> Vec<Key> {
                k.map(|k| std::iter::once(k.clone()).chain(regional::equivalents(reg, &k)).collect())
                    .unwrap_or_default()
            };
            let c = regional::components(reg, &probe);
            let (n, d) = c.map(|c| (c.numerator, c.denominator)).unwrap_or_default();
            [with_equivalents(n), with_equivalents(d)]
        });
        let own = KeyRef { ref_area: "", indicator: &series.code, sex, classif1, classif2, time };
        let figures: Vec<CountryFigures> = members
            .iter()
            .map(|area| CountryFigures {
                area: area.clone(),
                value: by_key.get(&KeyRef { ref_area: area, ..own }).and_then(|r| r.obs_value),
                numerator: value_at(num, area, time),
                denominator: value_at(den, area, time),
            })
            .collect();
        let r = regional::aggregate(reg, measure, members, &figures);
        let method =
            serde_json::to_value(r.method).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        out.push(DataRow {
            source: Some("Tripart: computed from the member states' published data".into()),
            coverage: Some(Coverage {
                method,
                note: r.note,
                included: r
                    .included
                    .into_iter()
                    .map(|c| CoverageMember { ref_area: c.area, basis: c.basis.into(), weight: c.weight })
                    .collect(),
                missing: r
                    .missing
                    .into_iter()
                    .map(|(a, why)| CoverageGap { ref_area: a, reason: why.into() })
                    .collect(),
                distribution: r.distribution,
            }),
            ..DataRow::bare(KeyRef { ref_area: ASEAN_AREA, ..own }.to_key(), r.value)
        });
    }
    Ok(out)
}

/// One value that differs between two vintages.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VintageChange {
    pub ref_area: String,
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    pub time: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub before_status: Option<String>,
    pub after_status: Option<String>,
}

/// What changed for an indicator between vintage `a` and vintage `b` (values added, revised
/// or whose status changed).
pub async fn compare(db: &Db, indicator: &str, a: i64, b: i64) -> Result<Vec<VintageChange>, StorageError> {
    let mut tx = db.begin_read().await?;
    let ind = [indicator.to_string()];
    let q = |n| DataQuery { indicator: indicator.into(), edition: Edition::Vintage(n), ..DataQuery::default() };
    let old = fetch(&mut tx, Series::Indicators(&ind), &q(a), &[]).await?;
    let new = fetch(&mut tx, Series::Indicators(&ind), &q(b), &[]).await?;
    let old: HashMap<Key, &DataRow> = old.iter().map(|r| (key_of(r), r)).collect();
    let mut out = Vec::new();
    for r in &new {
        let before = old.get(&key_of(r));
        if before
            .is_some_and(|o| o.obs_value == r.obs_value && o.obs_status == r.obs_status && o.obs_text == r.obs_text)
        {
            continue;
        }
        out.push(VintageChange {
            ref_area: r.ref_area.clone(),
            indicator: r.indicator.clone(),
            sex: r.sex.clone(),
            classif1: r.classif1.clone(),
            classif2: r.classif2.clone(),
            time: r.time.clone(),
            before: before.and_then(|o| o.obs_value),
            after: r.obs_value,
            before_status: before.and_then(|o| o.obs_status.clone()),
            after_status: r.obs_status.clone(),
        });
    }
    Ok(out)
}

/// An observation's life: every revision with its submission, and every workflow event.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObservationHistory {
    pub revisions: Vec<RevisionEntry>,
    pub events: Vec<EventEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionEntry {
    pub revision: i64,
    pub value: Option<f64>,
    pub text_value: Option<String>,
    pub obs_status: Option<String>,
    pub submission: String,
    pub format: String,
    pub reason: Option<String>,
    pub at: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventEntry {
    pub revision: i64,
    pub kind: String,
    pub comment: Option<String>,
    pub at: String,
    pub by: Option<String>,
}

pub async fn history(db: &Db, observation: i64) -> Result<Option<ObservationHistory>, StorageError> {
    let Some((series, time)) = super::observation_of(observation) else { return Ok(None) };
    let mut tx = db.begin_read().await?;
    let rows = tx
        .fetch_all(
            "SELECT r.revision, r.value, r.text_value, r.obs_status, r.submission, s.format, s.reason, s.created_at, s.created_by, s.submitted, \
             vt.published_at, vt.published_by \
             FROM stat_value r JOIN stat_submission s ON s.id = r.submission LEFT JOIN stat_vintage vt ON vt.number = r.published_in \
             WHERE r.series = $1 AND r.time = $2 ORDER BY r.revision",
            &params![series, &time],
        )
        .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let revisions = rows
        .iter()
        .map(|r| {
            Ok(RevisionEntry {
                revision: r.i64("revision")?,
                value: r.values()[1].as_f64(),
                text_value: r.opt_str("text_value")?,
                obs_status: r.opt_str("obs_status")?,
                submission: r.str("submission")?,
                format: r.str("format")?,
                reason: r.opt_str("reason")?,
                at: r.str("created_at")?,
                by: r.opt_str("created_by")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    // A revision whose submission went straight to the validators was submitted with it; a
    // published one was published with its vintage.
    let mut events: Vec<EventEntry> = Vec::new();
    for (row, entry) in rows.iter().zip(&revisions) {
        if row.bool("submitted")? {
            events.push(EventEntry {
                revision: entry.revision,
                kind: "submitted".into(),
                comment: None,
                at: entry.at.clone(),
                by: entry.by.clone(),
            });
        }
        if let Some(at) = row.opt_str("published_at")? {
            events.push(EventEntry {
                revision: entry.revision,
                kind: "published".into(),
                comment: None,
                at,
                by: row.opt_str("published_by")?,
            });
        }
    }
    let rows = tx
        .fetch_all(
            "SELECT e.revision, st.kind, st.comment, st.at, st.by_user FROM stat_event e JOIN stat_step st ON st.id = e.step \
             WHERE e.series = $1 AND e.time = $2 ORDER BY st.at, st.id",
            &params![series, &time],
        )
        .await?;
    for r in &rows {
        events.push(EventEntry {
            revision: r.i64("revision")?,
            kind: r.str("kind")?,
            comment: r.opt_str("comment")?,
            at: r.str("at")?,
            by: r.opt_str("by_user")?,
        });
    }
    // In time order; within the same millisecond, a revision's submission before its steps.
    events.sort_by(|a, b| (&a.at, a.revision).cmp(&(&b.at, b.revision)));
    Ok(Some(ObservationHistory { revisions, events }))
}

/// The validators' queue: values submitted (and validated ones not yet published), with the
/// rule warnings their current revision raised.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    /// The first `limit` values, by area, indicator, period and breakdown.
    pub items: Vec<QueueItem>,
    /// How many values match, shown or not.
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub observation_id: i64,
    pub revision: i64,
    /// submitted or validated.
    pub state: String,
    pub ref_area: String,
    pub indicator: String,
    pub sex: String,
    pub classif1: String,
    pub classif2: String,
    pub time: String,
    pub obs_value: Option<f64>,
    pub obs_text: Option<String>,
    pub obs_status: Option<String>,
    pub findings: Vec<QueueFinding>,
}

/// A rule the value's revision broke without being refused (a warning).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueFinding {
    pub rule: String,
    pub severity: String,
    pub message: String,
}

/// The queue, optionally for one member state and one indicator. A large submission can put
/// thousands of values in it: `limit` keeps a page readable, `total` says how many there are.
pub async fn queue(
    db: &Db,
    ref_area: Option<&str>,
    indicator: Option<&str>,
    limit: i64,
) -> Result<Queue, StorageError> {
    let mut tx = db.begin_read().await?;
    let mut filter = String::from("v.state IN ('submitted', 'validated')");
    let mut p: Vec<Value> = Vec::new();
    for (col, v) in [("s.ref_area", ref_area), ("s.indicator", indicator)] {
        if let Some(v) = v {
            p.push(Value::from(v));
            filter.push_str(&format!(" AND {col} = ${}", p.len()));
        }
    }
    let total = tx
        .fetch_optional(
            &format!("SELECT COUNT(*) AS n FROM stat_series s JOIN stat_value v ON v.series = s.id WHERE {filter}"),
            &p,
        )
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(0);
    let mut page = p.clone();
    page.push(Value::from(limit.max(0)));
    let rows = tx
        .fetch_all(
            &format!(
                "SELECT v.series, v.revision, v.state, s.ref_area, s.indicator, s.sex, s.classif1, s.classif2, v.time, \
                 v.value, v.text_value, v.obs_status \
                 FROM stat_series s JOIN stat_value v ON v.series = s.id \
                 WHERE {filter} ORDER BY s.ref_area, s.indicator, v.time, s.sex, s.classif1, s.classif2 LIMIT ${}",
                page.len()
            ),
            &page,
        )
        .await?;
    let mut items = rows
        .iter()
        .map(|r| {
            Ok(QueueItem {
                observation_id: super::observation_id(r.i64("series")?, &r.str("time")?)?,
                revision: r.i64("revision")?,
                state: r.str("state")?,
                ref_area: r.str("ref_area")?,
                indicator: r.str("indicator")?,
                sex: r.str("sex")?,
                classif1: r.str("classif1")?,
                classif2: r.str("classif2")?,
                time: r.str("time")?,
                obs_value: r.values()[9].as_f64(),
                obs_text: r.opt_str("text_value")?,
                obs_status: r.opt_str("obs_status")?,
                findings: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    // The findings of the revisions shown: those of older revisions were answered by the newer.
    let findings = tx
        .fetch_all(
            &format!(
                "SELECT f.series, f.time, f.rule, f.severity, f.message FROM stat_finding f \
                 JOIN stat_value v ON v.series = f.series AND v.time = f.time AND v.revision = f.revision \
                 JOIN stat_series s ON s.id = v.series \
                 WHERE {filter} ORDER BY f.series, f.time, f.rule"
            ),
            &p,
        )
        .await?;
    let index: HashMap<i64, usize> = items.iter().enumerate().map(|(i, q)| (q.observation_id, i)).collect();
    for f in findings {
        if let Some(&i) = index.get(&super::observation_id(f.i64("series")?, &f.str("time")?)?) {
            items[i].findings.push(QueueFinding {
                rule: f.str("rule")?,
                severity: f.str("severity")?,
                message: f.str("message")?,
            });
        }
    }
    Ok(Queue { items, total })
}
