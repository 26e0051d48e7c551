//! Following up recommendations: reporting cycles, each voice's implementation
//! reports, the matrix, who has not reported, a country's record; and new
//! ratification events recorded with their source.

use super::body::JsonBody;
use super::progress::Created;
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::followup::{ImplementationStatus, Voice};
use tripart_domain::vocab::RatificationEvent;
use tripart_storage::followup::{
    self, Cycle, ImplementationMatrix, NewCycle, NewRatification, NewReport, RecommendationLinks, Theme, VoiceReport,
};
use tripart_storage::monitoring::Link;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CycleList {
    pub items: Vec<Cycle>,
}

#[utoipa::path(get, path = "/api/v1/cycles", tag = "follow-up", responses((status = 200, body = CycleList)))]
pub async fn cycles(State(s): State<AppState>) -> Result<Json<CycleList>, ApiError> {
    Ok(Json(CycleList { items: followup::cycles(&s.db).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CycleInput {
    /// The meeting whose recommendations are followed up, e.g. afml-5.
    pub meeting: String,
    /// The meeting the progress is reported to, e.g. "6th ASEAN Forum on Migrant Labour".
    pub reported_to: Option<String>,
    pub title: Option<String>,
    /// YYYY-MM-DD (default today).
    pub opens_on: Option<String>,
    pub due_on: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/cycles", tag = "follow-up", request_body = CycleInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn open_cycle(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<CycleInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let new = NewCycle {
        meeting: params::slug("meeting", &Some(input.meeting))?.unwrap_or_default(),
        reported_to: input.reported_to.filter(|r| !r.trim().is_empty()),
        title: input.title,
        opens_on: input.opens_on,
        due_on: input.due_on,
    };
    let id = followup::open_cycle(&s.db, actor, &new).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

fn cycle_id(id: String) -> Result<String, ApiError> {
    Ok(params::slug("id", &Some(id))?.unwrap_or_default())
}

#[utoipa::path(get, path = "/api/v1/cycles/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "Cycle id, e.g. afml-5-cycle-1")),
    responses((status = 200, body = ImplementationMatrix), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn matrix(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ImplementationMatrix>, ApiError> {
    let id = cycle_id(id)?;
    super::found(followup::matrix(&s.db, &id).await?, "reporting cycle", &id)
}

#[utoipa::path(post, path = "/api/v1/cycles/{id}/close", tag = "follow-up",
    params(("id" = String, Path, description = "Cycle id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn close_cycle(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    followup::close_cycle(&s.db, actor, &cycle_id(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// A recommendation of the cycle.
    pub recommendation: String,
    /// ISO alpha-3.
    pub member_state: String,
    /// government, employers, workers or civil_society.
    pub voice: String,
    /// The organisation reporting, for employers, workers and civil society (default: your own).
    pub partner: Option<String>,
    /// no_information, not_started, in_progress, partially_implemented, implemented or not_applicable.
    pub status: String,
    pub narrative: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Link>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportRevision {
    /// 1 for a first report; each correction adds one, earlier ones stay.
    pub revision: i64,
}

#[utoipa::path(post, path = "/api/v1/cycles/{id}/reports", tag = "follow-up", request_body = ReportInput,
    params(("id" = String, Path, description = "Cycle id")),
    responses((status = 201, body = ReportRevision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<ReportInput>,
) -> Result<(StatusCode, Json<ReportRevision>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let new = NewReport {
        recommendation: params::slug("recommendation", &Some(input.recommendation))?.unwrap_or_default(),
        member_state: params::member_state("member_state", &Some(input.member_state))?.unwrap_or_default(),
        voice: Voice::parse(&input.voice).map_err(|e| ApiError::bad("voice", e.0))?,
        partner: params::slug("partner", &input.partner)?,
        status: ImplementationStatus::parse(&input.status).map_err(|e| ApiError::bad("status", e.0))?,
        narrative: input.narrative,
        evidence: input.evidence,
    };
    let revision = followup::report(&s.db, actor, &cycle_id(id)?, &new).await?;
    Ok((StatusCode::CREATED, Json(ReportRevision { revision })))
}

#[derive(Serialize, ToSchema)]
pub struct Missing {
    pub member_state: String,
    /// Recommendations its government has not reported on in this cycle.
    pub recommendations: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MissingList {
    pub items: Vec<Missing>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{id}/not-reported", tag = "follow-up",
    params(("id" = String, Path, description = "Cycle id")),
    responses((status = 200, body = MissingList), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn not_reported(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<MissingList>, ApiError> {
    let id = cycle_id(id)?;
    let list = followup::not_reported(&s.db, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no reporting cycle `{id}`")))?;
    Ok(Json(MissingList {
        items: list
            .into_iter()
            .map(|(member_state, recommendations)| Missing { member_state, recommendations })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ImplementationReports {
    pub items: Vec<VoiceReport>,
}

#[utoipa::path(get, path = "/api/v1/member-states/{code}/implementation", tag = "follow-up",
    params(("code" = String, Path, description = "ISO alpha-3")),
    responses((status = 200, body = ImplementationReports), (status = 400, body = ErrorBody)))]
pub async fn country(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ImplementationReports>, ApiError> {
    let code = params::member_state("code", &Some(code))?.unwrap_or_default();
    Ok(Json(ImplementationReports { items: followup::country(&s.db, &code).await? }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// One member state (ISO alpha-3); all when absent.
    member_state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/recommendations/{id}/implementation", tag = "follow-up",
    params(("id" = String, Path, description = "Recommendation id"), HistoryQuery),
    responses((status = 200, body = ImplementationReports), (status = 400, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ImplementationReports>, ApiError> {
    let q: HistoryQuery = parse_query(raw.as_deref())?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let ms = params::member_state("member_state", &q.member_state)?;
    Ok(Json(ImplementationReports { items: followup::history(&s.db, &id, ms.as_deref()).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatificationInput {
    pub member_state: String,
    pub convention: String,
    /// ratified, in_force or denounced.
    pub event: String,
    /// YYYY-MM-DD, not in the future.
    pub date: String,
    /// Where the event is recorded, e.g. "ILO NORMLEX".
    pub source_document: String,
    pub source_section: Option<String>,
    /// A link or reference to the record.
    pub source_reference: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/ratifications", tag = "follow-up", request_body = RatificationInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn record_ratification(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<RatificationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let convention = input.convention.trim().to_string();
    if convention.is_empty() || convention.len() > 10 || !convention.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad("convention", "a convention id such as C087 or P029"));
    }
    let new = NewRatification {
        member_state: params::member_state("member_state", &Some(input.member_state))?.unwrap_or_default(),
        convention,
        event: RatificationEvent::parse(&input.event).map_err(|e| ApiError::bad("event", e.0))?,
        date: input.date,
        source_document: input.source_document,
        source_section: input.source_section,
        source_reference: input.source_reference,
    };
    let id = followup::record_ratification(&s.db, actor, &new).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

async fn paper_of(s: &AppState, headers: &HeaderMap, id: String) -> Result<(String, crate::paper::Paper), ApiError> {
    let id = cycle_id(id)?;
    let m =
        followup::matrix(&s.db, &id).await?.ok_or_else(|| ApiError::NotFound(format!("no reporting cycle `{id}`")))?;
    let lang = s.i18n.for_request(headers);
    Ok((id, crate::paper::Paper::gather(s, &lang, &m).await?))
}

#[utoipa::path(get, path = "/api/v1/cycles/{id}/paper.pdf", tag = "follow-up",
    params(("id" = String, Path, description = "Cycle id")),
    responses((status = 200, description = "The progress paper, typeset", content_type = "application/pdf"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn paper_pdf(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (id, paper) = paper_of(&s, &headers, id).await?;
    Ok(super::progress::download("application/pdf", &format!("{id}-progress-paper.pdf"), paper.pdf().await?))
}

#[utoipa::path(get, path = "/api/v1/cycles/{id}/paper.docx", tag = "follow-up",
    params(("id" = String, Path, description = "Cycle id")),
    responses((status = 200, description = "The progress paper as a Word document",
               content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn paper_docx(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (id, paper) = paper_of(&s, &headers, id).await?;
    Ok(super::progress::download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("{id}-progress-paper.docx"),
        paper.docx()?,
    ))
}

#[utoipa::path(get, path = "/api/v1/recommendations/{id}/links", tag = "follow-up",
    params(("id" = String, Path, description = "Recommendation id")),
    responses((status = 200, body = RecommendationLinks), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn links(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<RecommendationLinks>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    if tripart_storage::read::recommendation(&s.db, &id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no recommendation `{id}`")));
    }
    Ok(Json(followup::links(&s.db, &id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksInput {
    /// Programme node ids (thematic areas of the 2016-2020 Work Programme, …).
    #[serde(default)]
    pub thematic_areas: Vec<String>,
    /// SDG targets such as 8.5, 8.7, 8.8, 10.7.
    #[serde(default)]
    pub sdg_targets: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/recommendations/{id}/links", tag = "follow-up", request_body = LinksInput,
    params(("id" = String, Path, description = "Recommendation id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_links(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<LinksInput>,
) -> Result<StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let nodes = input
        .thematic_areas
        .into_iter()
        .map(|n| params::slug("thematic_areas", &Some(n)).map(Option::unwrap_or_default))
        .collect::<Result<Vec<_>, _>>()?;
    followup::set_links(&s.db, actor, &id, &nodes, &input.sdg_targets).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ThemeLine {
    pub id: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeList {
    pub items: Vec<ThemeLine>,
}

#[utoipa::path(get, path = "/api/v1/themes", tag = "follow-up", responses((status = 200, body = ThemeList)))]
pub async fn themes(State(s): State<AppState>) -> Result<Json<ThemeList>, ApiError> {
    let items = followup::themes(&s.db).await?.into_iter().map(|(id, title)| ThemeLine { id, title }).collect();
    Ok(Json(ThemeList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeInput {
    pub title: String,
    pub description: Option<String>,
    /// Recommendation ids, from one meeting or several.
    pub recommendations: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/themes", tag = "follow-up", request_body = ThemeInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn create_theme(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<ThemeInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let recs = input
        .recommendations
        .into_iter()
        .map(|r| params::slug("recommendations", &Some(r)).map(Option::unwrap_or_default))
        .collect::<Result<Vec<_>, _>>()?;
    let id = followup::create_theme(&s.db, actor, &input.title, input.description.as_deref(), &recs).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(get, path = "/api/v1/themes/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "Theme id")),
    responses((status = 200, body = Theme), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn theme(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Theme>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    super::found(followup::theme(&s.db, &id).await?, "theme", &id)
}
