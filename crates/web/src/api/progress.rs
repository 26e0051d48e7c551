//! Progress on actions: updates with outputs, links and evidence files; meetings
//! recorded as outputs; actions continued into a later plan.

use super::body::{JsonBody, UploadBody};
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tripart_domain::monitoring::OutputKind;
use tripart_domain::vocab::{ActionStatus, MeetingKind};
use tripart_storage::monitoring::evidence::{self, NewFile};
use tripart_storage::monitoring::meetings::{self, NewMeeting, NewRecommendation};
use tripart_storage::monitoring::progress::{self, Lineage, NewUpdate, Output, ProgressUpdate};
use tripart_storage::monitoring::reviews::{self, NewAction};
use tripart_storage::monitoring::Link;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputInput {
    /// meeting, outreach, training, decision or practice.
    pub kind: String,
    /// How many; 1 when absent.
    pub quantity: Option<i64>,
    pub title: Option<String>,
    pub participants_female: Option<i64>,
    pub participants_male: Option<i64>,
    /// The meeting record this output is.
    pub meeting: Option<String>,
    /// For a country practice modified: the member state (ISO alpha-3).
    pub member_state: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileInput {
    /// The file's name, with its extension (`minutes.pdf`).
    pub name: String,
    /// The content, base64-encoded. PDF, Word, Excel, PowerPoint, OpenDocument,
    /// PNG, JPEG, GIF or WebP; at most 8 MiB.
    pub content_base64: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInput {
    /// The date the update speaks for, YYYY-MM-DD, not in the future.
    pub reported_on: String,
    /// planned, ongoing, completed or tbc; absent keeps the current status.
    pub status: Option<String>,
    pub narrative: Option<String>,
    #[serde(default)]
    pub outputs: Vec<OutputInput>,
    #[serde(default)]
    pub links: Vec<Link>,
    /// At most 5 files.
    #[serde(default)]
    pub files: Vec<FileInput>,
}

pub(crate) fn parse_outputs(outputs: Vec<OutputInput>) -> Result<Vec<Output>, ApiError> {
    outputs
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            Ok(Output {
                kind: OutputKind::parse(&o.kind).map_err(|e| ApiError::bad(&format!("outputs[{i}].kind"), e.0))?,
                quantity: o.quantity.unwrap_or(1),
                title: o.title.filter(|t| !t.trim().is_empty()),
                participants_female: o.participants_female,
                participants_male: o.participants_male,
                meeting: params::slug(&format!("outputs[{i}].meeting"), &o.meeting)?,
                member_state: params::member_state(&format!("outputs[{i}].member_state"), &o.member_state)?,
            })
        })
        .collect()
}

pub(crate) fn parse_status(status: &Option<String>) -> Result<Option<ActionStatus>, ApiError> {
    status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(ActionStatus::parse)
        .transpose()
        .map_err(|e| ApiError::bad("status", e.0))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/updates", tag = "monitoring", request_body = UpdateInput,
    params(("id" = String, Path, description = "Action id")),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn record_update(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    UploadBody(input): UploadBody<UpdateInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let files = input
        .files
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f.content_base64.trim())
                .map_err(|e| ApiError::bad(&format!("files[{i}].content_base64"), format!("not base64: {e}")))?;
            Ok(NewFile { name: f.name, bytes })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let update = NewUpdate {
        reported_on: input.reported_on,
        status: parse_status(&input.status)?,
        narrative: input.narrative,
        outputs: parse_outputs(input.outputs)?,
        links: input.links,
        files,
    };
    let created = progress::record_update(&s.db, actor, &id, &update).await?;
    Ok((StatusCode::CREATED, Json(Created { id: created })))
}

#[derive(Serialize, ToSchema)]
pub struct ActionHistory {
    pub action: String,
    /// The actions of earlier plans this one continues, and those continuing it.
    pub lineage: Lineage,
    /// Every update, oldest first, those of the continued actions first.
    pub items: Vec<ProgressUpdate>,
}

