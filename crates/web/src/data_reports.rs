//! The two yearly reports on published labour-market and OSH data (issue 5, item 7): the
//! "ASEAN report on labour market performance" the 2010-2015 Work Programme asks for, on the
//! seven common indicators of the LMIS workshop, and the ASEAN-OSHNET scorecard of the Plan of
//! Action on Revitalising ASEAN-OSHNET (7.1, Appendix 3). Each is gathered here once, from
//! `query::data` on the published edition, and then typeset as a PDF or shown as a page: both
//! read the same [`DataReport`], so the two cannot disagree. Every word comes from Fluent
//! (`datarep-…`); numbers are formatted here, once, for both.
//!
//! This module reads; it never computes an ASEAN figure of its own (that is
//! `tripart_stats::regional`'s, through the query), except a member state's rate from its own
//! levels when it sent the levels and not the rate, which the row then says.

use crate::documents::Words;
use crate::error::ApiError;
use crate::AppState;
use fluent_bundle::FluentValue;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tripart_stats::obs::Key;
use tripart_stats::{regional, Kind, Measure, Registry, ASEAN_AREA};
use tripart_storage::read::Indicator;
use tripart_storage::stats::query::{self, DataQuery, DataRow};
use tripart_storage::StorageError;

/// Which of the two reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    LabourMarket,
    OshnetScorecard,
}

impl ReportKind {
    /// The path segment: `/data/reports/{slug}/{year}`.
    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::LabourMarket => "labour-market",
            ReportKind::OshnetScorecard => "oshnet-scorecard",
        }
    }

    fn template(self) -> tripart_pdf::Template {
        match self {
            ReportKind::LabourMarket => tripart_pdf::Template::LabourMarket,
            ReportKind::OshnetScorecard => tripart_pdf::Template::OshnetScorecard,
        }
    }

    fn indicator_set(self) -> &'static str {
        match self {
            ReportKind::LabourMarket => "lmis-common",
            ReportKind::OshnetScorecard => "oshnet-scorecard",
        }
    }
}

/// The years a report can be asked for: wide enough for any labour force survey, narrow
/// enough that a typo is a 400 rather than an empty report.
pub fn parse_year(raw: &str) -> Option<i32> {
    raw.parse::<i32>().ok().filter(|y| (1950..=2100).contains(y))
}

/// The series and breakdowns each LMIS indicator is reported on. The catalogue names the
/// ILOSTAT indicator; which age group or sectors a yearly report shows is a choice of this
/// report: the working-age total (15+) for the rates and employment, 15-24 for youth
/// employment (the catalogue's note), and the three broad sectors as shares of employment for
/// "employment shared by economic activity" (ILOSTAT's distribution series, computed from the
/// counts the catalogue names).
const LMIS_PANELS: &[(&str, &str, &[&str])] = &[
    ("lmis-lfpr", "EAP_DWAP_SEX_AGE_RT", &["AGE_YTHADULT_YGE15"]),
    ("lmis-employment", "EMP_TEMP_SEX_AGE_NB", &["AGE_YTHADULT_YGE15"]),
    ("lmis-underemployment", "TRU_DEMP_SEX_AGE_RT", &["AGE_YTHADULT_YGE15"]),
    ("lmis-epr", "EMP_DWAP_SEX_AGE_RT", &["AGE_YTHADULT_YGE15"]),
    ("lmis-employment-by-activity", "EMP_TEMP_SEX_ECO_DT", &["ECO_SECTOR_AGR", "ECO_SECTOR_IND", "ECO_SECTOR_SER"]),
    ("lmis-labour-productivity", "GDP_211P_NOC_NB", &[]),
    ("lmis-youth-employment", "EMP_TEMP_SEX_AGE_NB", &["AGE_YTHADULT_Y15-24"]),
];

/// The structural words of both reports, each from `datarep-<name>` in Fluent.
const LABELS: &[&str] = &[
    "contents",
    "summary",
    "indicator",
    "asean",
    "coverage",
    "included",
    "missing",
    "member-state",
    "value",
    "rank",
    "previous",
    "change",
    "male",
    "female",
    "source",
    "status",
    "definition",
    "unit",
    "series",
    "method",
    "methods",
    "sources",
    "no-data",
    "not-reported",
    "not-aggregated",
    "level",
    "levels",
    "states",
    "answer",
    "evidence",
    "demonstration",
    "generated-on",
    "page",
    "of",
    "from-levels",
    "rank-note",
    "change-note",
    "item",
    "note",
];

