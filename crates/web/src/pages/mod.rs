//! Server-rendered pages: readable without JavaScript, small, accessible. Each
//! handler reads through the same queries as the API and renders an askama
//! template; every string a person reads comes from the Fluent resources.

mod account;
mod actions;
mod admin;
mod bodies;
mod data;
mod data_reports;
mod data_workflow;
mod followup;
mod followup_themes;
mod glossary;
mod home;
mod meetings;
mod monitoring;
mod programmes;
mod ratifications;
mod reference;

pub use glossary::Glossary;

use crate::auth::Auth;
use crate::error::ApiError;
use crate::i18n::Localizer;
use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use fluent_bundle::FluentValue;
use std::sync::Arc;
use tripart_domain::access::{authorize, Actor, Channel, Operation};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/programmes", get(programmes::list))
        .route("/programmes/{id}", get(programmes::detail))
        .route("/actions", get(actions::list))
        .route("/actions/{id}", get(actions::detail))
        .route("/bodies", get(bodies::bodies))
        .route("/bodies/{id}", get(bodies::body))
        .route("/partners", get(bodies::partners))
        .route("/partners/{id}", get(bodies::partner))
        .route("/member-states", get(bodies::member_states))
        .route("/member-states/{code}", get(bodies::member_state))
        .route("/meetings", get(meetings::list))
        .route("/meetings/{id}", get(meetings::detail))
        .route("/ratifications", get(ratifications::matrix))
        .route("/conventions", get(ratifications::conventions))
        .route("/conventions/{id}", get(ratifications::convention))
        .route("/indicators", get(reference::indicators))
        .route("/data", get(data::overview))
        .route("/data/indicators/{code}", get(data::indicator))
        .route("/data/indicators/{code}/charts/{chart}", get(data::chart))
        .route("/data/countries/{code}", get(data::country))
        .route("/data/scorecard", get(data::scorecard))
        .route("/glossary", get(reference::glossary))
        .route("/instruments", get(reference::instruments))
        .route("/instruments/{id}", get(reference::instrument))
        .route("/static/style.css", get(stylesheet))
        .route("/sign-in", get(account::sign_in_form).post(account::sign_in))
        .route("/sign-out", axum::routing::post(account::sign_out))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}/grants", axum::routing::post(admin::add_grant))
        .route("/admin/users/{id}/password", axum::routing::post(admin::reset_password))
        .route("/admin/users/{id}/revoke-sessions", axum::routing::post(admin::revoke_sessions))
        .route("/admin/audit", get(admin::audit))
        .route(
            "/actions/{id}/updates",
            axum::routing::post(monitoring::progress::record_update)
                .layer(axum::extract::DefaultBodyLimit::max(monitoring::progress::MAX_FORM_BYTES)),
        )
        .route("/meetings/new", get(monitoring::meetings_new::form).post(monitoring::meetings_new::record))
        .route("/reports", get(monitoring::reports::list))
        .route("/reports/open", get(monitoring::reports::open))
        .route("/reports/{body}/{year}", get(monitoring::reports::page))
        .route("/reports/{body}/{year}/narrative", axum::routing::post(monitoring::reports::save_narratives))
        .route("/reports/{body}/{year}/{step}", axum::routing::post(monitoring::reports::step))
        .route("/checklists", get(monitoring::checklists::compare))
        .route("/checklists/templates", get(monitoring::checklists::templates))
        .route("/checklists/templates/{id}/publish", axum::routing::post(monitoring::checklists::publish))
        .route("/checklists/{body}/{year}", get(monitoring::checklists::page).post(monitoring::checklists::save))
        .route("/reviews", get(monitoring::reviews::list).post(monitoring::reviews::open))
        .route("/reviews/{id}", get(monitoring::reviews::page).post(monitoring::reviews::save))
        .route("/reviews/{id}/recommendations/{rec}/adopt", axum::routing::post(monitoring::reviews::adopt))
        .route("/dashboard", get(monitoring::dashboards::dashboard))
        .route("/changes", get(monitoring::dashboards::changes))
        .route("/data/reports/labour-market/{year}", get(data_reports::labour_market))
        .route("/data/reports/oshnet-scorecard/{year}", get(data_reports::oshnet_scorecard))
        .route("/follow-up", get(followup::cycles).post(followup::open))
        .route("/follow-up/themes", get(followup_themes::themes).post(followup_themes::create))
        .route("/follow-up/themes/{id}", get(followup_themes::theme))
        .route("/follow-up/{cycle}", get(followup::matrix))
        .route("/follow-up/{cycle}/close", axum::routing::post(followup::close))
        .route("/follow-up/{cycle}/{rec}/{ms}", get(followup::cell).post(followup::report))
        .route("/follow-up/{cycle}/{rec}/{ms}/links", axum::routing::post(followup::links))
        .route("/member-states/{code}/follow-up", get(followup::country))
        .route("/ratifications/record", get(followup::record_form).post(followup::record))
        .route("/ratifications/changes", get(followup::changes))
        .route("/data/submit", get(data_workflow::submit))
        .route(
            "/data/submit/upload",
            axum::routing::post(data_workflow::upload)
                .layer(axum::extract::DefaultBodyLimit::max(data_workflow::MAX_UPLOAD_BYTES)),
        )
        .route("/data/submit/entry", axum::routing::post(data_workflow::entry))
        .route("/data/submit/send", axum::routing::post(data_workflow::send))
        .route("/data/review", get(data_workflow::review).post(data_workflow::review_step))
        .route("/data/review/publish", axum::routing::post(data_workflow::publish))
        .route("/data/vintages", get(data_workflow::vintages))
        .route("/data/rules", get(data_workflow::rules))
        .route("/data/rules/{id}", axum::routing::post(data_workflow::set_rule))
}

