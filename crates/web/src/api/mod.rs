//! The JSON API under `/api/v1`: one module per feature, the OpenAPI document
//! generated from the same handlers and types.

mod accounts;
mod body;
mod catalogue;
mod dashboards;
mod data;
mod data_reports;
mod edits;
mod followup;
mod lists;
mod openapi;
mod progress;
mod ratifications;
mod reference;
mod reports;
mod reviews;

pub use body::MAX_JSON_BYTES;
pub use openapi::openapi_document;
// Shared with the pages, which filter and page the same lists.
pub(crate) use accounts::{AuditQuery, GrantInput};
pub(crate) use catalogue::{ActionQuery, MeetingQuery};
pub(crate) use dashboards::DashboardQuery;
pub(crate) use lists::{next_link, page_link};
pub(crate) use ratifications::MatrixQuery;
pub(crate) use reports::report_key;
pub(crate) use reviews::review_id;

use crate::error::ApiError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::{Json, Router};

/// A single record, or a 404 that says what was not found.
pub(crate) fn found<T>(value: Option<T>, what: &str, id: &str) -> Result<Json<T>, ApiError> {
    value.map(Json).ok_or_else(|| ApiError::NotFound(format!("no {what} `{id}`")))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(reference::healthz))
        .route("/api/v1/openapi.json", get(openapi::serve_document))
        .route("/api/v1/overview", get(reference::overview))
        .route("/api/v1/member-states", get(catalogue::member_states))
        .route("/api/v1/member-states/{code}", get(catalogue::member_state))
        .route("/api/v1/bodies", get(catalogue::bodies))
        .route("/api/v1/bodies/{id}", get(catalogue::body))
        .route("/api/v1/partners", get(catalogue::partners))
        .route("/api/v1/partners/{id}", get(catalogue::partner))
        .route("/api/v1/programmes", get(catalogue::programmes))
        .route("/api/v1/programmes/{id}", get(catalogue::programme))
        .route("/api/v1/actions", get(catalogue::actions))
        .route("/api/v1/actions/{id}", get(catalogue::action).patch(edits::patch_action).delete(edits::purge_action))
        .route("/api/v1/actions/{id}/retire", post(edits::retire_action))
        .route("/api/v1/actions/{id}/unretire", post(edits::unretire_action))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/users", get(accounts::users).post(accounts::create_user))
        .route("/api/v1/users/{id}/grants", post(accounts::add_grant))
        .route("/api/v1/users/{id}/password", post(accounts::reset_password))
        .route("/api/v1/users/{id}/revoke-sessions", post(accounts::revoke_sessions))
        .route("/api/v1/audit", get(accounts::audit_trail))
        .route("/api/v1/meetings", get(catalogue::meetings).post(progress::record_meeting))
        .route("/api/v1/meetings/{id}", get(catalogue::meeting))
        .route("/api/v1/recommendations", get(catalogue::recommendations))
        .route("/api/v1/recommendations/{id}", get(catalogue::recommendation))
        .route("/api/v1/conventions", get(ratifications::conventions))
        .route("/api/v1/conventions/{id}", get(ratifications::convention))
        .route("/api/v1/ratifications", get(ratifications::events).post(followup::record_ratification))
        .route("/api/v1/ratifications/matrix", get(ratifications::matrix))
        .route("/api/v1/ratifications/snapshots", get(ratifications::snapshots))
        .route("/api/v1/indicators", get(reference::indicators))
        .route("/api/v1/indicators/{code}", get(reference::indicator))
        .route("/api/v1/instruments", get(reference::instruments))
        .route("/api/v1/instruments/{id}", get(reference::instrument))
        .route("/api/v1/glossary", get(reference::glossary))
        .route("/api/v1/pillar-concerns", get(reference::pillar_concerns))
        .route(
            "/api/v1/actions/{id}/updates",
            get(progress::action_history)
                .post(progress::record_update)
                .layer(DefaultBodyLimit::max(body::MAX_UPLOAD_BYTES)),
        )
        .route("/api/v1/actions/{id}/continue", post(progress::continue_action))
        .route("/api/v1/data", get(data::data))
        .route("/api/v1/data/imports", post(data::import_data).layer(DefaultBodyLimit::max(body::MAX_UPLOAD_BYTES)))
        .route("/api/v1/data/template.xlsx", get(data::template))
        .route("/api/v1/data/submit", post(data::submit))
        .route("/api/v1/data/return", post(data::return_values))
        .route("/api/v1/data/validate", post(data::validate))
        .route("/api/v1/data/publish", post(data::publish))
        .route("/api/v1/data/vintages", get(data::vintages))
        .route("/api/v1/data/vintages/compare", get(data::compare))
        .route("/api/v1/data/observations/{id}/history", get(data::history))
        .route("/api/v1/data/measures", get(data::measures))
        .route("/api/v1/data/rules", get(data::rules))
        .route("/api/v1/data/rules/{id}", put(data::set_rule))
        .route("/api/v1/data/reports/labour-market/{year}", get(data_reports::labour_market_pdf))
        .route("/api/v1/data/reports/oshnet-scorecard/{year}", get(data_reports::oshnet_scorecard_pdf))
        .route("/api/v1/evidence/{id}", get(progress::evidence_file))
        .route("/api/v1/reports", get(reports::list))
        .route("/api/v1/reports/{body}/{year}", get(reports::report))
        .route("/api/v1/reports/{body}/{year}/pdf", get(reports::report_pdf))
        .route("/api/v1/reports/{body}/{year}/xlsx", get(reports::report_xlsx))
        .route("/api/v1/reports/{body}/{year}/narrative", put(reports::set_narrative))
        .route("/api/v1/reports/{body}/{year}/submit", post(reports::submit))
        .route("/api/v1/reports/{body}/{year}/return", post(reports::send_back))
        .route("/api/v1/reports/{body}/{year}/accept", post(reports::accept))
        .route("/api/v1/checklist-templates", get(reports::templates).post(reports::draft_template))
        .route("/api/v1/checklist-templates/{id}/publish", post(reports::publish_template))
        .route("/api/v1/checklists", get(reports::checklist_list))
        .route("/api/v1/checklists/{body}/{year}", get(reports::checklist).put(reports::save_checklist))
        .route("/api/v1/reviews", get(reviews::list).post(reviews::open))
        .route("/api/v1/reviews/{id}", get(reviews::review).patch(reviews::save))
        .route("/api/v1/review-recommendations/{id}/adopt", post(reviews::adopt))
        .route("/api/v1/dashboard", get(dashboards::dashboard_json))
        .route("/api/v1/dashboard/actions.csv", get(dashboards::dashboard_csv))
        .route("/api/v1/dashboard/actions.xlsx", get(dashboards::dashboard_xlsx))
        .route("/api/v1/dashboard/timeline.svg", get(dashboards::timeline_svg))
        .route("/api/v1/changes", get(dashboards::changes))
        .route("/api/v1/changes/digest.txt", get(dashboards::digest))
        .route("/api/v1/cycles", get(followup::cycles).post(followup::open_cycle))
        .route("/api/v1/cycles/{id}", get(followup::matrix))
        .route("/api/v1/cycles/{id}/close", post(followup::close_cycle))
        .route("/api/v1/cycles/{id}/reports", post(followup::report))
        .route("/api/v1/cycles/{id}/not-reported", get(followup::not_reported))
        .route("/api/v1/cycles/{id}/paper.pdf", get(followup::paper_pdf))
        .route("/api/v1/cycles/{id}/paper.docx", get(followup::paper_docx))
        .route("/api/v1/member-states/{code}/implementation", get(followup::country))
        .route("/api/v1/recommendations/{id}/implementation", get(followup::history))
        .route("/api/v1/recommendations/{id}/links", get(followup::links).put(followup::set_links))
        .route("/api/v1/themes", get(followup::themes).post(followup::create_theme))
        .route("/api/v1/themes/{id}", get(followup::theme))
}