/// One report, ready for a template (typst or askama).
#[derive(Debug, Clone, Serialize)]
pub struct DataReport {
    /// `labour-market` or `oshnet-scorecard`.
    pub kind: &'static str,
    pub lang: String,
    pub labels: BTreeMap<&'static str, String>,
    pub title: String,
    pub subtitle: String,
    pub year: i32,
    pub generated_on: String,
    /// Some value shown is demonstration data (its note_source says DEMONSTRATION).
    pub demonstration: bool,
    /// Whether any member state has a published value for the year.
    pub has_data: bool,
    /// Paragraphs: what the report is, and how the ASEAN figure is computed.
    pub introduction: Vec<String>,
    pub methods: Vec<String>,
    pub summary: Vec<SummaryRow>,
    pub sections: Vec<Section>,
    /// Every source a value shown came from, by member state.
    pub sources: Vec<SourceRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    pub label: String,
    pub name: String,
    pub breakdown: String,
    pub asean: String,
    pub unit: String,
    pub coverage: String,
    pub change: String,
}

/// One indicator (or scorecard item), with its definition and one panel per series shown.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub label: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub panels: Vec<Panel>,
}

/// One series for one breakdown: the ASEAN figure and every member state.
#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    pub title: String,
    pub series: String,
    pub measure: String,
    pub unit: String,
    /// `number`, `scale` or `text`.
    pub kind: &'static str,
    /// How the ASEAN figure is computed, in words (from the aggregation itself).
    pub method: String,
    pub asean: Option<Figure>,
    /// "2 of 10 member states".
    pub coverage: String,
    pub included: Vec<String>,
    /// "Brunei Darussalam (not reported)".
    pub missing: Vec<String>,
    /// Whether male and female values exist for this panel.
    pub by_sex: bool,
    pub rows: Vec<Row>,
    /// The scale's levels, with the states at each (scales only).
    pub levels: Vec<Level>,
    /// The largest value shown, for bar lengths.
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub value: String,
    pub number: Option<f64>,
    pub previous: String,
    pub change: String,
    pub male: String,
    pub female: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub code: String,
    pub state: String,
    pub value: String,
    pub number: Option<f64>,
    pub rank: String,
    pub previous: String,
    pub change: String,
    pub male: String,
    pub female: String,
    pub source: String,
    pub status: String,
    pub demonstration: bool,
    /// A text answer or a scale level's name, with what the state gave as evidence.
    pub answer: String,
    pub evidence: String,
    /// The state sent the levels, not the rate: the value is computed from them.
    pub from_levels: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub level: usize,
    pub name: String,
    pub count: u32,
    pub states: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub state: String,
    pub source: String,
    pub note: String,
}

/// The data reports' own words, beside those of the other documents.
impl Words<'_> {
    fn with(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.s.i18n.message(self.lang, key, args)
    }
    /// Why the aggregation left a state out, in words; a reason without a message as given.
    fn reason(&self, reason: &str) -> String {
        let slug: String =
            reason.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        let key = format!("datarep-reason-{slug}");
        if self.s.i18n.has(self.lang, &key) {
            self.get(&key)
        } else {
            reason.to_string()
        }
    }
    /// The unit as shown: values in thousands say so.
    fn unit(&self, m: &Measure) -> String {
        match m.unit_mult {
            0 => m.unit.clone(),
            n => self.with(
                "datarep-unit-scaled",
                &[("unit", FluentValue::from(m.unit.clone())), ("power", FluentValue::from(n))],
            ),
        }
    }
}

