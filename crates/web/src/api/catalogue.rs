//! Programmes, bodies, member states, partners, actions, meetings and
//! recommendations.

use super::found;
use super::lists::{list_type, slice_of};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Deserialize;
use tripart_domain::vocab::{ActionKind, ActionStatus, BodyKind, MeetingKind, PartnerKind};
use tripart_storage::read::{self, *};
use utoipa::IntoParams;

list_type!(MemberStateList, MemberState);
list_type!(BodyList, Body);
list_type!(PartnerList, Partner);
list_type!(ProgrammeList, Programme);
list_type!(ActionList, Action);
list_type!(MeetingList, Meeting);
list_type!(RecommendationList, Recommendation);

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MemberStateQuery {
    /// Only the states that had joined ASEAN by this date (YYYY-MM-DD).
    as_of: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/member-states", tag = "catalogue", params(MemberStateQuery),
    responses((status = 200, body = MemberStateList), (status = 400, body = ErrorBody)))]
pub async fn member_states(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<MemberStateList>, ApiError> {
    let q: MemberStateQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let as_of = params::date("as_of", &q.as_of)?;
    let all = read::member_states(&s.db, as_of.as_deref()).await?;
    Ok(Json(MemberStateList::new(slice_of(all, paging), "/api/v1/member-states", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/member-states/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-3 code, e.g. VNM")),
    responses((status = 200, body = MemberStateDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn member_state(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<MemberStateDetail>, ApiError> {
    let code = params::member_state("code", &Some(code))?.unwrap_or_default();
    found(read::member_state(&s.db, &code, &tripart_domain::time::today()).await?, "member state", &code)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KindQuery {
    /// Only records of this kind.
    kind: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/bodies", tag = "catalogue", params(KindQuery),
    responses((status = 200, body = BodyList), (status = 400, body = ErrorBody)))]
pub async fn bodies(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<BodyList>, ApiError> {
    let q: KindQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let kind = params::vocab("kind", &q.kind, BodyKind::parse)?;
    let all = read::bodies(&s.db, kind.as_deref()).await?;
    Ok(Json(BodyList::new(slice_of(all, paging), "/api/v1/bodies", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}", tag = "catalogue", params(("id" = String, Path, description = "Body id, e.g. slom-wg")),
    responses((status = 200, body = BodyDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn body(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<BodyDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::body(&s.db, &id).await?, "body", &id)
}

#[utoipa::path(get, path = "/api/v1/partners", tag = "catalogue", params(KindQuery),
    responses((status = 200, body = PartnerList), (status = 400, body = ErrorBody)))]
pub async fn partners(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<PartnerList>, ApiError> {
    let q: KindQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let kind = params::vocab("kind", &q.kind, PartnerKind::parse)?;
    let all = read::partners(&s.db, kind.as_deref()).await?;
    Ok(Json(PartnerList::new(slice_of(all, paging), "/api/v1/partners", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "catalogue", params(("id" = String, Path, description = "Partner id, e.g. ilo")),
    responses((status = 200, body = PartnerDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn partner(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<PartnerDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::partner(&s.db, &id).await?, "partner", &id)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeQuery {
    /// Only programmes owned by this body (id).
    body: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/programmes", tag = "catalogue", params(ProgrammeQuery),
    responses((status = 200, body = ProgrammeList), (status = 400, body = ErrorBody)))]
pub async fn programmes(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ProgrammeList>, ApiError> {
    let q: ProgrammeQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let body = params::slug("body", &q.body)?;
    let all = read::programmes(&s.db, body.as_deref()).await?;
    Ok(Json(ProgrammeList::new(slice_of(all, paging), "/api/v1/programmes", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "catalogue", params(("id" = String, Path, description = "Programme id, e.g. alm-wp-2016-2020")),
    responses((status = 200, body = ProgrammeDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn programme(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ProgrammeDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::programme(&s.db, &id).await?, "programme", &id)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// Programme id.
    programme: Option<String>,
    /// Responsible body id.
    body: Option<String>,
    /// A coordinating member state (ISO alpha-3).
    member_state: Option<String>,
    /// A collaborating partner id.
    partner: Option<String>,
    /// A structure node id (thematic area, priority, thrust …); includes nodes below it.
    thematic_area: Option<String>,
    /// planned, ongoing, completed, tbc or absorbed.
    status: Option<String>,
    /// recommended_action, activity, project, initiative or commitment.
    kind: Option<String>,
    /// Actions whose calendar covers this year.
    #[param(value_type = Option<i64>, minimum = 1900, maximum = 2100)]
    year: Option<String>,
    /// Actions a meeting implements or its recommendations link to.
    meeting: Option<String>,
    /// Words in the title or description.
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

impl ActionQuery {
    pub fn paging(&self) -> Result<Paging, ApiError> {
        params::paging(&self.limit, &self.offset)
    }
    pub fn filter(&self) -> Result<ActionFilter, ApiError> {
        Ok(ActionFilter {
            programme: params::slug("programme", &self.programme)?,
            body: params::slug("body", &self.body)?,
            member_state: params::member_state("member_state", &self.member_state)?,
            partner: params::slug("partner", &self.partner)?,
            thematic_area: params::slug("thematic_area", &self.thematic_area)?,
            status: params::vocab("status", &self.status, ActionStatus::parse)?,
            kind: params::vocab("kind", &self.kind, ActionKind::parse)?,
            year: params::year("year", &self.year)?,
            meeting: params::slug("meeting", &self.meeting)?,
            q: params::text("q", &self.q)?,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "catalogue", params(ActionQuery),
    responses((status = 200, body = ActionList), (status = 400, body = ErrorBody)))]
pub async fn actions(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ActionList>, ApiError> {
    let q: ActionQuery = parse_query(raw.as_deref())?;
    let paging = q.paging()?;
    let slice = read::actions(&s.db, &q.filter()?, paging).await?;
    Ok(Json(ActionList::new(slice, "/api/v1/actions", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "catalogue", params(("id" = String, Path, description = "Action id, e.g. slom-wg-wp-2011-2015.7.2")),
    responses((status = 200, body = ActionDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn action(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ActionDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::action(&s.db, &id).await?, "action", &id)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// A series, e.g. afml.
    series: Option<String>,
    /// The organising body id.
    body: Option<String>,
    /// The host member state (ISO alpha-3).
    member_state: Option<String>,
    /// forum, conference, seminar, workshop, …
    kind: Option<String>,
    /// Meetings held in this year.
    #[param(value_type = Option<i64>, minimum = 1900, maximum = 2100)]
    year: Option<String>,
    /// Meetings that implement this action.
    action: Option<String>,
    /// Words in the title, theme or city.
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

impl MeetingQuery {
    pub fn paging(&self) -> Result<Paging, ApiError> {
        params::paging(&self.limit, &self.offset)
    }
    pub fn filter(&self) -> Result<MeetingFilter, ApiError> {
        Ok(MeetingFilter {
            series: params::slug("series", &self.series)?,
            body: params::slug("body", &self.body)?,
            member_state: params::member_state("member_state", &self.member_state)?,
            kind: params::vocab("kind", &self.kind, MeetingKind::parse)?,
            year: params::year("year", &self.year)?,
            action: params::slug("action", &self.action)?,
            q: params::text("q", &self.q)?,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/meetings", tag = "catalogue", params(MeetingQuery),
    responses((status = 200, body = MeetingList), (status = 400, body = ErrorBody)))]
pub async fn meetings(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<MeetingList>, ApiError> {
    let q: MeetingQuery = parse_query(raw.as_deref())?;
    let paging = q.paging()?;
    let slice = read::meetings(&s.db, &q.filter()?, paging).await?;
    Ok(Json(MeetingList::new(slice, "/api/v1/meetings", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "catalogue", params(("id" = String, Path, description = "Meeting id, e.g. afml-5")),
    responses((status = 200, body = MeetingDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn meeting(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<MeetingDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::meeting(&s.db, &id).await?, "meeting", &id)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// The meeting that adopted them.
    meeting: Option<String>,
    /// An action that carries them out.
    action: Option<String>,
    /// A meeting series, e.g. afml.
    series: Option<String>,
    /// Words in the text or heading.
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/recommendations", tag = "catalogue", params(RecommendationQuery),
    responses((status = 200, body = RecommendationList), (status = 400, body = ErrorBody)))]
pub async fn recommendations(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RecommendationList>, ApiError> {
    let q: RecommendationQuery = parse_query(raw.as_deref())?;
    let paging = params::paging(&q.limit, &q.offset)?;
    let filter = RecommendationFilter {
        meeting: params::slug("meeting", &q.meeting)?,
        action: params::slug("action", &q.action)?,
        series: params::slug("series", &q.series)?,
        q: params::text("q", &q.q)?,
    };
    let slice = read::recommendations(&s.db, &filter, paging).await?;
    Ok(Json(RecommendationList::new(slice, "/api/v1/recommendations", raw.as_deref(), paging)))
}

#[utoipa::path(get, path = "/api/v1/recommendations/{id}", tag = "catalogue", params(("id" = String, Path, description = "Recommendation id, e.g. afml-5.2")),
    responses((status = 200, body = RecommendationDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn recommendation(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RecommendationDetail>, ApiError> {
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    found(read::recommendation(&s.db, &id).await?, "recommendation", &id)
}
