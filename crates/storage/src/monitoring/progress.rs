//! Progress updates on actions: a new status, a narrative, the outputs of the
//! five kinds, links and evidence files. Updates are never changed or deleted;
//! an action's current status is that of its latest update, and writing an update
//! moves the action's own status (and version) in the same transaction.

use super::evidence::{self, EvidenceFile, NewFile};
use super::{check_date, check_length, invalid, Link};
use crate::audit::{self, new_id, row_json};
use crate::db::Tx;
use crate::edit::{action_scope, EditError};
use crate::{params, Db, Row, StorageError};
use serde::Serialize;
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation};
use tripart_domain::monitoring::OutputKind;
use tripart_domain::vocab::ActionStatus;

/// One output an update reports.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Output {
    /// meeting, outreach, training, decision or practice.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: OutputKind,
    /// How many (one meeting, three trainings); at least 1.
    pub quantity: i64,
    pub title: Option<String>,
    /// For trainings and meetings: participants by sex.
    pub participants_female: Option<i64>,
    pub participants_male: Option<i64>,
    /// The meeting record this output is, when it has one.
    pub meeting: Option<String>,
    /// For a country practice modified: the member state.
    pub member_state: Option<String>,
}

/// An update as written by a user.
#[derive(Debug, Clone, Default)]
pub struct NewUpdate {
    /// The date the update speaks for (`YYYY-MM-DD`).
    pub reported_on: String,
    pub status: Option<ActionStatus>,
    pub narrative: Option<String>,
    pub outputs: Vec<Output>,
    pub links: Vec<Link>,
    pub files: Vec<NewFile>,
}

/// An update as stored.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressUpdate {
    pub id: String,
    pub action: String,
    pub reported_on: String,
    /// The action's status from this update on.
    pub status: String,
    pub narrative: Option<String>,
    /// The meeting whose recording wrote this update.
    pub meeting: Option<String>,
    pub created_at: String,
    pub author: String,
    pub outputs: Vec<Output>,
    pub links: Vec<Link>,
    pub files: Vec<EvidenceFile>,
}

/// Statuses an update may set: `absorbed` needs the action it went into, which
/// is a catalogue edit, not progress.
fn check_status(status: ActionStatus) -> Result<(), EditError> {
    if status == ActionStatus::Absorbed {
        return Err(invalid("status", "an update cannot mark an action absorbed; edit the catalogue record"));
    }
    Ok(())
}

async fn check_outputs(tx: &mut Tx, outputs: &[Output]) -> Result<(), EditError> {
    if outputs.len() > 100 {
        return Err(invalid("outputs", "at most 100 outputs per update"));
    }
    for (i, o) in outputs.iter().enumerate() {
        let field = |f: &str| format!("outputs[{i}].{f}");
        if !(1..=100_000).contains(&o.quantity) {
            return Err(invalid(&field("quantity"), "between 1 and 100000"));
        }
        for (name, n) in [("participants_female", o.participants_female), ("participants_male", o.participants_male)] {
            if n.is_some_and(|n| !(0..=10_000_000).contains(&n)) {
                return Err(invalid(&field(name), "between 0 and 10000000"));
            }
        }
        check_length(&field("title"), o.title.as_deref(), 500)?;
        if let Some(m) = &o.meeting {
            if tx.fetch_optional("SELECT id FROM meeting WHERE id = $1", &params![m]).await?.is_none() {
                return Err(invalid(
                    &field("meeting"),
                    format!("no meeting `{}`", tripart_domain::ids::truncate(m, 60)),
                ));
            }
        }
        if let Some(ms) = &o.member_state {
            if tx.fetch_optional("SELECT code FROM member_state WHERE code = $1", &params![ms]).await?.is_none() {
                return Err(invalid(&field("member_state"), "not a member state code"));
            }
        }
    }
    Ok(())
}

/// Checks what does not need the database.
fn check_update(update: &NewUpdate) -> Result<String, EditError> {
    let date = check_date("reported_on", &update.reported_on)?;
    if date > tripart_domain::time::today() {
        return Err(invalid("reported_on", "an update reports what has happened: the date cannot be in the future"));
    }
    if let Some(s) = update.status {
        check_status(s)?;
    }
    check_length("narrative", update.narrative.as_deref(), 20_000)?;
    if update.links.len() > 20 {
        return Err(invalid("links", "at most 20 links per update"));
    }
    for (i, l) in update.links.iter().enumerate() {
        l.check(&format!("links[{i}]"))?;
    }
    let empty = update.status.is_none()
        && update.narrative.as_deref().is_none_or(|n| n.trim().is_empty())
        && update.outputs.is_empty()
        && update.links.is_empty()
        && update.files.is_empty();
    if empty {
        return Err(invalid("narrative", "an update needs a status, a narrative, an output, a link or a file"));
    }
    Ok(date)
}

