//! The public data pages (issue 5): what is published (`/data`), one indicator with its charts,
//! benchmarking, map, coverage of the ASEAN figure and downloads (`/data/indicators/{code}`),
//! a member state's profile (`/data/countries/{code}`) and the ASEAN-OSHNET scorecard
//! (`/data/scorecard`). The public reads published data only: every read here is
//! `Edition::Published` through `tripart_storage::stats::query::data`, the same query as the
//! API. The figures are computed in `view`; this module parses requests and renders.

mod view;

use super::{failure, form_query, render, Layout, Tr};
use crate::charts::{map, series};
use crate::error::ApiError;
use crate::params::parse_query;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use serde::Deserialize;
use tripart_stats::formats::xlsx;
use tripart_stats::{Kind, Registry, Series};
use tripart_storage::read;
use tripart_storage::stats::query::Coverage;
use view::{Breakdown, SeriesData};

pub use view::Area;

/// A message with named arguments, for the sentences that put several figures together.
fn msg(t: &Tr, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue)> = args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))).collect();
    t.loc.message(&t.lang, key, &args)
}

/// The member states by name (ILOSTAT's order), each with its place in the chart palette.
async fn members(s: &AppState) -> Result<Vec<Area>, ApiError> {
    let mut states = read::member_states(&s.db, None).await?;
    states.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(states.into_iter().enumerate().map(|(i, m)| Area { code: m.code, name: m.name, style: i }).collect())
}

/// How a series is broken down, in words: "Unemployment rate, by sex and age".
fn series_name(t: &Tr, series: &Series) -> String {
    let reg = Registry::get();
    let name = reg.measure(&series.measure).map(|m| m.name.clone()).unwrap_or_else(|| series.code.clone());
    if series.dims.is_empty() {
        return name;
    }
    let dims: Vec<String> = series.dims.iter().map(|d| t.label("data-dim", &d.to_lowercase())).collect();
    msg(t, "data-series-by", &[("name", name), ("dims", dims.join(", "))])
}

/// The codes of a breakdown in words: "Total, 15+".
fn breakdown_words(b: &Breakdown) -> String {
    let reg = Registry::get();
    let names: Vec<String> = [&b.sex, &b.classif1, &b.classif2]
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|c| reg.code(c).map(|x| x.name.clone()).unwrap_or_else(|| c.clone()))
        .collect();
    names.join(", ")
}

/// The coverage of an ASEAN figure in words: "8 of 11 member states; missing: Brunei
/// Darussalam (not reported); rates weighted by labour force".
fn coverage_words(t: &Tr, cov: &Coverage, areas: &[Area]) -> String {
    let name = |code: &str| areas.iter().find(|a| a.code == code).map(|a| a.name.clone()).unwrap_or(code.to_string());
    let total = cov.included.len() + cov.missing.len();
    let mut out =
        msg(t, "data-coverage-count", &[("included", cov.included.len().to_string()), ("total", total.to_string())]);
    if !cov.missing.is_empty() {
        let missing: Vec<String> = cov
            .missing
            .iter()
            .map(|g| {
                let reason = match g.reason.as_str() {
                    "not reported" => t.get("data-reason-not-reported"),
                    "no denominator to weight by" => t.get("data-reason-no-denominator"),
                    other => other.to_string(),
                };
                format!("{} ({reason})", name(&g.ref_area))
            })
            .collect();
        out.push_str("; ");
        out.push_str(&t.with("data-coverage-missing", &missing.join(", ")));
    }
    out.push_str("; ");
    out.push_str(&cov.note);
    out
}

// ---------------------------------------------------------------------------------------------
// /data

pub struct PublishedIndicator {
    pub code: String,
    pub name: String,
    pub breakdown: String,
    /// The latest ASEAN figure, its period and coverage in words.
    pub asean: Option<(String, String, String)>,
}

pub struct PublishedGroup {
    pub title: String,
    pub indicators: Vec<PublishedIndicator>,
}

pub struct MeasureRow {
    pub code: String,
    pub name: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "data.html")]
struct OverviewPage {
    layout: Layout,
    groups: Vec<PublishedGroup>,
    measures: Vec<MeasureRow>,
}

