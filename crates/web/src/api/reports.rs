//! Annual progress reports and the output-level checklist: read, write the
//! narrative, submit, return, accept; download as PDF and Excel; templates.

use super::body::JsonBody;
use super::progress::download;
use crate::auth::{csrf_header, Auth};
use crate::documents;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::access::Actor;
use tripart_domain::monitoring::{ReportStatus, ReportStep};
use tripart_storage::monitoring::checklists::{
    self, AnswerRevision, ChecklistView, GivenAnswer, NewTemplate, Template,
};
use tripart_storage::monitoring::reports::{self, AnnualReport, ReportLine};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// A body id.
    body: Option<String>,
    /// draft, submitted, returned or accepted.
    status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportList {
    /// The reports you may read: accepted ones for the public.
    pub items: Vec<ReportLine>,
}

#[utoipa::path(get, path = "/api/v1/reports", tag = "monitoring", params(ReportQuery),
    responses((status = 200, body = ReportList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Json<ReportList>, ApiError> {
    let q: ReportQuery = parse_query(raw.as_deref())?;
    let body = params::slug("body", &q.body)?;
    let status = q.status.as_deref().map(ReportStatus::parse).transpose().map_err(|e| ApiError::bad("status", e.0))?;
    Ok(Json(ReportList { items: reports::reports(&s.db, &auth.actor, body.as_deref(), status).await? }))
}

pub(crate) fn report_key(body: String, year: String) -> Result<(String, i64), ApiError> {
    let body = params::slug("body", &Some(body))?.unwrap_or_default();
    let year = params::int("year", &Some(year), 2000, 2200)?.unwrap_or_default();
    Ok((body, year))
}

#[utoipa::path(get, path = "/api/v1/reports/{body}/{year}", tag = "monitoring",
    params(("body" = String, Path, description = "Body id, e.g. slom-wg"), ("year" = i64, Path, description = "Year reported on")),
    responses((status = 200, body = AnnualReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    auth: Auth,
    Path((body, year)): Path<(String, String)>,
) -> Result<Json<AnnualReport>, ApiError> {
    let (body, year) = report_key(body, year)?;
    Ok(Json(read_report(&s, &auth.actor, &body, year).await?))
}

/// A report the actor may read; the public is told to sign in (401), not refused.
async fn read_report(s: &AppState, actor: &Actor, body: &str, year: i64) -> Result<AnnualReport, ApiError> {
    match reports::report(&s.db, actor, body, year).await {
        Err(tripart_storage::edit::EditError::Denied(m)) if matches!(actor, Actor::Public) => {
            Err(ApiError::Unauthenticated(m))
        }
        other => Ok(other?),
    }
}

#[utoipa::path(get, path = "/api/v1/reports/{body}/{year}/pdf", tag = "monitoring",
    params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
    responses((status = 200, description = "The report as a typeset PDF", content_type = "application/pdf"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn report_pdf(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (body, year) = report_key(body, year)?;
    let report = read_report(&s, &auth.actor, &body, year).await?;
    let lang = s.i18n.for_request(&headers);
    let pdf = documents::report_pdf(&s, &lang, &report).await?;
    Ok(download("application/pdf", &format!("{body}-{year}-annual-report.pdf"), pdf))
}

#[utoipa::path(get, path = "/api/v1/reports/{body}/{year}/xlsx", tag = "monitoring",
    params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
    responses((status = 200, description = "The report as an Excel workbook",
               content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn report_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (body, year) = report_key(body, year)?;
    let report = read_report(&s, &auth.actor, &body, year).await?;
    let lang = s.i18n.for_request(&headers);
    let xlsx = documents::report_workbook(&s, &lang, &report)?;
    Ok(download(documents::XLSX, &format!("{body}-{year}-annual-report.xlsx"), xlsx))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NarrativeInput {
    /// A thematic area (programme node id), or "" for the introduction.
    pub area: String,
    pub text: String,
    /// The report's version you read; omit to write regardless.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportVersion {
    pub id: String,
    pub version: i64,
}

#[utoipa::path(put, path = "/api/v1/reports/{body}/{year}/narrative", tag = "monitoring", request_body = NarrativeInput,
    params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
    responses((status = 200, body = ReportVersion), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_narrative(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    JsonBody(input): JsonBody<NarrativeInput>,
) -> Result<Json<ReportVersion>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let (body, year) = report_key(body, year)?;
    let area = if input.area.is_empty() {
        String::new()
    } else {
        params::slug("area", &Some(input.area))?.unwrap_or_default()
    };
    let version = reports::set_narrative(&s.db, actor, &body, year, &area, &input.text, input.version).await?;
    Ok(Json(ReportVersion { id: format!("{body}-{year}"), version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// Required to return a report: what to change.
    pub comment: Option<String>,
    /// The report's version you read; omit to act regardless.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportState {
    pub id: String,
    /// The report's status after the step.
    pub status: String,
}

async fn take_step(
    s: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    body: String,
    year: String,
    step: ReportStep,
    input: StepInput,
) -> Result<Json<ReportState>, ApiError> {
    auth.check_csrf(csrf_header(headers))?;
    let actor = auth.require_user()?;
    let (body, year) = report_key(body, year)?;
    let status = reports::step(&s.db, actor, &body, year, step, input.comment.as_deref(), input.version).await?;
    Ok(Json(ReportState { id: format!("{body}-{year}"), status: status.as_str().into() }))
}

macro_rules! step_handler {
    ($name:ident, $path:literal, $step:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "monitoring", request_body = StepInput,
            params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
            responses((status = 200, body = ReportState), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
                      (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
        pub async fn $name(
            State(s): State<AppState>,
            auth: Auth,
            headers: HeaderMap,
            Path((body, year)): Path<(String, String)>,
            JsonBody(input): JsonBody<StepInput>,
        ) -> Result<Json<ReportState>, ApiError> {
            take_step(&s, &auth, &headers, body, year, $step, input).await
        }
    };
}

step_handler!(
    submit,
    "/api/v1/reports/{body}/{year}/submit",
    ReportStep::Submit,
    "The body submits its report to SLOM."
);
step_handler!(
    send_back,
    "/api/v1/reports/{body}/{year}/return",
    ReportStep::Return,
    "A validator returns the report with a comment."
);
step_handler!(
    accept,
    "/api/v1/reports/{body}/{year}/accept",
    ReportStep::Accept,
    "A validator accepts the report; it is frozen."
);

// The checklist.

#[derive(Serialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<Template>,
}

#[utoipa::path(get, path = "/api/v1/checklist-templates", tag = "monitoring",
    responses((status = 200, body = TemplateList)))]
pub async fn templates(State(s): State<AppState>) -> Result<Json<TemplateList>, ApiError> {
    Ok(Json(TemplateList { items: checklists::templates(&s.db).await? }))
}

#[utoipa::path(post, path = "/api/v1/checklist-templates", tag = "monitoring", request_body = NewTemplate,
    responses((status = 201, body = super::progress::Created), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn draft_template(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(template): JsonBody<NewTemplate>,
) -> Result<(StatusCode, Json<super::progress::Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = checklists::draft_template(&s.db, actor, &template).await?;
    Ok((StatusCode::CREATED, Json(super::progress::Created { id })))
}

#[utoipa::path(post, path = "/api/v1/checklist-templates/{id}/publish", tag = "monitoring",
    params(("id" = String, Path, description = "Template id, e.g. output-checklist-v2")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn publish_template(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    checklists::publish_template(&s.db, actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the actor may see a body's checklist for a year: public once that
/// year's report is accepted, otherwise for those who may read the body's
/// unpublished work.
pub(crate) async fn checklist_visible(s: &AppState, actor: &Actor, body: &str, year: i64) -> Result<bool, ApiError> {
    Ok(checklists::visible_to(&s.db, actor, body, year).await?)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChecklistQuery {
    body: Option<String>,
    #[param(value_type = Option<i64>)]
    year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistList {
    /// Every checklist you may read, for comparing bodies and years.
    pub items: Vec<ChecklistView>,
}

#[utoipa::path(get, path = "/api/v1/checklists", tag = "monitoring", params(ChecklistQuery),
    responses((status = 200, body = ChecklistList), (status = 400, body = ErrorBody)))]
pub async fn checklist_list(
    State(s): State<AppState>,
    auth: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Json<ChecklistList>, ApiError> {
    let q: ChecklistQuery = parse_query(raw.as_deref())?;
    let body = params::slug("body", &q.body)?;
    let year = params::int("year", &q.year, 2000, 2200)?;
    let mut items = Vec::new();
    for c in checklists::all(&s.db, body.as_deref(), year).await? {
        if checklist_visible(&s, &auth.actor, &c.body, c.year).await? {
            items.push(c);
        }
    }
    Ok(Json(ChecklistList { items }))
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistDetail {
    /// None before the body starts it.
    pub checklist: Option<ChecklistView>,
    /// Every value each answer had, oldest first.
    pub revisions: Vec<AnswerRevision>,
}

#[utoipa::path(get, path = "/api/v1/checklists/{body}/{year}", tag = "monitoring",
    params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
    responses((status = 200, body = ChecklistDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn checklist(
    State(s): State<AppState>,
    auth: Auth,
    Path((body, year)): Path<(String, String)>,
) -> Result<Json<ChecklistDetail>, ApiError> {
    let (body, year) = report_key(body, year)?;
    if !checklist_visible(&s, &auth.actor, &body, year).await? {
        return Err(match auth.actor {
            Actor::Public => ApiError::Unauthenticated("sign in: this checklist is not published yet".into()),
            _ => {
                ApiError::Forbidden(format!("{} may not read the unpublished checklist of {body}", auth.actor.label()))
            }
        });
    }
    Ok(Json(ChecklistDetail {
        checklist: checklists::view(&s.db, &body, year).await?,
        revisions: checklists::revisions(&s.db, &body, year).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    pub answers: Vec<GivenAnswer>,
    /// Mark the checklist submitted.
    #[serde(default)]
    pub submit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Revision {
    pub revision: i64,
}

#[utoipa::path(put, path = "/api/v1/checklists/{body}/{year}", tag = "monitoring", request_body = AnswersInput,
    params(("body" = String, Path, description = "Body id"), ("year" = i64, Path, description = "Year")),
    responses((status = 200, body = Revision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_checklist(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((body, year)): Path<(String, String)>,
    JsonBody(input): JsonBody<AnswersInput>,
) -> Result<Json<Revision>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let (body, year) = report_key(body, year)?;
    let revision = checklists::save_answers(&s.db, actor, &body, year, &input.answers, input.submit).await?;
    Ok(Json(Revision { revision }))
}
