//! Changes to catalogue records through the application: authorized by the domain
//! policy, refused when made from a stale version (the conflict carries the newer
//! values), marked so that `tripart seed` never overwrites them, and audited with
//! the values before and after, all in one transaction.

use crate::audit::{self, row_json};
use crate::db::Tx;
use crate::{params, Db, StorageError};
use serde_json::Value as Json;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::vocab::ActionStatus;
use tripart_domain::Calendar;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Denied(String),
    /// The record changed since the editor read it; here is what it holds now.
    #[error("the record was changed by someone else (now at version {version}); reload and edit again")]
    Conflict { version: i64, current: Json },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A change to an action. Fields left `None` stay as they are.
#[derive(Debug, Clone, Default)]
pub struct ActionChange {
    /// The version the editor read.
    pub version: i64,
    pub status: Option<ActionStatus>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub calendar: Option<String>,
    /// Why, for the audit trail.
    pub note: Option<String>,
}

impl ActionChange {
    /// Only the status changes: the coordinating states' focal points may do that.
    fn is_progress_only(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.calendar.is_none()
    }
}

/// The bodies and member states an action belongs to: its responsible bodies, the
/// owner of its programme and, for a ministers' programme, the senior officials
/// who manage it for them (SLOM for the Work Programme), and its coordinators.
pub(crate) async fn action_scope(tx: &mut Tx, id: &str) -> Result<Scope, StorageError> {
    let bodies = tx
        .fetch_all(
            "SELECT body AS b FROM action_body WHERE action = $1 \
             UNION SELECT p.owner AS b FROM programme p JOIN action a ON a.programme = p.id WHERE a.id = $1 \
             UNION SELECT s.id AS b FROM body s JOIN programme p ON s.reports_to = p.owner \
               JOIN action a ON a.programme = p.id WHERE a.id = $1 AND s.kind = 'senior_officials'",
            &params![id],
        )
        .await?;
    let states = tx
        .fetch_all(
            "SELECT member_state FROM action_party WHERE action = $1 AND role = 'coordinator' AND member_state IS NOT NULL",
            &params![id],
        )
        .await?;
    Ok(Scope {
        bodies: bodies.iter().filter_map(|r| r.str("b").ok()).collect(),
        member_states: states.iter().filter_map(|r| r.str("member_state").ok()).collect(),
    })
}

fn text_field(field: &str, value: &Option<String>, max: usize) -> Result<(), EditError> {
    match value {
        Some(v) if v.trim().is_empty() && field == "title" => {
            Err(EditError::Invalid { field: field.into(), message: "must not be empty".into() })
        }
        Some(v) if v.chars().count() > max => {
            Err(EditError::Invalid { field: field.into(), message: format!("at most {max} characters") })
        }
        _ => Ok(()),
    }
}

/// Applies a change to an action and returns its new version.
pub async fn edit_action(db: &Db, actor: &Actor, id: &str, change: &ActionChange) -> Result<i64, EditError> {
    text_field("title", &change.title, 2000)?;
    text_field("description", &change.description, 20_000)?;
    text_field("calendar", &change.calendar, 200)?;
    if let Some(n) = &change.note {
        if n.chars().count() > 2000 {
            return Err(EditError::Invalid { field: "note".into(), message: "at most 2000 characters".into() });
        }
    }
    let mut tx = db.begin().await?;
    let Some(before) =
        tx.fetch_optional("SELECT * FROM action WHERE id = $1 AND retired_at IS NULL", &params![id]).await?
    else {
        return Err(EditError::NotFound(format!("no action `{id}`")));
    };
    let scope = action_scope(&mut tx, id).await?;
    let op = if change.is_progress_only() { Operation::UpdateProgress(scope) } else { Operation::EditRecord(scope) };
    authorize(actor, &op).map_err(|d| EditError::Denied(d.0))?;
    let current_version = before.i64("version")?;
    if current_version != change.version {
        return Err(EditError::Conflict { version: current_version, current: row_json(&before) });
    }
    let calendar = change.calendar.as_deref().map(Calendar::parse);
    let years = calendar.as_ref().and_then(Calendar::years);
    let status = change.status.map(|s| s.as_str());
    let updated = tx
        .execute(
            "UPDATE action SET \
               status = COALESCE($1, status), \
               status_stated = CASE WHEN $1 IS NULL THEN status_stated ELSE 1 END, \
               title = COALESCE($2, title), \
               description = COALESCE($3, description), \
               calendar_text = COALESCE($4, calendar_text), \
               calendar_kind = COALESCE($5, calendar_kind), \
               start_year = CASE WHEN $4 IS NULL THEN start_year ELSE $6 END, \
               end_year = CASE WHEN $4 IS NULL THEN end_year ELSE $7 END, \
               locally_edited = 1, version = version + 1 \
             WHERE id = $8 AND version = $9",
            &params![
                status,
                &change.title,
                &change.description,
                &change.calendar,
                calendar.as_ref().map(|c| c.kind()),
                years.map(|y| i64::from(y.0)),
                years.map(|y| i64::from(y.1)),
                id,
                change.version
            ],
        )
        .await?;
    if updated == 0 {
        // Another writer committed between our read and our update.
        let now = tx.fetch_optional("SELECT * FROM action WHERE id = $1", &params![id]).await?;
        let current = now.as_ref().map(row_json).unwrap_or_default();
        let version = now.map(|r| r.i64("version")).transpose()?.unwrap_or(current_version);
        return Err(EditError::Conflict { version, current });
    }
    let after = tx
        .fetch_optional("SELECT * FROM action WHERE id = $1", &params![id])
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("action {id} vanished")))?;
    audit::record(
        &mut tx,
        actor,
        "update",
        "action",
        id,
        Some(&row_json(&before)),
        Some(&row_json(&after)),
        change.note.as_deref(),
    )
    .await?;
    let version = after.i64("version")?;
    tx.commit().await?;
    Ok(version)
}

