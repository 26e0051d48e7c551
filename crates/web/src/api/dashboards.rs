//! Dashboards: where actions stand, what is overdue, the timeline, meetings to
//! come, what changed since the last SLOM; as JSON, CSV, Excel, SVG and a
//! plain-text digest for e-mail.

use super::progress::download;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::{charts, documents, AppState};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tripart_storage::monitoring::dashboard::{self, Changes, Dashboard, DEFAULT_STALE_DAYS};
use tripart_storage::read::ActionFilter;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// Programme id.
    pub programme: Option<String>,
    /// Responsible body id.
    pub body: Option<String>,
    /// A coordinating member state (ISO alpha-3).
    pub member_state: Option<String>,
    /// A structure node id; includes nodes below it.
    pub thematic_area: Option<String>,
    /// An action is overdue when its calendar passed, it is not completed and it had
    /// no update for this many days (default 180).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 3650)]
    pub stale_days: Option<String>,
    /// The date to judge by (default today), YYYY-MM-DD.
    pub as_of: Option<String>,
    /// For changes: since this date (default the last SLOM meeting).
    pub since: Option<String>,
}

impl DashboardQuery {
    pub fn filter(&self) -> Result<ActionFilter, ApiError> {
        Ok(ActionFilter {
            programme: params::slug("programme", &self.programme)?,
            body: params::slug("body", &self.body)?,
            member_state: params::member_state("member_state", &self.member_state)?,
            thematic_area: params::slug("thematic_area", &self.thematic_area)?,
            ..Default::default()
        })
    }
    pub fn stale_days(&self) -> Result<i64, ApiError> {
        Ok(params::int("stale_days", &self.stale_days, 1, 3650)?.unwrap_or(DEFAULT_STALE_DAYS))
    }
    pub fn as_of(&self) -> Result<String, ApiError> {
        Ok(params::date("as_of", &self.as_of)?.unwrap_or_else(tripart_domain::time::today))
    }
    /// The scope as a query string, for links to the downloads.
    pub fn scope_query(&self) -> String {
        let pairs: Vec<(&str, &Option<String>)> = vec![
            ("programme", &self.programme),
            ("body", &self.body),
            ("member_state", &self.member_state),
            ("thematic_area", &self.thematic_area),
            ("stale_days", &self.stale_days),
            ("as_of", &self.as_of),
        ];
        serde_urlencoded::to_string(
            pairs
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| (k, v)))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default()
    }
}

pub(crate) async fn load(s: &AppState, q: &DashboardQuery) -> Result<Dashboard, ApiError> {
    Ok(dashboard::dashboard(&s.db, &q.filter()?, &q.as_of()?, q.stale_days()?).await?)
}

#[utoipa::path(get, path = "/api/v1/dashboard", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorBody)))]
pub async fn dashboard_json(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<Dashboard>, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    Ok(Json(load(&s, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/dashboard/actions.csv", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, description = "The scope's actions with status, last update and overdue flag", content_type = "text/csv"),
              (status = 400, body = ErrorBody)))]
pub async fn dashboard_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    let d = load(&s, &q).await?;
    let csv = documents::dashboard_csv(&s, &s.i18n.for_request(&headers), &d);
    Ok(download("text/csv; charset=utf-8", "tripart-dashboard.csv", csv.into_bytes()))
}

#[utoipa::path(get, path = "/api/v1/dashboard/actions.xlsx", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, description = "The dashboard as an Excel workbook (summary, actions, overdue, meetings)",
               content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 400, body = ErrorBody)))]
pub async fn dashboard_xlsx(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    let d = load(&s, &q).await?;
    let xlsx = documents::dashboard_workbook(&s, &s.i18n.for_request(&headers), &d)?;
    Ok(download(documents::XLSX, "tripart-dashboard.xlsx", xlsx))
}

#[utoipa::path(get, path = "/api/v1/dashboard/timeline.svg", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, description = "A printable Gantt chart of the actions and meetings", content_type = "image/svg+xml"),
              (status = 400, body = ErrorBody)))]
pub async fn timeline_svg(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    let d = load(&s, &q).await?;
    let svg = charts::timeline(&s.i18n, &s.i18n.for_request(&headers), &d, true);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}

pub(crate) async fn load_changes(s: &AppState, q: &DashboardQuery) -> Result<Changes, ApiError> {
    let since = match params::date("since", &q.since)? {
        Some(d) => d,
        None => dashboard::last_slom(&s.db, &q.as_of()?).await?.unwrap_or_else(|| "2000-01-01".into()),
    };
    Ok(dashboard::changes_since(&s.db, &q.filter()?, &since).await?)
}

#[utoipa::path(get, path = "/api/v1/changes", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, body = Changes), (status = 400, body = ErrorBody)))]
pub async fn changes(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<Changes>, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    Ok(Json(load_changes(&s, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/changes/digest.txt", tag = "monitoring", params(DashboardQuery),
    responses((status = 200, description = "What changed, as plain text to paste into an e-mail", content_type = "text/plain"),
              (status = 400, body = ErrorBody)))]
pub async fn digest(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q: DashboardQuery = parse_query(raw.as_deref())?;
    let changes = load_changes(&s, &q).await?;
    let text = documents::digest(&s, &s.i18n.for_request(&headers), &changes);
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}
