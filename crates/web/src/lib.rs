//! Tripart's HTTP layer: the JSON API under `/api/v1` and the server-rendered
//! pages, both thin over the storage crate's queries. Handlers extract and parse
//! input, call one query, and map the result; no state that matters lives here, so
//! several servers can run side by side against one PostgreSQL.

mod api;
mod auth;
mod charts;
mod data_files;
mod data_reports;
mod documents;
mod error;
mod i18n;
mod pages;
mod paper;
mod params;

pub use api::openapi_document;
pub use error::ApiError;

use axum::http::{header, HeaderValue};
use axum::Router;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tripart_storage::Db;

/// Settings the web layer needs from the configuration.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Tripart sits behind a TLS-terminating proxy.
    pub behind_tls: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub i18n: Arc<i18n::Localizer>,
    pub settings: Settings,
}

/// The whole application as a router, for `serve` and for tests.
pub fn app(db: Db, settings: Settings) -> Router {
    let state = AppState { db, i18n: Arc::new(i18n::Localizer::load()), settings };
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(api::MAX_JSON_BYTES))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
}

/// An unknown path: a JSON error under `/api/`, a page for people elsewhere.
async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return ApiError::NotFound(format!("no such path `{}`", uri.path())).into_response();
    }
    let layout = pages::Layout::new(&state, &headers, uri.path()).await;
    let message = layout.t.get("error-no-such-page");
    pages::error_page(layout, axum::http::StatusCode::NOT_FOUND, message)
}

/// Listens on `bind` until interrupted.
pub async fn serve(db: Db, bind: &str, settings: Settings) -> anyhow::Result<()> {
    use anyhow::Context;
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("Tripart listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(db, settings).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Whether the English resources have a message for `key`: for the test that
/// every key the templates use exists. Not part of the API.
#[doc(hidden)]
pub fn has_message(key: &str) -> bool {
    i18n::Localizer::load().has(i18n::DEFAULT_LANG, key)
}