pub async fn overview(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/data").await;
    let reg = Registry::get();
    let result = async {
        let areas = members(&s).await?;
        let mut groups = Vec::new();
        for g in xlsx::collection() {
            let mut indicators = Vec::new();
            for code in &g.indicators {
                let Ok(series) = reg.series(code) else { continue };
                let data = view::load(&s.db, &series, &Breakdown::default()).await?;
                let asean = data.latest_regional().and_then(|r| {
                    let v = r.obs_value?;
                    let words = r.coverage.as_ref().map(|c| coverage_words(&layout.t, c, &areas)).unwrap_or_default();
                    Some((view::format_value(data.measure, v), r.time.clone(), words))
                });
                indicators.push(PublishedIndicator {
                    code: series.code.clone(),
                    name: series_name(&layout.t, &series),
                    breakdown: breakdown_words(&data.breakdown),
                    asean,
                });
            }
            groups.push(PublishedGroup { title: g.title.clone(), indicators });
        }
        let measures = reg
            .measures()
            .iter()
            .map(|m| MeasureRow { code: m.code.clone(), name: m.name.clone(), unit: view::unit_words(m) })
            .collect();
        Ok::<_, ApiError>((groups, measures))
    };
    match result.await {
        Ok((groups, measures)) => render(&OverviewPage { layout, groups, measures }),
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------------------------------------
// /data/indicators/{code}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorParams {
    sex: Option<String>,
    classif1: Option<String>,
    classif2: Option<String>,
    /// The period of the ranking and the map; default the latest.
    time: Option<String>,
}

/// A select of the breakdown form.
pub struct Choice {
    pub name: &'static str,
    pub label: String,
    /// (code, words, selected)
    pub options: Vec<(String, String, bool)>,
}

pub struct Download {
    pub label: String,
    pub href: String,
}

/// One row of the benchmarking table.
pub struct BenchRow {
    pub rank: usize,
    pub area: Area,
    pub value: String,
    pub to_best: String,
    pub to_asean: String,
    pub change_previous: String,
    pub change_5y: String,
}

pub struct TextRow {
    pub area: Area,
    pub time: String,
    pub answer: String,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "data_indicator.html")]
struct IndicatorPage {
    layout: Layout,
    code: String,
    name: String,
    breakdown: String,
    unit: String,
    note: Option<String>,
    quantitative: bool,
    choices: Vec<Choice>,
    periods: Vec<String>,
    chosen: String,
    /// The table: a header per area (ASEAN last), a row per period, newest first.
    columns: Vec<String>,
    table: Vec<(String, Vec<String>)>,
    asean: Option<String>,
    coverage: Option<String>,
    direction: String,
    bench: Vec<BenchRow>,
    texts: Vec<TextRow>,
    distribution: Vec<(String, u32)>,
    line_svg: String,
    bars_svg: String,
    multiples_svg: String,
    map_svg: String,
    downloads: Vec<Download>,
    chart_query: String,
}

/// The indicator a path names: an ILOSTAT bulk code of a series Tripart collects, or a 404.
fn path_series(layout: &Layout, code: &str) -> Result<Series, ApiError> {
    Registry::get().series(code.trim()).map_err(|_| {
        ApiError::NotFound(layout.t.with("data-indicator-not-found", &tripart_domain::ids::truncate(code, 60)))
    })
}

/// A requested code for one dimension of the series, or a 400 naming the parameter.
fn dim_param(name: &str, given: &Option<String>, family: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(code) = given.as_deref().map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
    let reg = Registry::get();
    match (family, reg.code(code)) {
        (Some(f), Some(c)) if &c.family == f => Ok(Some(c.code.clone())),
        (None, _) => Err(ApiError::bad(name, "this indicator has no such breakdown")),
        _ => Err(ApiError::bad(
            name,
            format!(
                "`{}` is not a code of this indicator's {} breakdown",
                tripart_domain::ids::truncate(code, 40),
                family.map(String::as_str).unwrap_or("")
            ),
        )),
    }
}

/// Everything the indicator page and its chart downloads show.
struct IndicatorView {
    page: IndicatorPage,
}

