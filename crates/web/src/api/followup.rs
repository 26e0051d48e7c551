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
use tripart_storage::followup::{self, Cycle, ImplementationMatrix, NewCycle, NewRatification, NewReport, VoiceReport};
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