const STYLESHEET: &str = include_str!("../../static/style.css");

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
        .into_response()
}

/// Translations for one request, as templates use them: `{{ t.get("key") }}`.
pub struct Tr {
    loc: Arc<Localizer>,
    pub lang: String,
}

impl Tr {
    pub fn new(state: &AppState, headers: &HeaderMap, query_lang: Option<&str>) -> Tr {
        let requested = query_lang.or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
        Tr { lang: state.i18n.negotiate(requested), loc: state.i18n.clone() }
    }
    pub fn get(&self, key: &str) -> String {
        self.loc.message(&self.lang, key, &[])
    }
    /// The name of a vocabulary value: `label("status", "ongoing")` reads
    /// `status-ongoing`. A value without a message shows as itself, so that a
    /// new value in the catalogue reads as data rather than as a key.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}-{value}");
        if self.loc.has(&self.lang, &key) {
            self.loc.message(&self.lang, &key, &[])
        } else {
            value.to_string()
        }
    }
    /// A date as people read it: `2013-11-01` becomes "1 November 2013"; `YYYY-MM`
    /// and `YYYY` are shown as precisely as they are known; anything else as given.
    pub fn date(&self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let number = |i: usize| parts.get(i).and_then(|p| p.parse::<i64>().ok());
        let month = |m: i64| self.loc.message(&self.lang, &format!("month-{m}"), &[]);
        match (parts.len(), number(0), number(1), number(2)) {
            (3, Some(y), Some(m @ 1..=12), Some(d)) => self.loc.message(
                &self.lang,
                "date-day",
                &[
                    ("day", FluentValue::from(d)),
                    ("month", FluentValue::from(month(m))),
                    ("year", y.to_string().into()),
                ],
            ),
            (2, Some(y), Some(m @ 1..=12), None) => self.loc.message(
                &self.lang,
                "date-month",
                &[("month", FluentValue::from(month(m))), ("year", y.to_string().into())],
            ),
            _ => iso.to_string(),
        }
    }
    /// A stored instant (`2024-05-01T08:30:12.345Z`) as people read it: the date,
    /// then hours and minutes in UTC.
    pub fn instant(&self, iso: &str) -> String {
        match (iso.get(..10), iso.get(11..16)) {
            (Some(day), Some(time)) => self.loc.message(
                &self.lang,
                "date-instant",
                &[("date", FluentValue::from(self.date(day))), ("time", FluentValue::from(time.to_string()))],
            ),
            _ => iso.to_string(),
        }
    }
    /// "Items 51–100 of 230", for a paginated list.
    pub fn range(&self, first: i64, last: i64, total: i64) -> String {
        self.loc.message(
            &self.lang,
            "list-range",
            &[("first", first.into()), ("last", last.into()), ("total", total.into())],
        )
    }
    /// A message with one numeric argument `n` (for plurals).
    pub fn count(&self, key: &str, n: &i64) -> String {
        self.loc.message(&self.lang, key, &[("n", fluent_bundle::FluentValue::from(*n))])
    }
    /// A message with one text argument `value`.
    pub fn with(&self, key: &str, value: &str) -> String {
        self.loc.message(&self.lang, key, &[("value", fluent_bundle::FluentValue::from(value.to_string()))])
    }
}

