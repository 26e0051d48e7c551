//! The audit trail: every write records who, when, through which channel, what
//! record, and the values before and after, in the same transaction as the write.

use crate::db::{Row, Tx};
use crate::{params, Db, StorageError};
use serde::Serialize;
use serde_json::{Map, Value as Json};
use tripart_domain::access::Actor;

/// A new id that sorts by creation time: milliseconds, then a counter (ids made
/// by one server in the same millisecond keep their order), then randomness (ids
/// made by several servers do not collide).
pub fn new_id() -> String {
    use rand_core::{OsRng, RngCore};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0xFFFF;
    format!("{millis:013x}{count:04x}{:012x}", OsRng.next_u64() & 0xFFFF_FFFF_FFFF)
}

/// A row as JSON, for the before and after values of an audit event.
pub fn row_json(row: &Row) -> Json {
    let map: Map<String, Json> = row
        .columns()
        .iter()
        .zip(row.values())
        .filter(|(c, _)| c.as_str() != "password_hash")
        .map(|(c, v)| (c.clone(), v.to_json()))
        .collect();
    Json::Object(map)
}

/// Records one event inside `tx`.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    operation: &str,
    record_type: &str,
    record_id: &str,
    before: Option<&Json>,
    after: Option<&Json>,
    note: Option<&str>,
) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO audit_event (id, at, actor_user, actor_label, channel, operation, record_type, record_id, \
         before_json, after_json, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &params![
            new_id(),
            tripart_domain::time::now(),
            actor.user_id(),
            actor.label(),
            actor.channel().as_str(),
            operation,
            record_type,
            record_id,
            before.map(|j| j.to_string()),
            after.map(|j| j.to_string()),
            note,
        ],
    )
    .await?;
    Ok(())
}

/// One audit event as read back.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: String,
    pub at: String,
    pub actor_user: Option<String>,
    pub actor_label: String,
    /// web, api, cli or system.
    pub channel: String,
    /// create, update, retire, unretire, purge, sign_in, …
    pub operation: String,
    pub record_type: String,
    pub record_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<Json>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<Json>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub actor: Option<String>,
    pub operation: Option<String>,
    /// On or after this instant or date (text comparison on ISO 8601).
    pub from: Option<String>,
    /// Before this instant or date.
    pub to: Option<String>,
}

/// Audit events, newest first. Reading the trail is for administrators: callers
/// authorize `Operation::ReadAudit` first.
pub async fn events(
    db: &Db,
    filter: &AuditFilter,
    paging: crate::read::Paging,
) -> Result<crate::read::Slice<AuditEvent>, StorageError> {
    let mut f = crate::read::Filter::default();
    for (col, v) in [
        ("record_type", &filter.record_type),
        ("record_id", &filter.record_id),
        ("actor_label", &filter.actor),
        ("operation", &filter.operation),
    ] {
        if let Some(v) = v {
            let p = f.param(v);
            f.clause(format!("{col} = {p}"));
        }
    }
    if let Some(v) = &filter.from {
        let p = f.param(v);
        f.clause(format!("at >= {p}"));
    }
    if let Some(v) = &filter.to {
        let p = f.param(v);
        f.clause(format!("at < {p}"));
    }
    let (rows, total) = f.page(db, "*", "audit_event", "id DESC", paging).await?;
    let items = rows
        .iter()
        .map(|r| {
            let parse = |c: &str| -> Result<Option<Json>, StorageError> {
                Ok(r.opt_str(c)?.and_then(|s| serde_json::from_str(&s).ok()))
            };
            Ok(AuditEvent {
                id: r.str("id")?,
                at: r.str("at")?,
                actor_user: r.opt_str("actor_user")?,
                actor_label: r.str("actor_label")?,
                channel: r.str("channel")?,
                operation: r.str("operation")?,
                record_type: r.str("record_type")?,
                record_id: r.str("record_id")?,
                before: parse("before_json")?,
                after: parse("after_json")?,
                note: r.opt_str("note")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(crate::read::Slice { items, total })
}