/// Retires an action (or brings it back): it stays in the database and the audit
/// trail, and leaves lists and pages.
pub async fn set_action_retired(
    db: &Db,
    actor: &Actor,
    id: &str,
    retired: bool,
    version: i64,
) -> Result<i64, EditError> {
    let mut tx = db.begin().await?;
    let Some(before) = tx.fetch_optional("SELECT * FROM action WHERE id = $1", &params![id]).await? else {
        return Err(EditError::NotFound(format!("no action `{id}`")));
    };
    let scope = action_scope(&mut tx, id).await?;
    authorize(actor, &Operation::RetireRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    let current_version = before.i64("version")?;
    if current_version != version {
        return Err(EditError::Conflict { version: current_version, current: row_json(&before) });
    }
    let stamp = retired.then(tripart_domain::time::now);
    tx.execute(
        "UPDATE action SET retired_at = $1, locally_edited = 1, version = version + 1 WHERE id = $2 AND version = $3",
        &params![stamp, id, version],
    )
    .await?;
    let after = tx
        .fetch_optional("SELECT * FROM action WHERE id = $1", &params![id])
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("action {id} vanished")))?;
    let operation = if retired { "retire" } else { "unretire" };
    audit::record(&mut tx, actor, operation, "action", id, Some(&row_json(&before)), Some(&row_json(&after)), None)
        .await?;
    let version = after.i64("version")?;
    tx.commit().await?;
    Ok(version)
}

/// Deletes a retired action for good, with its links. Administrators only; the
/// purge itself is audited with the record's last values.
pub async fn purge_action(db: &Db, actor: &Actor, id: &str) -> Result<(), EditError> {
    authorize(actor, &Operation::Purge).map_err(|d| EditError::Denied(d.0))?;
    let mut tx = db.begin().await?;
    let Some(before) = tx.fetch_optional("SELECT * FROM action WHERE id = $1", &params![id]).await? else {
        return Err(EditError::NotFound(format!("no action `{id}`")));
    };
    if before.opt_str("retired_at")?.is_none() {
        return Err(EditError::Invalid { field: "id".into(), message: "retire the action before purging it".into() });
    }
    let dependants = tx
        .fetch_optional("SELECT COUNT(*) AS n FROM action WHERE parent = $1 OR absorbed_into = $1", &params![id])
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(0);
    if dependants > 0 {
        return Err(EditError::Invalid {
            field: "id".into(),
            message: format!("{dependants} other action(s) belong to or were absorbed into this one"),
        });
    }
    for (table, column) in [
        ("action_body", "action"),
        ("action_party", "action"),
        ("action_carries", "action"),
        ("action_carries", "carried"),
        ("action_action_line", "action"),
        ("action_instrument", "action"),
        ("meeting_action", "action"),
        ("recommendation_action", "action"),
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE {column} = $1"), &params![id]).await?;
    }
    tx.execute("DELETE FROM action WHERE id = $1", &params![id]).await?;
    audit::record(&mut tx, actor, "purge", "action", id, Some(&row_json(&before)), None, None).await?;
    tx.commit().await?;
    Ok(())
}
