//! The OpenAPI document, generated from the handlers' annotations and the read
//! models, so that it cannot drift from what the server does.

use super::{
    accounts, catalogue, dashboards, data, data_reports, edits, followup, progress, ratifications, reference, reports,
    reviews,
};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tripart API", version = "1", description = "The catalogue of ASEAN labour cooperation: programmes, bodies, actions, meetings, recommendations, conventions, ratifications and indicators, as the seed documents give them, every record citing its source; and the monitoring of the Work Programme: progress updates, annual reports, the output checklist, reviews and dashboards."),
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
        edits::patch_action, edits::retire_action, edits::unretire_action, edits::purge_action,
        accounts::me, accounts::users, accounts::create_user, accounts::add_grant, accounts::reset_password,
        accounts::revoke_sessions, accounts::audit_trail,
        progress::record_update, progress::action_history, progress::evidence_file, progress::record_meeting,
        progress::continue_action,
        reports::list, reports::report, reports::report_pdf, reports::report_xlsx, reports::set_narrative,
        reports::submit, reports::send_back, reports::accept,
        reports::templates, reports::draft_template, reports::publish_template,
        reports::checklist_list, reports::checklist, reports::save_checklist,
        reviews::list, reviews::open, reviews::review, reviews::save, reviews::adopt,
        dashboards::dashboard_json, dashboards::dashboard_csv, dashboards::dashboard_xlsx, dashboards::timeline_svg,
        dashboards::changes, dashboards::digest,
        followup::cycles, followup::open_cycle, followup::matrix, followup::close_cycle, followup::report,
        followup::not_reported, followup::country, followup::history, followup::record_ratification,
        followup::paper_pdf, followup::paper_docx, followup::links, followup::set_links, followup::themes,
        followup::create_theme, followup::theme,
        data::data, data::import_data, data::template, data::submit, data::return_values, data::validate,
        data::publish, data::vintages, data::compare, data::history, data::measures, data::rules, data::set_rule,
        data_reports::labour_market_pdf, data_reports::oshnet_scorecard_pdf,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "catalogue", description = "What the seed documents name"),
        (name = "ratifications", description = "ILO conventions and the ratification record"),
        (name = "reference", description = "Indicators, instruments, glossary"),
        (name = "service", description = "Health and overview"),
        (name = "edits", description = "Versioned, audited changes to catalogue records"),
        (name = "accounts", description = "Users, roles, sessions, tokens and the audit trail"),
        (name = "follow-up", description = "Each member state's implementation of each recommendation, by every voice; new ratification events"),
        (name = "data", description = "Labour-market and OSH observations in ILOSTAT's fields, the ASEAN figure (X84) with its coverage, imports, validation and published vintages"),
        (name = "monitoring", description = "Progress on actions, annual reports, the output checklist, reviews and dashboards"),
    )
)]
struct ApiDoc;

/// Declares the bearer-token scheme machine clients use.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn serve_document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