async fn indicator_view(
    s: &AppState,
    layout: Layout,
    code: &str,
    raw: Option<&str>,
) -> Result<IndicatorView, (Layout, ApiError)> {
    let series = match path_series(&layout, code) {
        Ok(x) => x,
        Err(e) => return Err((layout, e)),
    };
    let parsed = (|| {
        let p: IndicatorParams = parse_query(form_query(raw).as_deref())?;
        let classifs = series.classifs();
        let sex_family = "SEX".to_string();
        let wanted = Breakdown {
            sex: dim_param("sex", &p.sex, series.has_sex().then_some(&sex_family))?.unwrap_or_default(),
            classif1: dim_param("classif1", &p.classif1, classifs.first())?.unwrap_or_default(),
            classif2: dim_param("classif2", &p.classif2, classifs.get(1))?.unwrap_or_default(),
        };
        let time = p
            .time
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                tripart_stats::obs::normalise_period(t)
                    .ok_or_else(|| ApiError::bad("time", "a period: 2024, 2024Q1 or 2024M01"))
            })
            .transpose()?;
        Ok::<_, ApiError>((wanted, time))
    })();
    let (wanted, time) = match parsed {
        Ok(x) => x,
        Err(e) => return Err((layout, e)),
    };
    let loaded = async {
        let areas = members(s).await?;
        let data = view::load(&s.db, &series, &wanted).await?;
        Ok::<_, ApiError>((areas, data))
    };
    let (areas, data) = match loaded.await {
        Ok(x) => x,
        Err(e) => return Err((layout, e)),
    };
    Ok(IndicatorView { page: indicator_page(layout, &series, &areas, data, time) })
}

