//! `tripart export`: the whole database as JSON, table by table, every row with its
//! columns. Reads in one transaction so that the export is a consistent snapshot.

use crate::{Db, StorageError};
use serde_json::{Map, Value as Json};

/// Every table Tripart keeps, in dependency order.
pub const TABLES: &[&str] = &[
    "catalogue_file",
    // Before the catalogue: records created through the application name their author.
    "app_user",
    "member_state",
    "body",
    "partner",
    "glossary_term",
    "glossary_citation",
    "instrument",
    "action_line",
    "pillar_concern",
    "convention",
    "convention_category",
    "ratification_event",
    "ratification_snapshot",
    "programme",
    "programme_node",
    "node_body",
    "action",
    "action_body",
    "action_party",
    "action_carries",
    "action_action_line",
    "action_instrument",
    "meeting",
    "meeting_party",
    "meeting_action",
    "meeting_instrument",
    "recommendation",
    "recommendation_action",
    "recommendation_instrument",
    "indicator",
    "role_grant",
    "user_session",
    "api_token",
    "sign_in_attempt",
    "audit_event",
    "progress_update",
    "progress_output",
    "progress_link",
    "evidence_file",
    "meeting_document",
    "action_continuation",
    "annual_report",
    "annual_report_narrative",
    "annual_report_event",
    "checklist_template",
    "checklist_item",
    "checklist_response",
    "checklist_answer",
    "programme_review",
    "review_finding",
    "review_recommendation",
    "reporting_cycle",
    "cycle_recommendation",
    "implementation_report",
    "recommendation_node",
    "recommendation_sdg",
    "recommendation_theme",
    "recommendation_theme_member",
    "stat_submission",
    "stat_series",
    "stat_vintage",
    "stat_value",
    "stat_step",
    "stat_event",
    "stat_finding",
    "stat_rule",
];

/// Tables that hold secrets or personal traces: backed up, never exported.
pub const PRIVATE_TABLES: &[&str] = &["user_session", "api_token", "sign_in_attempt"];

/// Columns that hold secrets: backed up, never exported.
pub const PRIVATE_COLUMNS: &[&str] = &["password_hash"];

pub async fn export(db: &Db) -> Result<Json, StorageError> {
    let mut tx = db.begin_read().await?;
    let mut tables = Map::new();
    for table in TABLES.iter().filter(|t| !PRIVATE_TABLES.contains(t)) {
        let rows = tx.fetch_all(&format!("SELECT * FROM {table}"), &[]).await?;
        let mut rows: Vec<Json> = rows
            .iter()
            .map(|r| {
                let obj: Map<String, Json> = r
                    .columns()
                    .iter()
                    .zip(r.values())
                    .filter(|(c, _)| !PRIVATE_COLUMNS.contains(&c.as_str()))
                    .map(|(c, v)| (c.clone(), v.to_json()))
                    .collect();
                Json::Object(obj)
            })
            .collect();
        // A total order on every column, the same on both backends.
        rows.sort_by_cached_key(|r| r.to_string());
        tables.insert((*table).to_string(), Json::Array(rows));
    }
    tx.commit().await?;
    let mut out = Map::new();
    out.insert("format".into(), Json::from("tripart-export"));
    out.insert("schema_version".into(), Json::from(crate::migrate::latest_version()));
    out.insert("tables".into(), Json::Object(tables));
    Ok(Json::Object(out))
}
