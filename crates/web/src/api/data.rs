//! Labour-market and OSH data: observations in ILOSTAT's fields for a member state or ASEAN
//! (`X84`, computed from the published data with its coverage); imports; the pre-filled Excel
//! template; the validation workflow and published vintages; the rules.

use super::body::{JsonBody, UploadBody};
use super::progress::download;
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params::parse_query;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_stats::formats::xlsx;
use tripart_stats::Registry;
use tripart_storage::stats::import::{self, ImportReport, Submission};
use tripart_storage::stats::query::{self, DataQuery, DataRow, Edition, ObservationHistory, VintageChange};
use tripart_storage::stats::workflow::{self, Selection, Vintage};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DataParams {
    /// ILOSTAT indicator code, e.g. UNE_DEAP_SEX_AGE_RT.
    pub indicator: String,
    /// Member state codes or X84 (ASEAN), comma-separated; default every member state and X84.
    pub ref_area: Option<String>,
    pub sex: Option<String>,
    pub classif1: Option<String>,
    pub classif2: Option<String>,
    /// One period: 2024, 2024Q1, 2024M01.
    pub time: Option<String>,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    /// Read as published in this vintage.
    pub vintage: Option<String>,
    /// `working`: the newest revisions, published or not (focal points and validators).
    pub edition: Option<String>,
    /// json (default), csv (ILOSTAT bulk code format), sdmx-csv (SDMX-CSV 2.0, dataflow
    /// ILO:DF_<indicator>(1.0), the series' dimensions as columns) or xlsx (Excel, ILOSTAT's
    /// fields).
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DataList {
    pub items: Vec<DataRow>,
}

fn period(name: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    v.as_deref()
        .map(|t| {
            tripart_stats::obs::normalise_period(t)
                .ok_or_else(|| ApiError::bad(name, "a period: 2024, 2024Q1 or 2024M01"))
        })
        .transpose()
}

fn code(name: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some(c) if Registry::get().code(c).is_some() => Ok(Some(c.to_string())),
        Some(c) => Err(ApiError::bad(
            name,
            format!("`{}` is not an ILO classification code Tripart knows", tripart_domain::ids::truncate(c, 40)),
        )),
    }
}

/// Working reads are for those who may validate, or submit for every area asked for.
fn may_read_working(actor: &Actor, areas: &[String]) -> bool {
    let validator =
        authorize(actor, &Operation::Validate(Scope { bodies: vec!["asec".into()], member_states: Vec::new() }))
            .is_ok();
    validator
        || (!areas.is_empty()
            && areas.iter().all(|a| authorize(actor, &Operation::SubmitFor { member_state: a.clone() }).is_ok()))
}

