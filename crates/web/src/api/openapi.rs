//! The OpenAPI document, generated from the handlers' annotations and the read
//! models, so that it cannot drift from what the server does.

use super::{catalogue, ratifications, reference};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tripart API", version = "1", description = "The catalogue of ASEAN labour cooperation: programmes, bodies, actions, meetings, recommendations, conventions, ratifications and indicators, as the seed documents give them. Every record cites its source."),
    paths(
        reference::healthz, reference::overview,
        catalogue::member_states, catalogue::member_state, catalogue::bodies, catalogue::body,
        catalogue::partners, catalogue::partner, catalogue::programmes, catalogue::programme,
        catalogue::actions, catalogue::action, catalogue::meetings, catalogue::meeting,
        catalogue::recommendations, catalogue::recommendation,
        ratifications::conventions, ratifications::convention, ratifications::events,
        ratifications::matrix, ratifications::snapshots,
        reference::indicators, reference::indicator, reference::instruments, reference::instrument,
        reference::glossary, reference::pillar_concerns,
    ),
    tags(
        (name = "catalogue", description = "What the seed documents name"),
        (name = "ratifications", description = "ILO conventions and the ratification record"),
        (name = "reference", description = "Indicators, instruments, glossary"),
        (name = "service", description = "Health and overview"),
    )
)]
struct ApiDoc;

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn serve_document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