#[utoipa::path(get, path = "/api/v1/actions/{id}/updates", tag = "monitoring",
    params(("id" = String, Path, description = "Action id")),
    responses((status = 200, body = ActionHistory), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn action_history(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ActionHistory>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    if tripart_storage::read::action(&s.db, &id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no action `{id}`")));
    }
    let lineage = progress::lineage(&s.db, &id).await?;
    let items = progress::history(&s.db, &id).await?;
    Ok(Json(ActionHistory { action: id, lineage, items }))
}

#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "monitoring",
    params(("id" = String, Path, description = "Evidence file id")),
    responses((status = 200, description = "The file, as uploaded", content_type = "application/octet-stream"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn evidence_file(State(s): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::hex_id("id", &id)?;
    let (meta, bytes) =
        evidence::file(&s.db, &id).await?.ok_or_else(|| ApiError::NotFound(format!("no evidence file `{id}`")))?;
    Ok(download(&meta.media_type, &meta.file_name, bytes))
}

/// A file to download: its type, and a name the browser saves it under (never
/// shown inline, so an uploaded document cannot run as a page of this site).
pub(crate) fn download(media_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let safe: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub title: String,
    /// ministerial, senior_officials, forum, conference, seminar, workshop, training, … (default other).
    pub kind: Option<String>,
    /// The organising body id.
    pub body: String,
    /// Host member state (ISO alpha-3).
    pub host: Option<String>,
    pub city: Option<String>,
    /// YYYY-MM-DD. A meeting still to come is recorded and shows as upcoming.
    pub start: String,
    pub end: Option<String>,
    pub theme: Option<String>,
    /// Participating member states.
    #[serde(default)]
    pub participants: Vec<String>,
    /// Actions the meeting implements: each gets a progress update with the meeting as output.
    #[serde(default)]
    pub implements: Vec<String>,
    #[serde(default)]
    pub documents: Vec<Link>,
    #[serde(default)]
    pub recommendations: Vec<NewRecommendation>,
    pub participants_female: Option<i64>,
    pub participants_male: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/meetings", tag = "monitoring", request_body = MeetingInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn record_meeting(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<MeetingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let meeting = NewMeeting {
        title: input.title,
        kind: input.kind.as_deref().map(MeetingKind::parse).transpose().map_err(|e| ApiError::bad("kind", e.0))?,
        body: params::slug("body", &Some(input.body))?.unwrap_or_default(),
        host: params::member_state("host", &input.host)?,
        city: input.city,
        start: input.start,
        end: input.end,
        theme: input.theme,
        participants: input
            .participants
            .into_iter()
            .map(|p| params::member_state("participants", &Some(p)).map(Option::unwrap_or_default))
            .collect::<Result<_, _>>()?,
        implements: input
            .implements
            .into_iter()
            .map(|a| params::slug("implements", &Some(a)).map(Option::unwrap_or_default))
            .collect::<Result<_, _>>()?,
        documents: input.documents,
        recommendations: input.recommendations,
        participants_female: input.participants_female,
        participants_male: input.participants_male,
    };
    let id = meetings::record_meeting(&s.db, actor, &meeting).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionTarget {
    /// The programme (later plan) the new action belongs to.
    pub programme: String,
    /// Its structure node in that programme.
    pub node: Option<String>,
    /// The new action's title; the old title (or the recommendation's text) when absent.
    pub title: Option<String>,
    pub calendar: Option<String>,
    #[serde(default)]
    pub bodies: Vec<String>,
}

impl ActionTarget {
    pub(crate) fn parse(self) -> Result<NewAction, ApiError> {
        Ok(NewAction {
            programme: params::slug("programme", &Some(self.programme))?.unwrap_or_default(),
            node: params::slug("node", &self.node)?,
            title: self.title.filter(|t| !t.trim().is_empty()),
            calendar: self.calendar.filter(|c| !c.trim().is_empty()),
            bodies: self
                .bodies
                .into_iter()
                .map(|b| params::slug("bodies", &Some(b)).map(Option::unwrap_or_default))
                .collect::<Result<_, _>>()?,
        })
    }
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/continue", tag = "monitoring", request_body = ActionTarget,
    params(("id" = String, Path, description = "The action of the earlier plan")),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn continue_action(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(target): JsonBody<ActionTarget>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let created = reviews::continue_action(&s.db, actor, &id, &target.parse()?).await?;
    Ok((StatusCode::CREATED, Json(Created { id: created })))
}