/// Gathers one report for `year` from the published data.
pub async fn gather(s: &AppState, lang: &str, kind: ReportKind, year: i32) -> Result<DataReport, ApiError> {
    let w = Words { s, lang };
    let reg = Registry::get();
    let states = tripart_storage::read::member_states(&s.db, None).await?;
    let names: BTreeMap<String, String> = states.into_iter().map(|m| (m.code, m.name)).collect();
    let catalogue = tripart_storage::read::indicators(&s.db, Some(kind.indicator_set()), None).await?;
    let mut g = Gatherer { s, w: &w, reg, names: &names, year, sources: BTreeSet::new(), demonstration: false };
    let mut sections = Vec::new();
    for item in &catalogue {
        let mut panels = Vec::new();
        for (series, classif1) in panels_of(kind, item, reg) {
            panels.push(g.panel(&series, &classif1).await?);
        }
        sections.push(Section {
            id: item.code.clone(),
            label: item.label.clone().unwrap_or_default(),
            name: item.name.clone(),
            definition: item.definition.clone(),
            unit: item.unit.clone().unwrap_or_default(),
            panels,
        });
    }
    let summary = summary_rows(&sections);
    let has_data = sections.iter().flat_map(|x| &x.panels).flat_map(|p| &p.rows).any(|r| r.has_value());
    let sources = g
        .sources
        .iter()
        .map(|(state, source, note)| SourceRow { state: state.clone(), source: source.clone(), note: note.clone() })
        .collect();
    let year_arg = || [("year", FluentValue::from(year.to_string()))];
    let (title, subtitle, intro, methods) = match kind {
        ReportKind::LabourMarket => (
            w.with("datarep-lm-title", &year_arg()),
            w.get("datarep-lm-subtitle"),
            vec![w.get("datarep-lm-intro")],
            vec![w.get("datarep-method-rates"), w.get("datarep-method-weighted"), w.get("datarep-method-levels")],
        ),
        ReportKind::OshnetScorecard => (
            w.with("datarep-osh-title", &year_arg()),
            w.get("datarep-osh-subtitle"),
            vec![w.get("datarep-osh-intro")],
            vec![w.get("datarep-method-rates"), w.get("datarep-method-levels"), w.get("datarep-method-scales")],
        ),
    };
    Ok(DataReport {
        kind: kind.slug(),
        lang: lang.to_string(),
        labels: LABELS.iter().map(|k| (*k, w.get(&format!("datarep-{k}")))).collect(),
        title,
        subtitle,
        year,
        generated_on: tripart_domain::time::today(),
        demonstration: g.demonstration,
        has_data,
        introduction: intro,
        methods,
        summary,
        sections,
        sources,
    })
}

/// The report typeset. Typesetting is CPU work: on the blocking pool.
pub async fn pdf(kind: ReportKind, report: &DataReport) -> Result<Vec<u8>, ApiError> {
    let data = serde_json::to_value(report)
        .map_err(|e| ApiError::Internal(StorageError::Corrupt(format!("report data: {e}"))))?;
    crate::documents::typeset(kind.template(), data).await
}

