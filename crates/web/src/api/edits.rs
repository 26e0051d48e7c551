//! Changes to catalogue records: versioned, authorized, audited.

use super::body::JsonBody;
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::vocab::ActionStatus;
use tripart_storage::edit::{self, ActionChange};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    /// The version you read (the `version` of GET /api/v1/actions/{id}).
    pub version: i64,
    /// planned, ongoing, completed, tbc or absorbed.
    pub status: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The indicative calendar as text, e.g. "2012 - 2014".
    pub calendar: Option<String>,
    /// Why, for the audit trail.
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Versioned {
    pub id: String,
    /// The record's new version.
    pub version: i64,
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}", tag = "edits", request_body = ActionPatch,
    params(("id" = String, Path, description = "Action id")),
    responses((status = 200, body = Versioned), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn patch_action(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<ActionPatch>,
) -> Result<Json<Versioned>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let status =
        patch.status.as_deref().map(ActionStatus::parse).transpose().map_err(|e| ApiError::bad("status", e.0))?;
    if status == Some(ActionStatus::Absorbed) {
        return Err(ApiError::bad("status", "absorbed is set by the catalogue, with the action that absorbs it"));
    }
    let change = ActionChange {
        version: patch.version,
        status,
        title: patch.title,
        description: patch.description,
        calendar: patch.calendar,
        note: patch.note,
    };
    let version = edit::edit_action(&s.db, actor, &id, &change).await?;
    Ok(Json(Versioned { id, version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionOnly {
    pub version: i64,
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/retire", tag = "edits", request_body = VersionOnly,
    params(("id" = String, Path, description = "Action id")),
    responses((status = 200, body = Versioned), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retire_action(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(v): JsonBody<VersionOnly>,
) -> Result<Json<Versioned>, ApiError> {
    set_retired(&s, &auth, &headers, id, true, v.version).await
}

async fn set_retired(
    s: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    id: String,
    retired: bool,
    version: i64,
) -> Result<Json<Versioned>, ApiError> {
    auth.check_csrf(csrf_header(headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    let version = edit::set_action_retired(&s.db, actor, &id, retired, version).await?;
    Ok(Json(Versioned { id, version }))
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/unretire", tag = "edits", request_body = VersionOnly,
    params(("id" = String, Path, description = "Action id")),
    responses((status = 200, body = Versioned), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn unretire_action(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(v): JsonBody<VersionOnly>,
) -> Result<Json<Versioned>, ApiError> {
    set_retired(&s, &auth, &headers, id, false, v.version).await
}

#[utoipa::path(delete, path = "/api/v1/actions/{id}", tag = "edits",
    params(("id" = String, Path, description = "Action id (retired first)")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn purge_action(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    edit::purge_action(&s.db, actor, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
