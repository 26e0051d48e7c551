//! Indicators, instruments, glossary, pillar concerns, the overview and health.

use super::found;
use super::lists::{list_type, slice_of};
use super::ratifications::PageQuery;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::vocab::{IndicatorKind, InstrumentKind};
use tripart_storage::read::{self, *};
use utoipa::{IntoParams, ToSchema};

list_type!(IndicatorList, Indicator);
list_type!(InstrumentList, Instrument);
list_type!(GlossaryList, GlossaryTerm);
list_type!(PillarConcernList, PillarConcern);

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// "ok" when the database answers.
    pub status: String,
    /// sqlite or postgres.
    pub database: String,
}

#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
pub async fn healthz(State(s): State<AppState>) -> Result<Json<Health>, ApiError> {
    s.db.fetch_optional("SELECT 1 AS one", &[]).await?;
    Ok(Json(Health { status: "ok".into(), database: s.db.backend().name().into() }))
}

#[utoipa::path(get, path = "/api/v1/overview", tag = "service", responses((status = 200, body = Overview)))]
pub async fn overview(State(s): State<AppState>) -> Result<Json<Overview>, ApiError> {
    Ok(Json(read::overview(&s.db).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// lmis-common or oshnet-scorecard.
    set: Option<String>,
    /// quantitative or qualitative.
    kind: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/indicators", tag = "reference", params(IndicatorQuery),
    responses((status = 200, body = IndicatorList), (status = 400, body = ErrorBody)))]
pub async fn indicators(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<IndicatorList>, ApiError> {
    let q: IndicatorQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let set = params::slug("set", &q.set)?;
    let kind = params::vocab("kind", &q.kind, IndicatorKind::parse)?;
    let all = read::indicators(&s.db, set.as_deref(), kind.as_deref()).await?;
    Ok(Json(IndicatorList::new(slice_of(all, paging), "/api/v1/indicators", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/indicators/{code}", tag = "reference", params(("code" = String, Path, description = "Indicator code, e.g. lmis-lfpr")),
    responses((status = 200, body = Indicator), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn indicator(State(s): State<AppState>, Path(code): Path<String>) -> Result<Json<Indicator>, ApiError> {
    let code = params::slug("code", &Some(code))?.unwrap_or_default();
    found(read::indicator(&s.db, &code).await?, "indicator", &code)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InstrumentQuery {
    /// declaration, blueprint, convention, framework, …
    kind: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/instruments", tag = "reference", params(InstrumentQuery),
    responses((status = 200, body = InstrumentList), (status = 400, body = ErrorBody)))]
pub async fn instruments(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<InstrumentList>, ApiError> {
    let q: InstrumentQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let kind = params::vocab("kind", &q.kind, InstrumentKind::parse)?;
    let all = read::instruments(&s.db, kind.as_deref()).await?;
    Ok(Json(InstrumentList::new(slice_of(all, paging), "/api/v1/instruments", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "reference", params(("id" = String, Path, description = "Instrument id, e.g. cebu-declaration-2007")),
    responses((status = 200, body = InstrumentDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn instrument(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<InstrumentDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::instrument(&s.db, &id).await?, "instrument", &id)
}

#[utoipa::path(get, path = "/api/v1/glossary", tag = "reference", params(PageQuery),
    responses((status = 200, body = GlossaryList), (status = 400, body = ErrorBody)))]
pub async fn glossary(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<GlossaryList>, ApiError> {
    let q: PageQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let all = read::glossary(&s.db).await?;
    Ok(Json(GlossaryList::new(slice_of(all, paging), "/api/v1/glossary", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/pillar-concerns", tag = "reference", params(PageQuery),
    responses((status = 200, body = PillarConcernList), (status = 400, body = ErrorBody)))]
pub async fn pillar_concerns(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PillarConcernList>, ApiError> {
    let q: PageQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let all = read::pillar_concerns(&s.db).await?;
    Ok(Json(PillarConcernList::new(slice_of(all, paging), "/api/v1/pillar-concerns", raw.as_deref(), paging)))
}