/// Records an update on an action. Focal points of the coordinating member
/// states, the secretariats of the responsible bodies and administrators may.
pub async fn record_update(db: &Db, actor: &Actor, action: &str, update: &NewUpdate) -> Result<String, EditError> {
    let date = check_update(update)?;
    let media_types = evidence::check_files(&update.files)?;
    let mut tx = db.begin().await?;
    let scope = action_scope(&mut tx, action).await?;
    if tx
        .fetch_optional("SELECT id FROM action WHERE id = $1 AND retired_at IS NULL", &params![action])
        .await?
        .is_none()
    {
        return Err(EditError::NotFound(format!("no action `{}`", tripart_domain::ids::truncate(action, 60))));
    }
    authorize(actor, &Operation::UpdateProgress(scope)).map_err(|d| EditError::Denied(d.0))?;
    check_outputs(&mut tx, &update.outputs).await?;
    let id = insert_update(&mut tx, actor, action, &date, update, None).await?;
    for (file, media_type) in update.files.iter().zip(media_types) {
        evidence::store(&mut tx, &id, file, media_type).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Writes an update and moves the action's status if this is now its latest
/// update. The caller has authorized the write and checked the update.
pub(crate) async fn insert_update(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    date: &str,
    update: &NewUpdate,
    meeting: Option<&str>,
) -> Result<String, EditError> {
    let before = tx
        .fetch_optional("SELECT * FROM action WHERE id = $1", &params![action])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no action `{action}`")))?;
    let current = ActionStatus::parse(&before.str("status")?).unwrap_or(ActionStatus::Planned);
    let status = update.status.unwrap_or(current);
    let id = new_id();
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO progress_update (id, action, reported_on, status, narrative, meeting, created_at, created_by, \
         author_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &params![
            &id,
            action,
            date,
            status.as_str(),
            update.narrative.as_deref().map(str::trim).filter(|n| !n.is_empty()),
            meeting,
            &now,
            actor.user_id(),
            actor.label()
        ],
    )
    .await?;
    for (i, o) in update.outputs.iter().enumerate() {
        tx.execute(
            "INSERT INTO progress_output (update_id, position, kind, quantity, title, participants_female, \
             participants_male, meeting, member_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &params![
                &id,
                i as i64,
                o.kind.as_str(),
                o.quantity,
                o.title.as_deref(),
                o.participants_female,
                o.participants_male,
                o.meeting.as_deref(),
                o.member_state.as_deref()
            ],
        )
        .await?;
    }
    for (i, l) in update.links.iter().enumerate() {
        tx.execute(
            "INSERT INTO progress_link (update_id, position, label, url) VALUES ($1, $2, $3, $4)",
            &params![&id, i as i64, l.label.trim(), l.url.trim()],
        )
        .await?;
    }
    let stored = tx.fetch_optional("SELECT * FROM progress_update WHERE id = $1", &params![&id]).await?;
    audit::record(tx, actor, "create", "progress_update", &id, None, stored.as_ref().map(row_json).as_ref(), None)
        .await?;

    // The action follows its latest update; an update back-dated behind a later
    // one stays history and leaves the action as it is.
    let latest = tx
        .fetch_optional(
            "SELECT id FROM progress_update WHERE action = $1 ORDER BY reported_on DESC, created_at DESC, id DESC",
            &params![action],
        )
        .await?;
    let is_latest = latest.map(|r| r.str("id")).transpose()?.as_deref() == Some(id.as_str());
    if is_latest && status != current {
        tx.execute(
            "UPDATE action SET status = $1, status_stated = 1, locally_edited = 1, version = version + 1 WHERE id = $2",
            &params![status.as_str(), action],
        )
        .await?;
        let after = tx.fetch_optional("SELECT * FROM action WHERE id = $1", &params![action]).await?;
        audit::record(
            tx,
            actor,
            "update",
            "action",
            action,
            Some(&row_json(&before)),
            after.as_ref().map(row_json).as_ref(),
            Some("status from progress update"),
        )
        .await?;
    }
    Ok(id)
}

fn output_from_row(r: &Row) -> Result<Output, StorageError> {
    Ok(Output {
        kind: OutputKind::parse(&r.str("kind")?).map_err(|e| StorageError::Corrupt(e.0))?,
        quantity: r.i64("quantity")?,
        title: r.opt_str("title")?,
        participants_female: r.opt_i64("participants_female")?,
        participants_male: r.opt_i64("participants_male")?,
        meeting: r.opt_str("meeting")?,
        member_state: r.opt_str("member_state")?,
    })
}

/// Updates matching a WHERE clause over `progress_update u`, oldest first, with
/// their outputs, links and files.
pub(crate) async fn updates_where(
    db: &mut Tx,
    clause: &str,
    params: &[crate::Value],
) -> Result<Vec<ProgressUpdate>, StorageError> {
    let rows = db
        .fetch_all(
            &format!("SELECT u.* FROM progress_update u WHERE {clause} ORDER BY u.reported_on, u.created_at, u.id"),
            params,
        )
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let sub = format!("SELECT u.id FROM progress_update u WHERE {clause}");
    let outputs = db
        .fetch_all(&format!("SELECT * FROM progress_output WHERE update_id IN ({sub}) ORDER BY position"), params)
        .await?;
    let links = db
        .fetch_all(&format!("SELECT * FROM progress_link WHERE update_id IN ({sub}) ORDER BY position"), params)
        .await?;
    let files = db
        .fetch_all(
            &format!(
                "SELECT id, update_id, file_name, media_type, size_bytes, sha256 FROM evidence_file \
                 WHERE update_id IN ({sub}) ORDER BY id"
            ),
            params,
        )
        .await?;
    // Each update's outputs, links and files, found by key rather than by a scan
    // of every row per update (a year's report reads hundreds of updates).
    let by_update = |rows: Vec<Row>| -> Result<HashMap<String, Vec<Row>>, StorageError> {
        let mut map: HashMap<String, Vec<Row>> = HashMap::new();
        for row in rows {
            map.entry(row.str("update_id")?).or_default().push(row);
        }
        Ok(map)
    };
    let (outputs, links, files) = (by_update(outputs)?, by_update(links)?, by_update(files)?);
    rows.iter()
        .map(|r| {
            let id = r.str("id")?;
            fn of<'m>(map: &'m HashMap<String, Vec<Row>>, id: &str) -> &'m [Row] {
                map.get(id).map_or(&[], Vec::as_slice)
            }
            let mine = |map| of(map, &id);
            Ok(ProgressUpdate {
                outputs: mine(&outputs).iter().map(output_from_row).collect::<Result<_, _>>()?,
                links: mine(&links)
                    .iter()
                    .map(|l| Ok(Link { label: l.str("label")?, url: l.str("url")? }))
                    .collect::<Result<_, StorageError>>()?,
                files: mine(&files).iter().map(evidence::from_row).collect::<Result<_, _>>()?,
                action: r.str("action")?,
                reported_on: r.str("reported_on")?,
                status: r.str("status")?,
                narrative: r.opt_str("narrative")?,
                meeting: r.opt_str("meeting")?,
                created_at: r.str("created_at")?,
                author: r.str("author_label")?,
                id,
            })
        })
        .collect()
}

