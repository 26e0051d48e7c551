//! ILO conventions and the ratification record: events, the matrix at any date,
//! and the cells of the documents' own tables.

use super::found;
use super::lists::{list_type, slice_of};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Deserialize;
use tripart_domain::vocab::{ConventionCategory, RatificationEvent as EventKind};
use tripart_storage::read::{self, *};
use utoipa::IntoParams;

list_type!(ConventionList, Convention);
list_type!(RatificationEventList, RatificationEvent);
list_type!(SnapshotList, SnapshotCell);

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConventionQuery {
    /// The date at which categories apply (default today).
    as_of: Option<String>,
    /// fundamental, governance or technical (at `as_of`).
    category: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    pub offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/conventions", tag = "ratifications", params(ConventionQuery),
    responses((status = 200, body = ConventionList), (status = 400, body = ErrorBody)))]
pub async fn conventions(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ConventionList>, ApiError> {
    let q: ConventionQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let as_of = params::date("as_of", &q.as_of)?.unwrap_or_else(tripart_domain::time::today);
    let category = params::vocab("category", &q.category, ConventionCategory::parse)?;
    let all = read::conventions(&s.db, &as_of, category.as_deref()).await?;
    Ok(Json(ConventionList::new(slice_of(all, paging), "/api/v1/conventions", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/conventions/{id}", tag = "ratifications", params(("id" = String, Path, description = "Convention id, e.g. C087 or P029")),
    responses((status = 200, body = ConventionDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn convention(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ConventionDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::convention(&s.db, &id, &tripart_domain::time::today()).await?, "convention", &id)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// ISO alpha-3 code.
    member_state: Option<String>,
    /// Convention id.
    convention: Option<String>,
    /// ratified, in_force or denounced.
    event: Option<String>,
    /// Events on or after this date (YYYY-MM-DD).
    from: Option<String>,
    /// Events on or before this date (YYYY-MM-DD).
    to: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    pub offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/ratifications", tag = "ratifications", params(EventQuery),
    responses((status = 200, body = RatificationEventList), (status = 400, body = ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RatificationEventList>, ApiError> {
    let q: EventQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let filter = RatificationFilter {
        member_state: params::member_state("member_state", &q.member_state)?,
        convention: params::slug("convention", &q.convention)?,
        event: params::vocab("event", &q.event, EventKind::parse)?,
        from: params::date("from", &q.from)?,
        to: params::date("to", &q.to)?,
    };
    let slice = read::ratification_events(&s.db, &filter, paging).await?;
    Ok(Json(RatificationEventList::new(slice, "/api/v1/ratifications", raw.as_deref(), paging)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// The date of the matrix (default today). 2013-11-01 is the date of the
    /// 2010-2015 Work Programme's annexes.
    as_of: Option<String>,
    /// Only conventions of this category at that date.
    category: Option<String>,
}

impl MatrixQuery {
    /// The date asked for, today by default.
    pub fn as_of(&self) -> Result<String, ApiError> {
        Ok(params::date("as_of", &self.as_of)?.unwrap_or_else(tripart_domain::time::today))
    }
    pub fn category(&self) -> Result<Option<String>, ApiError> {
        params::vocab("category", &self.category, ConventionCategory::parse)
    }
}

#[utoipa::path(get, path = "/api/v1/ratifications/matrix", tag = "ratifications", params(MatrixQuery),
    responses((status = 200, body = RatificationMatrix), (status = 400, body = ErrorBody)))]
pub async fn matrix(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<RatificationMatrix>, ApiError> {
    let q: MatrixQuery = parse_query(raw.as_deref())?;
    let (as_of, category) = (q.as_of()?, q.category()?);
    Ok(Json(read::ratification_matrix(&s.db, &as_of, category.as_deref()).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    pub offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/ratifications/snapshots", tag = "ratifications", params(PageQuery),
    responses((status = 200, body = SnapshotList), (status = 400, body = ErrorBody)))]
pub async fn snapshots(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SnapshotList>, ApiError> {
    let q: PageQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let all = read::ratification_snapshots(&s.db).await?;
    Ok(Json(SnapshotList::new(slice_of(all, paging), "/api/v1/ratifications/snapshots", raw.as_deref(), paging)))
}