/// What every page shows around its content.
pub struct Layout {
    pub t: Tr,
    pub glossary: Glossary,
    /// The current path, for the navigation's `aria-current`.
    pub path: String,
    /// The signed-in user's e-mail, and the session's CSRF token for forms.
    pub signed_in: Option<(String, String)>,
    /// Whether the signed-in user administers Tripart: the header then links to
    /// the administration pages. Only shows or hides links; the pages themselves
    /// are authorized by the storage layer.
    pub is_admin: bool,
}

impl Layout {
    pub async fn new(state: &AppState, headers: &HeaderMap, path: &str) -> Layout {
        let glossary = Glossary::load(&state.db).await;
        let session = match crate::auth::cookie(headers, crate::auth::SESSION_COOKIE) {
            Some(token) => tripart_storage::accounts::session(&state.db, &token).await.ok().flatten(),
            None => None,
        };
        let is_admin = session.as_ref().is_some_and(|(p, _)| {
            let actor = Actor::User(p.clone(), Channel::Web);
            authorize(&actor, &Operation::ManageUsers).is_ok()
        });
        let signed_in = session.map(|(p, csrf)| (p.email, csrf));
        Layout { t: Tr::new(state, headers, None), glossary, path: path.to_string(), signed_in, is_admin }
    }
    pub fn user_email(&self) -> &str {
        self.signed_in.as_ref().map(|(e, _)| e.as_str()).unwrap_or_default()
    }
    pub fn csrf(&self) -> &str {
        self.signed_in.as_ref().map(|(_, c)| c.as_str()).unwrap_or_default()
    }
    /// The `aria-current` attribute of a navigation link: `page` on the section's
    /// own page, `true` on a page within it (or within `also`, a related section).
    pub fn nav_current(&self, prefix: &str, also: &str) -> &'static str {
        if self.path == prefix {
            " aria-current=\"page\""
        } else if self.current(prefix) || (!also.is_empty() && self.current(also)) {
            " aria-current=\"true\""
        } else {
            ""
        }
    }
    /// Whether the page belongs to the navigation section at `prefix`.
    pub fn current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path == prefix || self.path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
        }
    }
}

/// Renders a template, or a plain error page if rendering fails.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>Something went wrong.</p>".to_string()),
            )
                .into_response()
        }
    }
}

/// Human-friendly error page with the right status.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub title: String,
    pub message: String,
    /// What exactly was wrong, for a bad parameter.
    pub detail: Option<String>,
}

pub fn error_page(layout: Layout, status: StatusCode, message: String) -> Response {
    error_page_with(layout, status, message, None)
}

