//! Mid-term and final reviews of programmes, and their recommendations turned
//! into actions of the next plan.

use super::body::JsonBody;
use super::progress::{ActionTarget, Created};
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::monitoring::ReviewKind;
use tripart_storage::monitoring::reviews::{self, Review, ReviewChange};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// A programme id.
    programme: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<Review>,
}

#[utoipa::path(get, path = "/api/v1/reviews", tag = "monitoring", params(ReviewQuery),
    responses((status = 200, body = ReviewList), (status = 400, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ReviewList>, ApiError> {
    let q: ReviewQuery = parse_query(raw.as_deref())?;
    let programme = params::slug("programme", &q.programme)?;
    Ok(Json(ReviewList { items: reviews::reviews(&s.db, programme.as_deref()).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenReview {
    pub programme: String,
    /// mid_term or final.
    pub kind: String,
}

#[utoipa::path(post, path = "/api/v1/reviews", tag = "monitoring", request_body = OpenReview,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn open(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<OpenReview>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let programme = params::slug("programme", &Some(input.programme))?.unwrap_or_default();
    let kind = ReviewKind::parse(&input.kind).map_err(|e| ApiError::bad("kind", e.0))?;
    let id = reviews::open_review(&s.db, actor, &programme, kind).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "monitoring",
    params(("id" = String, Path, description = "Review id, e.g. alm-wp-2016-2020.mid_term")),
    responses((status = 200, body = Review), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Review>, ApiError> {
    let id = review_id(id)?;
    super::found(reviews::review(&s.db, &id).await?, "review", &id)
}

/// Review ids are a programme id, a dot and the kind.
pub(crate) fn review_id(id: String) -> Result<String, ApiError> {
    let ok = id.len() <= 200 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c));
    if ok {
        Ok(id)
    } else {
        Err(ApiError::bad("id", "a review id is a programme id, a dot and mid_term or final"))
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewVersion {
    pub id: String,
    pub version: i64,
}

#[utoipa::path(patch, path = "/api/v1/reviews/{id}", tag = "monitoring", request_body = ReviewChange,
    params(("id" = String, Path, description = "Review id")),
    responses((status = 200, body = ReviewVersion), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<ReviewChange>,
) -> Result<Json<ReviewVersion>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = review_id(id)?;
    let version = reviews::save_review(&s.db, actor, &id, &change).await?;
    Ok(Json(ReviewVersion { id, version }))
}

#[utoipa::path(post, path = "/api/v1/review-recommendations/{id}/adopt", tag = "monitoring", request_body = ActionTarget,
    params(("id" = String, Path, description = "Review recommendation id")),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn adopt(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(target): JsonBody<ActionTarget>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::hex_id("id", &id)?;
    let created = reviews::adopt_recommendation(&s.db, actor, &id, &target.parse()?).await?;
    Ok((StatusCode::CREATED, Json(Created { id: created })))
}
