//! Server-rendered pages: readable without JavaScript, small, accessible. Each
//! handler reads through the same queries as the API and renders an askama
//! template; every string a person reads comes from the Fluent resources.

mod glossary;
mod home;

pub use glossary::Glossary;

use crate::i18n::Localizer;
use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home::home)).route("/static/style.css", get(stylesheet))
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
}

impl Layout {
    pub async fn new(state: &AppState, headers: &HeaderMap, path: &str) -> Layout {
        let glossary = Glossary::load(&state.db).await;
        Layout { t: Tr::new(state, headers, None), glossary, path: path.to_string() }
    }
    pub fn current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
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
}

pub fn error_page(layout: Layout, status: StatusCode, message: String) -> Response {
    let title = layout.t.get(if status == StatusCode::NOT_FOUND { "error-not-found" } else { "error-title" });
    let mut response = render(&ErrorPage { layout, title, message });
    *response.status_mut() = status;
    response
}