impl DataReport {
    /// A structural word; an unknown key shows as itself rather than failing the page.
    pub fn label(&self, key: &str) -> String {
        self.labels.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

impl Panel {
    /// Whether a value shown was computed from levels, so that the mark is explained.
    pub fn any_from_levels(&self) -> bool {
        self.rows.iter().any(|r| r.from_levels)
    }
}

impl Row {
    fn has_value(&self) -> bool {
        self.number.is_some() || !self.answer.is_empty()
    }
}

/// The series and classif1 of each panel of a catalogue item.
fn panels_of(kind: ReportKind, item: &Indicator, reg: &Registry) -> Vec<(String, String)> {
    match kind {
        ReportKind::LabourMarket => LMIS_PANELS
            .iter()
            .filter(|(code, _, _)| *code == item.code)
            .flat_map(|(_, series, classifs)| {
                if classifs.is_empty() {
                    vec![(series.to_string(), String::new())]
                } else {
                    classifs.iter().map(|c| (series.to_string(), c.to_string())).collect()
                }
            })
            .collect(),
        ReportKind::OshnetScorecard => scorecard_series(item, reg),
    }
}

/// The series an ASEAN-OSHNET scorecard item is collected as: the measures marked with the
/// item (`scorecard = "oshnet-…"`), the ILO measure the catalogue maps it to, and the rates
/// built on those (inspectors per 10,000 employed on the number of inspectors), each as the
/// series of the yearly request, at its total breakdown.
fn scorecard_series(item: &Indicator, reg: &Registry) -> Vec<(String, String)> {
    let mut measures: Vec<String> = reg
        .measures()
        .iter()
        .filter(|m| m.scorecard.as_deref() == Some(item.code.as_str()))
        .map(|m| m.code.clone())
        .collect();
    if let Some(ilo) = &item.ilostat {
        let measure = reg.series(ilo).map(|s| s.measure).ok().or_else(|| reg.measure(ilo).map(|m| m.code.clone()));
        if let Some(m) = measure.filter(|m| !measures.contains(m)) {
            measures.push(m);
        }
    }
    let built_on: Vec<String> = reg
        .measures()
        .iter()
        .filter(|m| m.scorecard.is_none() && m.numerator.as_ref().is_some_and(|n| measures.contains(n)))
        .map(|m| m.code.clone())
        .collect();
    measures.extend(built_on);
    let mut out = Vec::new();
    for m in measures {
        let found = tripart_stats::formats::xlsx::collection().iter().find_map(|g| {
            g.indicators
                .iter()
                .find(|i| reg.series(i).is_ok_and(|s| s.measure == m))
                .map(|i| (i.clone(), g.classif1.first().cloned().unwrap_or_default()))
        });
        if let Some((series, classif1)) = found {
            let has_classif = reg.series(&series).is_ok_and(|s| !s.classifs().is_empty());
            out.push((series, if has_classif { classif1 } else { String::new() }));
        }
    }
    out
}

/// One line per panel: the ASEAN figure for the total (both sexes).
fn summary_rows(sections: &[Section]) -> Vec<SummaryRow> {
    sections
        .iter()
        .flat_map(|x| {
            x.panels.iter().filter(|p| p.kind != "text").map(move |p| SummaryRow {
                label: x.label.clone(),
                name: x.name.clone(),
                breakdown: p.title.clone(),
                asean: p.asean.as_ref().map(|a| a.value.clone()).unwrap_or_default(),
                unit: p.unit.clone(),
                coverage: p.coverage.clone(),
                change: p.asean.as_ref().map(|a| a.change.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

struct Gatherer<'a> {
    s: &'a AppState,
    w: &'a Words<'a>,
    reg: &'a Registry,
    names: &'a BTreeMap<String, String>,
    year: i32,
    /// (state, source, note) of every value shown.
    sources: BTreeSet<(String, String, String)>,
    demonstration: bool,
}

/// The rows of one series for one period, by (ref_area, sex).
type Rows = HashMap<(String, String), DataRow>;

/// Rates computed from a state's levels, with the levels' source, by (ref_area, sex).
type Levels = HashMap<(String, String), (f64, String)>;

const TOTAL_SEXES: [&str; 2] = ["SEX_T", ""];

impl Gatherer<'_> {
    fn name(&self, code: &str) -> String {
        self.names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }

    async fn read(&self, series: &str, classif1: &str, time: i32) -> Result<Rows, StorageError> {
        let q = DataQuery {
            indicator: series.to_string(),
            classif1: (!classif1.is_empty()).then(|| classif1.to_string()),
            time: Some(time.to_string()),
            ..DataQuery::default()
        };
        // Only the breakdowns without a second classification: the report shows totals.
        Ok(query::data(&self.s.db, &q)
            .await?
            .into_iter()
            .filter(|r| r.classif2.is_empty())
            .map(|r| ((r.ref_area.clone(), r.sex.clone()), r))
            .collect())
    }

    async fn panel(&mut self, series: &str, classif1: &str) -> Result<Panel, ApiError> {
        let reg = self.reg;
        let measure = reg.series(series).ok().and_then(|s| reg.measure(&s.measure));
        let Some(measure) = measure else {
            return Ok(self.empty_panel(series));
        };
        let now = self.read(series, classif1, self.year).await?;
        let before = self.read(series, classif1, self.year - 1).await?;
        let levels_now = self.rates_from_levels(series, classif1, self.year, measure).await?;
        let levels_before = self.rates_from_levels(series, classif1, self.year - 1, measure).await?;
        let value = |rows: &Rows, levels: &Levels, area: &str, sex: &str| -> Option<(f64, bool)> {
            let one = [sex];
            let sexes: &[&str] = if sex.is_empty() { &TOTAL_SEXES } else { &one };
            sexes.iter().find_map(|sx| {
                let key = (area.to_string(), sx.to_string());
                rows.get(&key)
                    .and_then(|r| r.obs_value)
                    .map(|v| (v, false))
                    .or_else(|| levels.get(&key).map(|(v, _)| (*v, true)))
            })
        };
        let total_row = |rows: &Rows, area: &str| -> Option<DataRow> {
            TOTAL_SEXES.iter().find_map(|sx| rows.get(&(area.to_string(), sx.to_string())).cloned())
        };
        let fmt = |v: Option<f64>| v.map(|v| format_value(v, measure)).unwrap_or_default();
        let kind = match measure.kind {
            Kind::Scale => "scale",
            Kind::Text => "text",
            _ => "number",
        };
        let by_sex = now.keys().any(|(area, sex)| area != ASEAN_AREA && (sex == "SEX_M" || sex == "SEX_F"));

        // Member states: values, ranks (highest first, ties share a rank), change.
        let mut rows = Vec::new();
        for code in self.names.keys() {
            let current = value(&now, &levels_now, code, "");
            let previous = value(&before, &levels_before, code, "").map(|(v, _)| v);
            let row = total_row(&now, code);
            // A rate computed from levels is sourced like the levels it came from.
            let source = row.as_ref().and_then(|r| r.source.clone()).unwrap_or_else(|| {
                TOTAL_SEXES
                    .iter()
                    .find_map(|sx| levels_now.get(&(code.clone(), sx.to_string())).map(|(_, src)| src.clone()))
                    .unwrap_or_default()
            });
            let note = row.as_ref().and_then(|r| r.note_source.clone()).unwrap_or_default();
            let demonstration = [&now, &before]
                .iter()
                .flat_map(|rows| rows.iter())
                .filter(|((area, _), _)| area == code)
                .any(|(_, r)| is_demonstration(r));
            self.demonstration |= demonstration;
            let answer = match measure.kind {
                Kind::Text => row.as_ref().and_then(|r| r.obs_text.clone()).unwrap_or_default(),
                Kind::Scale => current.and_then(|(v, _)| level_name(measure, v)).unwrap_or_default(),
                _ => String::new(),
            };
            if current.is_some() || !answer.is_empty() {
                self.sources.insert((self.name(code), source.clone(), note));
            }
            rows.push(Row {
                code: code.clone(),
                state: self.name(code),
                value: if measure.kind == Kind::Scale { answer.clone() } else { fmt(current.map(|c| c.0)) },
                number: current.map(|c| c.0),
                rank: String::new(),
                previous: fmt(previous),
                change: change(current.map(|c| c.0), previous, measure),
                male: fmt(value(&now, &levels_now, code, "SEX_M").map(|c| c.0)),
                female: fmt(value(&now, &levels_now, code, "SEX_F").map(|c| c.0)),
                source,
                status: row.as_ref().and_then(|r| r.obs_status.clone()).unwrap_or_default(),
                demonstration,
                answer,
                evidence: row.as_ref().and_then(|r| r.evidence.clone()).unwrap_or_default(),
                from_levels: current.is_some_and(|c| c.1),
            });
        }
        rows.sort_by(|a, b| a.state.cmp(&b.state));
        if kind == "number" {
            let ranked: Vec<f64> = rows.iter().filter_map(|r| r.number).collect();
            for r in &mut rows {
                if let Some(v) = r.number {
                    r.rank = (1 + ranked.iter().filter(|o| **o > v).count()).to_string();
                }
            }
        }

        // The ASEAN figure, as the query computed it, with its coverage.
        let region = total_row(&now, ASEAN_AREA);
        let region_before = total_row(&before, ASEAN_AREA);
        let coverage = region.as_ref().and_then(|r| r.coverage.clone());
        let region_value =
            |rows: &Rows, sex: &str| rows.get(&(ASEAN_AREA.to_string(), sex.to_string())).and_then(|r| r.obs_value);
        let not_aggregated = coverage.as_ref().is_some_and(|c| c.method == "not-aggregated");
        let asean = (kind == "number" && !not_aggregated).then(|| {
            let v = region.as_ref().and_then(|r| r.obs_value);
            let p = region_before.as_ref().and_then(|r| r.obs_value);
            Figure {
                value: fmt(v),
                number: v,
                previous: fmt(p),
                change: change(v, p, measure),
                male: fmt(region_value(&now, "SEX_M")),
                female: fmt(region_value(&now, "SEX_F")),
            }
        });
        let included: Vec<String> = coverage.iter().flat_map(|c| &c.included).map(|m| self.name(&m.ref_area)).collect();
        let missing: Vec<String> = match &coverage {
            Some(c) if !not_aggregated => {
                c.missing.iter().map(|g| format!("{} ({})", self.name(&g.ref_area), self.w.reason(&g.reason))).collect()
            }
            // No figure (or nothing published): every state without a value is missing.
            _ => rows.iter().filter(|r| !r.has_value()).map(|r| r.state.clone()).collect(),
        };
        let coverage_text = self.w.with(
            "datarep-coverage-count",
            &[
                ("n", FluentValue::from(rows.iter().filter(|r| r.has_value()).count())),
                ("total", FluentValue::from(rows.len())),
            ],
        );
        let method = match &coverage {
            Some(c) if not_aggregated => format!("{}: {}", self.w.get("datarep-not-aggregated"), c.note),
            Some(c) => c.note.clone(),
            None => String::new(),
        };
        let levels = if measure.kind == Kind::Scale {
            measure
                .scale
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let at: Vec<String> =
                        rows.iter().filter(|r| r.number == Some(i as f64)).map(|r| r.state.clone()).collect();
                    Level { level: i, name: name.clone(), count: at.len() as u32, states: at.join(", ") }
                })
                .collect()
        } else {
            Vec::new()
        };
        let max = rows
            .iter()
            .filter_map(|r| r.number)
            .chain(asean.as_ref().and_then(|a| a.number))
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max);
        Ok(Panel {
            title: self.breakdown_title(series, classif1),
            series: series.to_string(),
            measure: measure.name.clone(),
            unit: self.w.unit(measure),
            kind,
            method,
            asean,
            coverage: coverage_text,
            included,
            missing,
            by_sex,
            rows,
            levels,
            max,
        })
    }

    /// A panel for a series the registry does not know (a catalogue edit ahead of the code).
    fn empty_panel(&self, series: &str) -> Panel {
        Panel {
            title: series.to_string(),
            series: series.to_string(),
            measure: String::new(),
            unit: String::new(),
            kind: "number",
            method: String::new(),
            asean: None,
            coverage: String::new(),
            included: Vec::new(),
            missing: Vec::new(),
            by_sex: false,
            rows: Vec::new(),
            levels: Vec::new(),
            max: 0.0,
        }
    }

    /// "Age (Youth, adults): 15+", or the measure's name when there is no breakdown.
    fn breakdown_title(&self, series: &str, classif1: &str) -> String {
        let reg = self.reg;
        let measure = reg.series(series).ok().and_then(|s| reg.measure(&s.measure)).map(|m| m.name.clone());
        let name = measure.unwrap_or_else(|| series.to_string());
        match reg.code(classif1) {
            // A breakdown that is only "Total" (migrant status) says nothing worth a title.
            Some(c) if c.name != "Total" => {
                let scheme = reg.scheme_label(c.scheme()).unwrap_or(c.family.as_str()).to_string();
                format!("{name} — {scheme}: {}", c.name)
            }
            _ => name,
        }
    }

    /// A rate for the states that published its numerator and denominator but not the rate
    /// itself, by (area, sex): what the ASEAN figure counted them with.
    async fn rates_from_levels(
        &self,
        series: &str,
        classif1: &str,
        time: i32,
        measure: &Measure,
    ) -> Result<Levels, StorageError> {
        let mut out = HashMap::new();
        if measure.kind != Kind::Rate {
            return Ok(out);
        }
        let probe = Key {
            ref_area: String::new(),
            indicator: series.to_string(),
            sex: String::new(),
            classif1: classif1.to_string(),
            classif2: String::new(),
            time: time.to_string(),
        };
        let Some(c) = regional::components(self.reg, &probe) else { return Ok(out) };
        let (Some(num), Some(den)) = (c.numerator, c.denominator) else { return Ok(out) };
        let members: Vec<String> = self.names.keys().cloned().collect();
        let read = |k: Key| {
            let q = DataQuery {
                indicator: k.indicator,
                ref_area: members.clone(),
                classif1: (!k.classif1.is_empty()).then_some(k.classif1),
                time: Some(time.to_string()),
                ..DataQuery::default()
            };
            async move { query::data(&self.s.db, &q).await }
        };
        let nums = read(num).await?;
        let dens = read(den).await?;
        for n in nums.iter().filter(|r| r.classif2.is_empty()) {
            let d = dens.iter().find(|d| d.ref_area == n.ref_area && d.sex == n.sex && d.classif2.is_empty());
            if let (Some(nv), Some(dv)) = (n.obs_value, d.and_then(|d| d.obs_value)) {
                if dv > 0.0 {
                    let source = n.source.clone().unwrap_or_default();
                    out.insert((n.ref_area.clone(), n.sex.clone()), (measure.per * nv / dv, source));
                }
            }
        }
        Ok(out)
    }
}

fn is_demonstration(r: &DataRow) -> bool {
    r.note_source.as_deref().is_some_and(|n| n.to_uppercase().contains("DEMONSTRATION"))
}

fn level_name(m: &Measure, v: f64) -> Option<String> {
    (v >= 0.0 && v.fract() == 0.0).then(|| m.scale.get(v as usize).cloned()).flatten()
}

/// Decimals a measure is shown with: one for percentages and counts in thousands, two for
/// rates per 1,000 or more (rare events), none for money per worker and plain counts.
fn decimals(m: &Measure) -> usize {
    match m.kind {
        Kind::Rate if m.per > 100.0 => 2,
        Kind::Rate => 1,
        Kind::Ratio if m.unit.starts_with('%') => 1,
        Kind::Ratio => 0,
        Kind::Level if m.unit_mult > 0 => 1,
        _ => 0,
    }
}

/// A value with thousands separated by commas and the measure's decimals: 93,000.0.
pub fn format_value(v: f64, m: &Measure) -> String {
    group(v, decimals(m))
}

fn group(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The change from the previous year, signed, in the measure's unit (points for rates).
fn change(now: Option<f64>, before: Option<f64>, m: &Measure) -> String {
    match (now, before) {
        (Some(a), Some(b)) if m.kind != Kind::Scale && m.kind != Kind::Text => {
            let d = a - b;
            let text = group(d, decimals(m));
            if text.starts_with('-') || text.chars().all(|c| !c.is_ascii_digit() || c == '0') {
                text
            } else {
                format!("+{text}")
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_signed() {
        assert_eq!(group(93000.0, 1), "93,000.0");
        assert_eq!(group(1.56989, 1), "1.6");
        assert_eq!(group(-1234567.0, 0), "-1,234,567");
        assert_eq!(group(-0.01, 1), "0.0");
        assert_eq!(group(f64::NAN, 1), "");
        assert_eq!(group(999.96, 1), "1,000.0");
    }

    #[test]
    fn a_change_is_signed_and_a_nil_change_is_not() {
        let reg = Registry::get();
        let Some(m) = reg.measure("UNE_DEAP_RT") else { return };
        assert_eq!(change(Some(2.0), Some(1.5), m), "+0.5");
        assert_eq!(change(Some(1.5), Some(2.0), m), "-0.5");
        assert_eq!(change(Some(1.5), Some(1.5), m), "0.0");
        assert_eq!(change(Some(1.5), None, m), "");
    }

    #[test]
    fn every_lmis_panel_names_a_series_the_registry_knows() {
        let reg = Registry::get();
        for (_, series, _) in LMIS_PANELS {
            assert!(reg.series(series).is_ok(), "{series}");
        }
    }
}
