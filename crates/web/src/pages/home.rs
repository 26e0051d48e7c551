//! The home page: what Tripart holds, at a glance.

use super::{error_page, render, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tripart_storage::read::{self, Overview, Programme};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    overview: Overview,
    programmes: Vec<Programme>,
}

pub async fn home(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let layout = Layout::new(&s, &headers, "/").await;
    let data = async {
        Ok::<_, tripart_storage::StorageError>((read::overview(&s.db).await?, read::programmes(&s.db, None).await?))
    };
    match data.await {
        Ok((overview, programmes)) => render(&HomePage { layout, overview, programmes }),
        Err(e) => {
            tracing::error!(error = %e, "home page");
            let msg = layout.t.get("error-database");
            error_page(layout, StatusCode::INTERNAL_SERVER_ERROR, msg)
        }
    }
}