fn error_page_with(layout: Layout, status: StatusCode, message: String, detail: Option<String>) -> Response {
    let title = layout.t.get(match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::BAD_REQUEST => "error-bad-request",
        _ => "error-title",
    });
    let mut response = render(&ErrorPage { layout, title, message, detail });
    *response.status_mut() = status;
    response
}

/// The page for a request that failed: a bad parameter is a 400 that names it,
/// a missing record a 404, and a storage failure a 500 whose cause is logged only.
pub fn failure(layout: Layout, error: ApiError) -> Response {
    match error {
        ApiError::BadParameter { parameter, message } => {
            let msg = layout.t.with("error-bad-parameter", &parameter);
            error_page_with(layout, StatusCode::BAD_REQUEST, msg, Some(message))
        }
        ApiError::NotFound(message) => error_page(layout, StatusCode::NOT_FOUND, message),
        ApiError::Rejected(problems) => {
            let detail = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
            let msg = layout.t.get("error-data-rejected");
            error_page_with(layout, StatusCode::UNPROCESSABLE_ENTITY, msg, Some(detail))
        }
        e @ (ApiError::Unauthenticated(_)
        | ApiError::Forbidden(_)
        | ApiError::Conflict { .. }
        | ApiError::TooManyRequests(_)
        | ApiError::PayloadTooLarge(_)) => {
            let status = e.status();
            error_page(layout, status, e.to_string())
        }
        ApiError::Internal(e) => {
            tracing::error!(error = %e, "page failed");
            let msg = layout.t.get("error-database");
            error_page(layout, StatusCode::INTERNAL_SERVER_ERROR, msg)
        }
    }
}

/// A record that must exist, or a 404 whose message is `key` with the id.
pub fn found<T>(value: Option<T>, layout: &Layout, key: &str, id: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::NotFound(layout.t.with(key, id)))
}

/// A path id in the catalogue's id syntax, or a 404 (no record can have a malformed id).
pub fn path_slug(layout: &Layout, key: &str, id: &str) -> Result<String, ApiError> {
    crate::params::slug("id", &Some(id.to_string()))
        .ok()
        .flatten()
        .ok_or_else(|| ApiError::NotFound(layout.t.with(key, id)))
}

/// A filter form sends every field, empty or not; an empty field means "any".
/// Drops them so that the query parses like the API's.
pub fn form_query(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    match serde_urlencoded::from_str::<Vec<(String, String)>>(raw) {
        Ok(pairs) => {
            let kept: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
            Some(serde_urlencoded::to_string(kept).unwrap_or_default())
        }
        // Let the query parser report what is wrong with it.
        Err(_) => Some(raw.to_string()),
    }
}

/// Previous and next links of a paginated list.
pub struct Pager {
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(t: &Tr, path: &str, query: Option<&str>, paging: tripart_storage::read::Paging, total: i64) -> Pager {
        let first = if total == 0 { 0 } else { paging.offset + 1 };
        let last = (paging.offset + paging.limit).min(total);
        Pager {
            summary: t.range(first, last, total),
            previous: (paging.offset > 0)
                .then(|| crate::api::page_link(path, query, paging.limit, (paging.offset - paging.limit).max(0))),
            next: crate::api::next_link(path, query, paging, total),
        }
    }
}

/// The page of a request the actor may not make; the public is sent to sign in.
pub fn refusal(layout: Layout, error: ApiError) -> Response {
    match error {
        ApiError::Unauthenticated(_) => Redirect::to("/sign-in").into_response(),
        e => failure(layout, e),
    }
}

/// The actor of a change: without the session's CSRF token it is refused (403)
/// before anything else happens; the public must sign in.
pub fn change_actor<'a>(auth: &'a Auth, csrf: Option<&str>) -> Result<&'a Actor, ApiError> {
    auth.check_csrf(csrf)?;
    auth.require_user()
}