#[utoipa::path(get, path = "/api/v1/data", tag = "data", params(DataParams),
    responses((status = 200, body = DataList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn data(State(s): State<AppState>, auth: Auth, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let p: DataParams = parse_query(raw.as_deref())?;
    let reg = Registry::get();
    let series = reg.series(p.indicator.trim()).map_err(|e| ApiError::bad("indicator", e))?;
    let members = tripart_storage::stats::member_states(&s.db).await?;
    let ref_area: Vec<String> = p
        .ref_area
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|a| a.trim().to_ascii_uppercase())
        .filter(|a| !a.is_empty())
        .collect();
    if let Some(bad) = ref_area.iter().find(|a| *a != tripart_stats::ASEAN_AREA && !members.contains(a)) {
        return Err(ApiError::bad(
            "ref_area",
            format!("`{}` is neither a member state nor X84", tripart_domain::ids::truncate(bad, 20)),
        ));
    }
    let edition = match (p.edition.as_deref(), p.vintage.as_deref()) {
        (Some("working"), None) => {
            if !may_read_working(&auth.actor, &ref_area) {
                return Err(ApiError::Forbidden(
                    "unpublished data are for the focal points of the areas asked for and the validators".into(),
                ));
            }
            Edition::Working
        }
        (None | Some("published"), None) => Edition::Published,
        (None | Some("published"), Some(v)) => Edition::Vintage(
            v.parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| ApiError::bad("vintage", "a vintage number"))?,
        ),
        (Some(_), _) => return Err(ApiError::bad("edition", "published (default) or working, without a vintage")),
    };
    let q = DataQuery {
        indicator: series.code.clone(),
        ref_area,
        sex: code("sex", &p.sex)?,
        classif1: code("classif1", &p.classif1)?,
        classif2: code("classif2", &p.classif2)?,
        time: period("time", &p.time)?,
        time_from: period("time_from", &p.time_from)?,
        time_to: period("time_to", &p.time_to)?,
        edition,
    };
    let items = query::data(&s.db, &q).await?;
    let (media_type, file, bytes) = match p.format.as_deref() {
        None | Some("json") => return Ok(Json(DataList { items }).into_response()),
        Some("csv") => (
            "text/csv; charset=utf-8",
            format!("{}.csv", series.code),
            crate::data_files::ilostat_csv(&items).into_bytes(),
        ),
        Some("sdmx-csv") => (
            "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
            format!("{}.sdmx.csv", series.code),
            crate::data_files::sdmx_csv(&series, &items).into_bytes(),
        ),
        Some("xlsx") => {
            let name = reg.measure(&series.measure).map(|m| m.name.clone()).unwrap_or_default();
            let title = format!("Tripart: {name} ({})", series.code);
            let note = "ILOSTAT's fields. X84 is ASEAN, computed by Tripart from the member states' published data: a rate is the ratio of the sums over the states that reported.";
            (
                crate::documents::XLSX,
                format!("{}.xlsx", series.code),
                crate::data_files::workbook(&series, &items, &title, note)?,
            )
        }
        Some(_) => return Err(ApiError::bad("format", "json, csv, sdmx-csv or xlsx")),
    };
    // The data change with each publication: a download is revalidated, never cached blindly.
    let mut resp = download(media_type, &file, bytes);
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
    Ok(resp)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportInput {
    pub file_name: Option<String>,
    /// The file, base64-encoded: ILOSTAT bulk CSV, SDMX-CSV, WDI CSV or the Excel template.
    pub content_base64: String,
    /// Why (kept with every revision).
    pub reason: Option<String>,
    /// Send to the validators at once (default: keep as a draft).
    #[serde(default)]
    pub submit: bool,
}

#[utoipa::path(post, path = "/api/v1/data/imports", tag = "data", request_body = ImportInput,
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_data(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    UploadBody(input): UploadBody<ImportInput>,
) -> Result<(StatusCode, Json<ImportReport>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input.content_base64.trim())
        .map_err(|_| ApiError::bad("content_base64", "not base64"))?;
    let sub = Submission {
        file_name: input.file_name.map(|n| tripart_domain::ids::truncate(&n, 200).to_string()),
        reason: input
            .reason
            .filter(|r| !r.trim().is_empty())
            .map(|r| tripart_domain::ids::truncate(&r, 2000).to_string()),
        submit: input.submit,
    };
    let report = import::import_file(&s.db, actor, &bytes, &sub).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateParams {
    /// The member state.
    pub ref_area: String,
    /// The period asked for, e.g. 2024.
    pub time: String,
}

#[utoipa::path(get, path = "/api/v1/data/template.xlsx", tag = "data", params(TemplateParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn template(State(s): State<AppState>, auth: Auth, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let p: TemplateParams = parse_query(raw.as_deref())?;
    let actor = auth.require_user()?;
    let area = p.ref_area.trim().to_ascii_uppercase();
    let time = tripart_stats::obs::normalise_period(&p.time)
        .ok_or_else(|| ApiError::bad("time", "a period: 2024, 2024Q1 or 2024M01"))?;
    if !import::areas_for(&s.db, actor).await?.contains(&area) {
        return Err(ApiError::Forbidden(format!(
            "you may not submit data for `{}`",
            tripart_domain::ids::truncate(&area, 20)
        )));
    }
    // Pre-filled with what is held now, published or not.
    let mut held = HashMap::new();
    for group in xlsx::collection() {
        for ind in &group.indicators {
            let q = DataQuery {
                indicator: ind.clone(),
                ref_area: vec![area.clone()],
                time: Some(time.clone()),
                edition: Edition::Working,
                ..DataQuery::default()
            };
            for r in query::data(&s.db, &q).await? {
                let key = tripart_stats::Key {
                    ref_area: r.ref_area,
                    indicator: r.indicator,
                    sex: r.sex,
                    classif1: r.classif1,
                    classif2: r.classif2,
                    time: r.time,
                };
                held.insert(
                    key,
                    xlsx::Held {
                        value: r.obs_value,
                        text: r.obs_text,
                        status: r.obs_status,
                        source: r.source,
                        note_source: r.note_source,
                        evidence: r.evidence,
                    },
                );
            }
        }
    }
    let title = format!("Tripart: labour-market and OSH data, {area}, {time}");
    let guide = "Fill in obs_value (and obs_status where needed: P provisional, E estimate, B break in series). Levels in thousands unless the description says otherwise. Do not change the grey key columns. Upload the file back to Tripart.";
    let book = xlsx::template(Registry::get(), &area, &time, &held, &title, guide);
    let bytes = tripart_sheets::to_xlsx(&book)
        .map_err(|e| ApiError::Internal(tripart_storage::StorageError::Corrupt(e.to_string())))?;
    Ok(download(crate::documents::XLSX, &format!("tripart-{area}-{time}.xlsx"), bytes))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataStepInput {
    /// Observation ids; when empty, every one in the step's starting state matching the filters.
    #[serde(default)]
    pub ids: Vec<i64>,
    pub ref_area: Option<String>,
    pub time: Option<String>,
    pub indicator: Option<String>,
    /// Required to return values: what is wrong.
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Moved {
    pub observations: usize,
}

impl DataStepInput {
    fn selection(&self) -> Selection {
        Selection {
            ids: self.ids.clone(),
            ref_area: self.ref_area.clone(),
            time: self.time.clone(),
            indicator: self.indicator.clone(),
        }
    }
}

macro_rules! step_endpoint {
    ($name:ident, $path:literal, $doc:literal, |$db:ident, $actor:ident, $input:ident| $body:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "data", request_body = DataStepInput,
            responses((status = 200, body = Moved), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
        pub async fn $name(State(s): State<AppState>, auth: Auth, headers: HeaderMap, JsonBody($input): JsonBody<DataStepInput>) -> Result<Json<Moved>, ApiError> {
            auth.check_csrf(csrf_header(&headers))?;
            let $actor = auth.require_user()?;
            let $db = &s.db;
            let observations = $body?;
            Ok(Json(Moved { observations }))
        }
    };
}

step_endpoint!(
    submit,
    "/api/v1/data/submit",
    "A focal point sends its drafts and corrected values to the validators.",
    |db, actor, input| workflow::submit(db, actor, &input.selection()).await
);
step_endpoint!(
    return_values,
    "/api/v1/data/return",
    "A validator returns values with a comment.",
    |db, actor, input| {
        workflow::return_values(db, actor, &input.selection(), input.comment.as_deref().unwrap_or("")).await
    }
);
step_endpoint!(validate, "/api/v1/data/validate", "A validator accepts submitted values.", |db, actor, input| {
    workflow::validate(db, actor, &input.selection()).await
});

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// The release's name, e.g. "2024 annual data".
    pub label: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/data/publish", tag = "data", request_body = PublishInput,
    responses((status = 201, body = Vintage), (status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<PublishInput>,
) -> Result<Response, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    match workflow::publish(&s.db, actor, &input.label, input.note.as_deref()).await? {
        Some(v) => Ok((StatusCode::CREATED, Json(v)).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct VintageList {
    pub items: Vec<Vintage>,
}

#[utoipa::path(get, path = "/api/v1/data/vintages", tag = "data", responses((status = 200, body = VintageList)))]
pub async fn vintages(State(s): State<AppState>) -> Result<Json<VintageList>, ApiError> {
    Ok(Json(VintageList { items: workflow::vintages(&s.db).await? }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    pub indicator: String,
    /// The earlier vintage number.
    pub from: String,
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeList {
    pub items: Vec<VintageChange>,
}

#[utoipa::path(get, path = "/api/v1/data/vintages/compare", tag = "data", params(CompareParams),
    responses((status = 200, body = ChangeList), (status = 400, body = ErrorBody)))]
pub async fn compare(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ChangeList>, ApiError> {
    let p: CompareParams = parse_query(raw.as_deref())?;
    let series = Registry::get().series(p.indicator.trim()).map_err(|e| ApiError::bad("indicator", e))?;
    let n = |name: &str, v: &str| {
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1_000_000).contains(n))
            .ok_or_else(|| ApiError::bad(name, "a vintage number"))
    };
    let items = query::compare(&s.db, &series.code, n("from", &p.from)?, n("to", &p.to)?).await?;
    Ok(Json(ChangeList { items }))
}

#[utoipa::path(get, path = "/api/v1/data/observations/{id}/history", tag = "data", params(("id" = i64, Path)),
    responses((status = 200, body = ObservationHistory), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ObservationHistory>, ApiError> {
    let actor = auth.require_user()?;
    let id: i64 = id.parse().map_err(|_| ApiError::bad("id", "an observation number"))?;
    let (series, _) =
        tripart_storage::stats::observation_of(id).ok_or_else(|| ApiError::NotFound(format!("no observation {id}")))?;
    // Revisions and comments are working material: the same readers as working data.
    let area =
        s.db.fetch_optional("SELECT ref_area FROM stat_series WHERE id = $1", &tripart_storage::params![series])
            .await?
            .map(|r| r.str("ref_area"))
            .transpose()?
            .ok_or_else(|| ApiError::NotFound(format!("no observation {id}")))?;
    if !may_read_working(actor, &[area]) {
        return Err(ApiError::Forbidden(
            "a value's history is for its member state's focal points and the validators".into(),
        ));
    }
    query::history(&s.db, id).await?.map(Json).ok_or_else(|| ApiError::NotFound(format!("no observation {id}")))
}

#[derive(Serialize, ToSchema)]
pub struct MeasureList {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<tripart_stats::Measure>,
}

#[utoipa::path(get, path = "/api/v1/data/measures", tag = "data", responses((status = 200, body = MeasureList)))]
pub async fn measures() -> Json<MeasureList> {
    Json(MeasureList { items: Registry::get().measures().to_vec() })
}

#[derive(Serialize, ToSchema)]
pub struct RuleList {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<tripart_stats::rules::Rule>,
}

#[utoipa::path(get, path = "/api/v1/data/rules", tag = "data", responses((status = 200, body = RuleList)))]
pub async fn rules(State(s): State<AppState>) -> Result<Json<RuleList>, ApiError> {
    Ok(Json(RuleList { items: workflow::list_rules(&s.db).await? }))
}

#[utoipa::path(put, path = "/api/v1/data/rules/{id}", tag = "data", params(("id" = String, Path)),
    request_body(content = Object, description = "A rule: id, title, check (range, not-above, adds-up, change) with its parameters, severity (error or warning), enabled"),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_rule(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(rule): JsonBody<tripart_stats::rules::Rule>,
) -> Result<StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    if rule.id != id {
        return Err(ApiError::bad("id", "the rule's id must be the one in the path"));
    }
    workflow::set_rule(&s.db, actor, &rule).await?;
    Ok(StatusCode::NO_CONTENT)
}