fn indicator_page(
    layout: Layout,
    series: &Series,
    areas: &[Area],
    data: SeriesData,
    time: Option<String>,
) -> IndicatorPage {
    let t = &layout.t;
    let reg = Registry::get();
    let m = data.measure;
    let name = series_name(t, series);
    let breakdown = breakdown_words(&data.breakdown);
    let periods = data.periods();
    let chosen = time.clone().or_else(|| periods.last().cloned()).unwrap_or_default();
    let asean_name = t.get("data-asean");

    // The breakdown form: the codes the published data hold, for each dimension.
    let mut choices = Vec::new();
    let dims: Vec<(&'static str, &String)> = series
        .has_sex()
        .then_some(("sex", &series.dims[0]))
        .into_iter()
        .chain(series.classifs().iter().enumerate().map(|(i, d)| (if i == 0 { "classif1" } else { "classif2" }, d)))
        .collect();
    for (param, dim) in dims {
        let current = data.breakdown.get(param);
        let options = data
            .available(param)
            .into_iter()
            .map(|c| {
                let words = reg.code(&c).map(|x| x.name.clone()).unwrap_or_else(|| c.clone());
                let selected = c == current;
                (c, words, selected)
            })
            .collect();
        choices.push(Choice { name: param, label: t.label("data-dim", &dim.to_lowercase()), options });
    }

    // The table: a row per period (newest first), a column per state and ASEAN.
    let mut columns: Vec<String> = areas.iter().map(|a| a.name.clone()).collect();
    columns.push(asean_name.clone());
    let table = periods
        .iter()
        .rev()
        .map(|p| {
            let mut cells: Vec<String> = areas.iter().map(|a| data.cell(&a.code, p)).collect();
            cells.push(data.cell(tripart_stats::ASEAN_AREA, p));
            (p.clone(), cells)
        })
        .collect();

    let regional_now = data.regional_at(&chosen);
    let asean = regional_now.and_then(|r| r.obs_value).map(|v| view::format_value(m, v));
    let coverage = regional_now.and_then(|r| r.coverage.as_ref()).map(|c| coverage_words(t, c, areas));
    let distribution = regional_now
        .and_then(|r| r.coverage.as_ref())
        .map(|c| {
            c.distribution
                .iter()
                .enumerate()
                .map(|(i, n)| (m.scale.get(i).cloned().unwrap_or_else(|| i.to_string()), *n))
                .collect()
        })
        .unwrap_or_default();
    let direction = match m.better {
        Some(tripart_stats::Better::Higher) => t.get("data-direction-higher"),
        Some(tripart_stats::Better::Lower) => t.get("data-direction-lower"),
        None => t.get("data-direction-none"),
    };

    let quantitative = m.kind.is_quantitative();
    let bench: Vec<BenchRow> = if quantitative {
        data.benchmark(areas, &chosen)
            .into_iter()
            .map(|b| BenchRow {
                rank: b.rank,
                area: b.area,
                value: view::format_value(m, b.value),
                to_best: view::format_change(m, b.to_best),
                to_asean: b.to_asean.map(|d| view::format_change(m, d)).unwrap_or_else(|| "—".into()),
                change_previous: b.change_previous.map(|d| view::format_change(m, d)).unwrap_or_else(|| "—".into()),
                change_5y: b.change_5y.map(|d| view::format_change(m, d)).unwrap_or_else(|| "—".into()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let texts = if quantitative {
        Vec::new()
    } else {
        areas
            .iter()
            .filter_map(|a| {
                let r = data.latest_of(&a.code)?;
                Some(TextRow {
                    area: a.clone(),
                    time: r.time.clone(),
                    answer: view::answer(m, r),
                    evidence: r.evidence.clone().unwrap_or_default(),
                })
            })
            .collect()
    };

    let unit = view::unit_words(m);
    let (mut line_svg, mut bars_svg, mut multiples_svg, mut map_svg) =
        (String::new(), String::new(), String::new(), String::new());
    if quantitative && !periods.is_empty() {
        let lines = data.lines(areas, &asean_name);
        let desc = msg(t, "data-chart-line-desc", &[("name", name.clone()), ("breakdown", breakdown.clone())]);
        line_svg = series::line_chart(
            &series::Frame { id: "chart-line", title: &format!("{name} ({breakdown})"), desc: &desc },
            &unit,
            &lines,
        );
        let bars: Vec<series::Bar> = {
            let mut v: Vec<series::Bar> = data
                .benchmark(areas, &chosen)
                .into_iter()
                .map(|b| series::Bar {
                    label: b.area.name.clone(),
                    value: b.value,
                    text: view::format_value(m, b.value),
                    regional: false,
                })
                .collect();
            if let Some(r) = regional_now.and_then(|r| r.obs_value) {
                v.push(series::Bar {
                    label: asean_name.clone(),
                    value: r,
                    text: view::format_value(m, r),
                    regional: true,
                });
            }
            v
        };
        let desc = msg(
            t,
            "data-chart-bars-desc",
            &[("name", name.clone()), ("time", chosen.clone()), ("direction", direction.clone())],
        );
        bars_svg = series::bar_chart(
            &series::Frame {
                id: "chart-bars",
                title: &msg(t, "data-chart-bars-title", &[("name", name.clone()), ("time", chosen.clone())]),
                desc: &desc,
            },
            &unit,
            &bars,
        );
        let panels: Vec<series::Panel> = areas
            .iter()
            .map(|a| series::Panel {
                label: a.name.clone(),
                line: lines.iter().find(|l| !l.regional && l.label == a.name).cloned(),
            })
            .collect();
        let regional_line = lines.iter().find(|l| l.regional);
        let desc = msg(t, "data-chart-multiples-desc", &[("name", name.clone())]);
        multiples_svg = series::small_multiples(
            &series::Frame {
                id: "chart-multiples",
                title: &msg(t, "data-chart-multiples-title", &[("name", name.clone())]),
                desc: &desc,
            },
            &panels,
            regional_line,
            &t.get("data-no-data"),
        );
        map_svg = choropleth(t, &data, areas, &name, &chosen);
    }

    let mut query = vec![("indicator", series.code.clone())];
    for (k, v) in
        [("sex", &data.breakdown.sex), ("classif1", &data.breakdown.classif1), ("classif2", &data.breakdown.classif2)]
    {
        if !v.is_empty() {
            query.push((k, v.clone()));
        }
    }
    let api_query = serde_urlencoded::to_string(&query).unwrap_or_default();
    let mut chart_pairs: Vec<(&str, String)> = query.into_iter().skip(1).collect();
    if time.is_some() {
        chart_pairs.push(("time", chosen.clone()));
    }
    let chart_query = serde_urlencoded::to_string(&chart_pairs).unwrap_or_default();
    let downloads = [("csv", "data-download-csv"), ("xlsx", "data-download-xlsx"), ("sdmx-csv", "data-download-sdmx")]
        .into_iter()
        .map(|(f, key)| Download { label: t.get(key), href: format!("/api/v1/data?{api_query}&format={f}") })
        .collect();

    IndicatorPage {
        code: series.code.clone(),
        name,
        breakdown,
        unit,
        note: m.name_note.clone(),
        quantitative,
        choices,
        periods: periods.iter().rev().cloned().collect(),
        chosen,
        columns,
        table,
        asean,
        coverage,
        direction,
        bench,
        texts,
        distribution,
        line_svg,
        bars_svg,
        multiples_svg,
        map_svg,
        downloads,
        chart_query,
        layout,
    }
}

fn choropleth(t: &Tr, data: &SeriesData, areas: &[Area], name: &str, time: &str) -> String {
    let values: Vec<(Area, f64)> =
        areas.iter().filter_map(|a| data.value_at(&a.code, time).map(|v| (a.clone(), v))).collect();
    let bounds = map::classes(&values.iter().map(|(_, v)| *v).collect::<Vec<_>>());
    let legend: Vec<String> = bounds
        .iter()
        .map(|(lo, hi)| {
            msg(
                t,
                "data-map-class",
                &[("from", view::format_value(data.measure, *lo)), ("to", view::format_value(data.measure, *hi))],
            )
        })
        .collect();
    let regions: Vec<map::Region> = areas
        .iter()
        .map(|a| {
            let v = values.iter().find(|(x, _)| x.code == a.code).map(|(_, v)| *v);
            map::Region {
                area: a.code.clone(),
                name: a.name.clone(),
                class: v.and_then(|v| map::class_of(&bounds, v)),
                text: v.map(|v| view::format_value(data.measure, v)).unwrap_or_else(|| t.get("data-no-data")),
            }
        })
        .collect();
    let title = msg(t, "data-chart-map-title", &[("name", name.to_string()), ("time", time.to_string())]);
    let desc = t.get("data-chart-map-desc");
    map::choropleth(
        &series::Frame { id: "chart-map", title: &title, desc: &desc },
        &regions,
        &legend,
        &t.get("data-no-data"),
    )
}

pub async fn indicator(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, "/data").await;
    match indicator_view(&s, layout, &code, raw.as_deref()).await {
        Ok(v) => render(&v.page),
        Err((layout, e)) => failure(layout, e),
    }
}

/// One chart of an indicator page as a standalone SVG file, for people to download.
pub async fn chart(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path((code, kind)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let layout = Layout::new(&s, &headers, "/data").await;
    let v = match indicator_view(&s, layout, &code, raw.as_deref()).await {
        Ok(v) => v,
        Err((layout, e)) => return failure(layout, e),
    };
    let p = v.page;
    let svg = match kind.as_str() {
        "line.svg" => p.line_svg,
        "ranking.svg" => p.bars_svg,
        "multiples.svg" => p.multiples_svg,
        "map.svg" => p.map_svg,
        _ => {
            let message = p.layout.t.with("data-chart-not-found", &tripart_domain::ids::truncate(&kind, 40));
            return failure(p.layout, ApiError::NotFound(message));
        }
    };
    if svg.is_empty() {
        let message = p.layout.t.get("data-no-chart");
        return failure(p.layout, ApiError::NotFound(message));
    }
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}");
    let mut response = ([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], body).into_response();
    let file = format!("{}-{}", p.code, kind.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// /data/countries/{code}

pub struct ProfileRow {
    pub code: String,
    pub name: String,
    pub breakdown: String,
    pub time: String,
    pub value: String,
    pub asean: String,
    pub rank: String,
    pub sparkline: String,
    pub trend: String,
}

pub struct QualitativeRow {
    pub code: String,
    pub name: String,
    pub time: String,
    pub answer: String,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "data_country.html")]
struct CountryPage {
    layout: Layout,
    area: Area,
    rows: Vec<ProfileRow>,
    qualitative: Vec<QualitativeRow>,
}

pub async fn country(State(s): State<AppState>, headers: HeaderMap, Path(code): Path<String>) -> Response {
    let layout = Layout::new(&s, &headers, "/data").await;
    let reg = Registry::get();
    let result = async {
        let areas = members(&s).await?;
        let wanted = code.trim().to_ascii_uppercase();
        let area = areas.iter().find(|a| a.code == wanted).cloned().ok_or_else(|| {
            ApiError::NotFound(layout.t.with("member-state-not-found", &tripart_domain::ids::truncate(&code, 20)))
        })?;
        let mut rows = Vec::new();
        let mut qualitative = Vec::new();
        for g in xlsx::collection() {
            for ind in &g.indicators {
                let Ok(series) = reg.series(ind) else { continue };
                let data = view::load(&s.db, &series, &Breakdown::default()).await?;
                let Some(latest) = data.latest_of(&area.code) else { continue };
                let m = data.measure;
                if !m.kind.is_quantitative() {
                    qualitative.push(QualitativeRow {
                        code: series.code.clone(),
                        name: series_name(&layout.t, &series),
                        time: latest.time.clone(),
                        answer: view::answer(m, latest),
                        evidence: latest.evidence.clone().unwrap_or_default(),
                    });
                    continue;
                }
                let Some(value) = latest.obs_value else { continue };
                let time = latest.time.clone();
                let ranked = data.benchmark(&areas, &time);
                let rank = ranked
                    .iter()
                    .find(|b| b.area.code == area.code)
                    .map(|b| {
                        msg(
                            &layout.t,
                            "data-rank-of",
                            &[("rank", b.rank.to_string()), ("total", ranked.len().to_string())],
                        )
                    })
                    .unwrap_or_default();
                let points = data.points_of(&area.code);
                let trend_words: Vec<String> =
                    points.iter().map(|(p, v)| format!("{p}: {}", view::format_value(m, *v))).collect();
                let spark_points: Vec<(f64, f64)> =
                    points.iter().filter_map(|(p, v)| series::period_position(p).map(|x| (x, *v))).collect();
                rows.push(ProfileRow {
                    code: series.code.clone(),
                    name: series_name(&layout.t, &series),
                    breakdown: breakdown_words(&data.breakdown),
                    value: view::format_value(m, value),
                    asean: data
                        .regional_at(&time)
                        .and_then(|r| r.obs_value)
                        .map(|v| view::format_value(m, v))
                        .unwrap_or_else(|| "—".into()),
                    rank,
                    sparkline: series::sparkline(&trend_words.join("; "), &spark_points),
                    trend: trend_words.join("; "),
                    time,
                });
            }
        }
        Ok::<_, ApiError>((area, rows, qualitative))
    };
    match result.await {
        Ok((area, rows, qualitative)) => render(&CountryPage { layout, area, rows, qualitative }),
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------------------------------------
// /data/scorecard

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScorecardParams {
    year: Option<String>,
}

/// A quantitative item: a value per state, and ASEAN.
pub struct ScoreItem {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub cells: Vec<String>,
    pub asean: String,
    pub coverage: String,
}

/// A scale item: each state's level with its evidence, and how many states stand at each level.
pub struct ScaleItem {
    pub code: String,
    pub name: String,
    pub cells: Vec<(Area, String, String)>,
    pub levels: Vec<(usize, String, u32)>,
}

pub struct TextItem {
    pub code: String,
    pub name: String,
    pub answers: Vec<(Area, String, String)>,
}

#[derive(Template)]
#[template(path = "data_scorecard.html")]
struct ScorecardPage {
    layout: Layout,
    year: String,
    years: Vec<String>,
    areas: Vec<Area>,
    numbers: Vec<ScoreItem>,
    scales: Vec<ScaleItem>,
    texts: Vec<TextItem>,
}

/// The scorecard's series: the collected ones whose measure is a scorecard item, and the
/// injury and inspection series that report items (a), (c) and (d).
fn scorecard_series() -> Vec<Series> {
    let reg = Registry::get();
    xlsx::collection()
        .iter()
        .flat_map(|g| g.indicators.iter())
        .filter_map(|code| reg.series(code).ok())
        .filter(|s| {
            reg.measure(&s.measure).is_some_and(|m| m.scorecard.is_some())
                || s.measure.starts_with("INJ_FATL_")
                || s.measure.starts_with("LAI_")
        })
        .collect()
}

pub async fn scorecard(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/data/scorecard").await;
    let result = async {
        let p: ScorecardParams = parse_query(form_query(raw.as_deref()).as_deref())?;
        let year = crate::params::year("year", &p.year)?.map(|y| y.to_string());
        let areas = members(&s).await?;
        let mut loaded = Vec::new();
        for series in scorecard_series() {
            let data = view::load(&s.db, &series, &Breakdown::default()).await?;
            loaded.push((series, data));
        }
        let mut years: Vec<String> = loaded.iter().flat_map(|(_, d)| d.periods()).filter(|p| p.len() == 4).collect();
        years.sort();
        years.dedup();
        let year = year.or_else(|| years.last().cloned()).unwrap_or_default();
        let t = &layout.t;
        let (mut numbers, mut scales, mut texts) = (Vec::new(), Vec::new(), Vec::new());
        for (series, data) in &loaded {
            let m = data.measure;
            let name = series_name(t, series);
            match m.kind {
                Kind::Text => texts.push(TextItem {
                    code: series.code.clone(),
                    name,
                    answers: areas
                        .iter()
                        .filter_map(|a| {
                            let r = data.row_at(&a.code, &year)?;
                            Some((a.clone(), view::answer(m, r), r.evidence.clone().unwrap_or_default()))
                        })
                        .collect(),
                }),
                Kind::Scale => {
                    let distribution = data
                        .regional_at(&year)
                        .and_then(|r| r.coverage.as_ref())
                        .map(|c| c.distribution.clone())
                        .unwrap_or_default();
                    scales.push(ScaleItem {
                        code: series.code.clone(),
                        name,
                        cells: areas
                            .iter()
                            .filter_map(|a| {
                                let r = data.row_at(&a.code, &year)?;
                                Some((a.clone(), view::answer(m, r), r.evidence.clone().unwrap_or_default()))
                            })
                            .collect(),
                        levels: m
                            .scale
                            .iter()
                            .enumerate()
                            .map(|(i, l)| (i, l.clone(), distribution.get(i).copied().unwrap_or(0)))
                            .collect(),
                    });
                }
                _ => {
                    let regional = data.regional_at(&year);
                    numbers.push(ScoreItem {
                        code: series.code.clone(),
                        name,
                        unit: view::unit_words(m),
                        cells: areas.iter().map(|a| data.cell(&a.code, &year)).collect(),
                        asean: data.cell(tripart_stats::ASEAN_AREA, &year),
                        coverage: regional
                            .and_then(|r| r.coverage.as_ref())
                            .map(|c| coverage_words(t, c, &areas))
                            .unwrap_or_default(),
                    });
                }
            }
        }
        Ok::<_, ApiError>((year, years, areas, numbers, scales, texts))
    };
    match result.await {
        Ok((year, years, areas, numbers, scales, texts)) => {
            render(&ScorecardPage { layout, year, years, areas, numbers, scales, texts })
        }
        Err(e) => failure(layout, e),
    }
}

/// The keys this module builds at run time, for the test that every message exists.
#[cfg(test)]
const BUILT_KEYS: &[&str] = &[
    "data-series-by",
    "data-coverage-count",
    "data-coverage-missing",
    "data-reason-not-reported",
    "data-reason-no-denominator",
    "data-asean",
    "data-direction-higher",
    "data-direction-lower",
    "data-direction-none",
    "data-chart-line-desc",
    "data-chart-bars-title",
    "data-chart-bars-desc",
    "data-chart-multiples-title",
    "data-chart-multiples-desc",
    "data-chart-map-title",
    "data-chart-map-desc",
    "data-map-class",
    "data-no-data",
    "data-download-csv",
    "data-download-xlsx",
    "data-download-sdmx",
    "data-indicator-not-found",
    "data-chart-not-found",
    "data-no-chart",
    "data-rank-of",
    "data-dim-sex",
    "data-dim-age",
    "data-dim-geo",
    "data-dim-eco",
    "data-dim-ins",
    "data-dim-mig",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_built_key_is_in_english() {
        let loc = crate::i18n::Localizer::load();
        for k in super::BUILT_KEYS {
            assert!(loc.has(crate::i18n::DEFAULT_LANG, k), "{k}");
        }
    }

    #[test]
    fn the_scorecard_has_its_items() {
        let codes: Vec<String> = super::scorecard_series().into_iter().map(|s| s.code).collect();
        for c in ["INJ_FATL_SEX_MIG_RT", "LAI_INDE_SEX_RT", "TRP_OSLG_NOC_SC", "TRP_OSRC_NOC_TX", "TRP_OSMS_NOC_RT"] {
            assert!(codes.iter().any(|x| x == c), "{c}");
        }
    }
}