/// The actions an action continues, nearest first, and those that continue it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lineage {
    pub continues: Vec<String>,
    pub continued_by: Vec<String>,
}

pub async fn lineage(db: &Db, action: &str) -> Result<Lineage, StorageError> {
    let mut lineage = Lineage::default();
    let mut current = action.to_string();
    // Bounded: a lineage longer than this is a cycle the checks should have refused.
    for _ in 0..20 {
        let Some(r) = db
            .fetch_optional("SELECT continues FROM action_continuation WHERE action = $1", &params![&current])
            .await?
        else {
            break;
        };
        current = r.str("continues")?;
        if current == action || lineage.continues.contains(&current) {
            break;
        }
        lineage.continues.push(current.clone());
    }
    let mut current = action.to_string();
    for _ in 0..20 {
        let Some(r) = db
            .fetch_optional("SELECT action FROM action_continuation WHERE continues = $1", &params![&current])
            .await?
        else {
            break;
        };
        current = r.str("action")?;
        if current == action || lineage.continued_by.contains(&current) {
            break;
        }
        lineage.continued_by.push(current.clone());
    }
    Ok(lineage)
}

/// The whole history of an action, oldest first: the updates of the actions it
/// continues (earlier plans) and then its own.
pub async fn history(db: &Db, action: &str) -> Result<Vec<ProgressUpdate>, StorageError> {
    let lineage = lineage(db, action).await?;
    let mut ids: Vec<String> = lineage.continues.into_iter().rev().collect();
    ids.push(action.to_string());
    let mut tx = db.begin_read().await?;
    let mut all = Vec::new();
    for id in ids {
        all.extend(updates_where(&mut tx, "u.action = $1", &params![id]).await?);
    }
    tx.commit().await?;
    Ok(all)
}
