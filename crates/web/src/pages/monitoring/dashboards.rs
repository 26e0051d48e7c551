//! The dashboard (where the actions of a scope stand, what is overdue, the
//! timeline, meetings to come) and what changed since a date. Public: they read
//! published records only. The downloads are the API's, with the same scope.

use super::{area_choices, AreaGroup};
use crate::api::DashboardQuery;
use crate::error::ApiError;
use crate::pages::actions::FilterOptions;
use crate::pages::{failure, form_query, render, Layout};
use crate::params::{self, parse_query};
use crate::{charts, AppState};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tripart_storage::monitoring::dashboard::{self, Changes, Dashboard};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    q: DashboardQuery,
    d: Dashboard,
    options: FilterOptions,
    areas: Vec<AreaGroup>,
    /// The timeline as inline SVG.
    timeline: String,
    /// The scope as a query string, for the downloads and the changes.
    scope: String,
}

impl DashboardPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or_default()
    }
    fn selected(&self, current: &Option<String>, value: &str) -> &'static str {
        super::selected(current.as_deref().unwrap_or_default(), value)
    }
    fn programme_name(&self, id: &str) -> String {
        self.options.programmes.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }
    fn state_name(&self, code: &str) -> String {
        self.options
            .member_states
            .iter()
            .find(|m| m.id == code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string())
    }
    /// The length of a status bar of at most 240 pixels.
    fn bar(&self, count: &i64) -> String {
        let max = self.d.by_status.iter().map(|c| c.count).max().unwrap_or(1).max(1);
        format!("{:.1}", *count as f64 * 240.0 / max as f64)
    }
    fn colour(&self, status: &str) -> &'static str {
        charts::status_colour(status)
    }
    /// `&` and the scope, to follow another parameter in a link.
    fn and_scope(&self) -> String {
        if self.scope.is_empty() {
            String::new()
        } else {
            format!("&{}", self.scope)
        }
    }
    fn with_scope(&self, path: &str) -> String {
        if self.scope.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", self.scope)
        }
    }
}

pub async fn dashboard(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/dashboard").await;
    let data = async {
        let q: DashboardQuery = parse_query(form_query(raw.as_deref()).as_deref())?;
        if q.since.is_some() {
            return Err(ApiError::bad("since", "`since` is for the changes page: /changes"));
        }
        let d = dashboard::dashboard(&s.db, &q.filter()?, &q.as_of()?, q.stale_days()?).await?;
        Ok::<_, ApiError>((q, d, FilterOptions::load(&s).await?, area_choices(&s).await?))
    };
    match data.await {
        Ok((q, d, options, areas)) => {
            let timeline = charts::timeline(&s.i18n, &layout.t.lang, &d, false);
            let scope = q.scope_query();
            render(&DashboardPage { layout, q, d, options, areas, timeline, scope })
        }
        Err(e) => failure(layout, e),
    }
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    layout: Layout,
    q: DashboardQuery,
    c: Changes,
    /// The last SLOM meeting before today, the default date.
    last_slom: Option<String>,
    digest: String,
    dashboard: String,
}

pub async fn changes(State(s): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, "/changes").await;
    let data = async {
        let q: DashboardQuery = parse_query(form_query(raw.as_deref()).as_deref())?;
        let last_slom = dashboard::last_slom(&s.db, &q.as_of()?).await?;
        let since = match params::date("since", &q.since)? {
            Some(d) => d,
            None => last_slom.clone().unwrap_or_else(|| "2000-01-01".into()),
        };
        let c = dashboard::changes_since(&s.db, &q.filter()?, &since).await?;
        Ok::<_, ApiError>((q, c, last_slom))
    };
    match data.await {
        Ok((q, c, last_slom)) => {
            let scope = q.scope_query();
            let join = |path: &str, extra: &str| {
                let query =
                    [scope.as_str(), extra].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("&");
                if query.is_empty() {
                    path.to_string()
                } else {
                    format!("{path}?{query}")
                }
            };
            let since = serde_urlencoded::to_string([("since", &c.since)]).unwrap_or_default();
            let digest = join("/api/v1/changes/digest.txt", &since);
            let dashboard = join("/dashboard", "");
            render(&ChangesPage { layout, q, c, last_slom, digest, dashboard })
        }
        Err(e) => failure(layout, e),
    }
}
