//! From a focal point's draft to a published figure: submitted → returned with a comment on the
//! value, or validated → published in a dated vintage. A value changed after publication goes
//! back to draft while the public keeps seeing the published revision until the next vintage.
//! The validation rules the Secretariat configures live here too.

use super::{insert_many, DataError};
use crate::audit::{self, new_id};
use crate::edit::EditError;
use crate::{params, Db, StorageError, Tx, Value};
use serde::Serialize;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_stats::rules::{self, Rule};

/// The bodies whose validators review data: the Secretariat, the SLOM Working Group (the LMIS
/// indicators) and ASEAN-OSHNET (the scorecard).
fn validation_scope() -> Scope {
    Scope { bodies: vec!["asec".into(), "slom-wg".into(), "asean-oshnet".into()], member_states: Vec::new() }
}

/// Whether `actor` reviews data (validates, returns, publishes): what the pages offer; the
/// steps below decide again.
pub fn may_validate(actor: &Actor) -> bool {
    authorize(actor, &Operation::Validate(validation_scope())).is_ok()
}

/// The Secretariat's say over the rules: whether `actor` may change them.
fn rules_scope() -> Operation {
    Operation::EditRecord(Scope { bodies: vec!["asec".into()], member_states: Vec::new() })
}

/// Whether `actor` may change the rules (the Secretariat, an administrator).
pub fn may_set_rules(actor: &Actor) -> bool {
    authorize(actor, &rules_scope()).is_ok()
}

fn deny(e: tripart_domain::access::Denied) -> DataError {
    DataError::Edit(EditError::Denied(e.0))
}

/// The rules in force: the Secretariat's, or the defaults where it has set none.
pub async fn rules(tx: &mut Tx) -> Result<Vec<Rule>, StorageError> {
    let rows = tx.fetch_all("SELECT id, definition FROM stat_rule ORDER BY id", &[]).await?;
    let mut out = rules::defaults();
    for r in rows {
        let def: Rule = serde_json::from_str(&r.str("definition")?)
            .map_err(|e| StorageError::Corrupt(format!("stat_rule {}: {e}", r.str("id").unwrap_or_default())))?;
        match out.iter_mut().find(|x| x.id == def.id) {
            Some(x) => *x = def,
            None => out.push(def),
        }
    }
    Ok(out)
}

pub async fn list_rules(db: &Db) -> Result<Vec<Rule>, StorageError> {
    let mut tx = db.begin_read().await?;
    rules(&mut tx).await
}

/// Sets a rule (new, or changing a default's threshold, severity or whether it is on). The
/// Secretariat's business; audited with the rule before and after.
pub async fn set_rule(db: &Db, actor: &Actor, rule: &Rule) -> Result<(), DataError> {
    authorize(actor, &rules_scope()).map_err(deny)?;
    if rule.id.is_empty()
        || rule.id.len() > 80
        || !rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(EditError::Invalid {
            field: "id".into(),
            message: "lower-case letters, digits and hyphens, at most 80".into(),
        }
        .into());
    }
    let mut tx = db.begin().await?;
    let before = rules(&mut tx).await?.into_iter().find(|r| r.id == rule.id);
    let json = serde_json::to_string(rule).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    tx.execute("DELETE FROM stat_rule WHERE id = $1", &params![&rule.id]).await?;
    tx.execute(
        "INSERT INTO stat_rule (id, definition, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
        &params![&rule.id, &json, tripart_domain::time::now(), actor.user_id()],
    )
    .await?;
    let to_json = |r: &Rule| serde_json::to_value(r).unwrap_or_default();
    audit::record(
        &mut tx,
        actor,
        "update",
        "stat_rule",
        &rule.id,
        before.as_ref().map(to_json).as_ref(),
        Some(&to_json(rule)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Which observations a workflow step applies to.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// These observations; or, when empty, every one in the step's starting state that matches
    /// the filters below.
    pub ids: Vec<i64>,
    pub ref_area: Option<String>,
    pub time: Option<String>,
    pub indicator: Option<String>,
}

/// Moves the selected observations from one of `from` to `to`, recording an event (with the
/// comment) on each. Returns how many moved.
/// `areas`, when given, limits the step to those member states.
async fn step(
    tx: &mut Tx,
    actor: &Actor,
    sel: &Selection,
    areas: Option<&[String]>,
    from: &[&str],
    to: &str,
    comment: Option<&str>,
) -> Result<Vec<(i64, i64, String)>, StorageError> {
    let mut sql = String::from("SELECT id, revision, ref_area FROM stat_observation WHERE state IN (");
    let mut p: Vec<Value> = Vec::new();
    for (i, s) in from.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        p.push(Value::from(*s));
        sql.push_str(&format!("${}", p.len()));
    }
    sql.push(')');
    for (col, v) in [("ref_area", &sel.ref_area), ("time", &sel.time), ("indicator", &sel.indicator)] {
        if let Some(v) = v {
            p.push(Value::from(v));
            sql.push_str(&format!(" AND {col} = ${}", p.len()));
        }
    }
    let rows = tx.fetch_all(&sql, &p).await?;
    let mut moved = Vec::new();
    for r in rows {
        let id = r.i64("id")?;
        if !sel.ids.is_empty() && !sel.ids.contains(&id) {
            continue;
        }
        if areas.is_some_and(|a| !a.contains(&r.str("ref_area").unwrap_or_default())) {
            continue;
        }
        moved.push((id, r.i64("revision")?, r.str("ref_area")?));
    }
    let now = tripart_domain::time::now();
    for chunk in moved.chunks(500) {
        let list: Vec<String> = chunk.iter().map(|(id, _, _)| id.to_string()).collect();
        tx.execute(&format!("UPDATE stat_observation SET state = $1 WHERE id IN ({})", list.join(",")), &params![to])
            .await?;
    }
    let events = moved
        .iter()
        .map(|(id, rev, _)| {
            vec![
                Value::from(new_id()),
                Value::from(*id),
                Value::from(*rev),
                Value::from(to),
                Value::from(comment),
                Value::from(&now),
                Value::from(actor.user_id()),
            ]
        })
        .collect();
    insert_many(tx, "stat_event", &["id", "observation", "revision", "kind", "comment", "at", "by_user"], events)
        .await?;
    Ok(moved)
}

/// A focal point sends its drafts (and values it corrected after a return) to the validators.
pub async fn submit(db: &Db, actor: &Actor, sel: &Selection) -> Result<usize, DataError> {
    let areas = super::import::areas_for(db, actor).await?;
    if areas.is_empty() {
        return Err(EditError::Denied("you may not submit data for any member state".into()).into());
    }
    let mut tx = db.begin().await?;
    let moved = step(&mut tx, actor, sel, Some(&areas), &["draft", "returned"], "submitted", None).await?;
    audit_step(&mut tx, actor, "submit", &moved, None).await?;
    tx.commit().await?;
    Ok(moved.len())
}

/// A validator sends values back to the focal point with a comment on each.
pub async fn return_values(db: &Db, actor: &Actor, sel: &Selection, comment: &str) -> Result<usize, DataError> {
    authorize(actor, &Operation::Validate(validation_scope())).map_err(deny)?;
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 2000 {
        return Err(EditError::Invalid {
            field: "comment".into(),
            message: "say what is wrong (at most 2,000 characters)".into(),
        }
        .into());
    }
    let mut tx = db.begin().await?;
    let moved = step(&mut tx, actor, sel, None, &["submitted", "validated"], "returned", Some(comment)).await?;
    audit_step(&mut tx, actor, "return", &moved, Some(comment)).await?;
    tx.commit().await?;
    Ok(moved.len())
}

pub async fn validate(db: &Db, actor: &Actor, sel: &Selection) -> Result<usize, DataError> {
    authorize(actor, &Operation::Validate(validation_scope())).map_err(deny)?;
    let mut tx = db.begin().await?;
    let moved = step(&mut tx, actor, sel, None, &["submitted"], "validated", None).await?;
    audit_step(&mut tx, actor, "validate", &moved, None).await?;
    tx.commit().await?;
    Ok(moved.len())
}

/// A published vintage.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vintage {
    pub number: i64,
    pub label: String,
    pub note: Option<String>,
    pub published_at: String,
    pub observations: i64,
}

/// Publishes every validated value as a new vintage. Returns it, or None if nothing was validated.
pub async fn publish(db: &Db, actor: &Actor, label: &str, note: Option<&str>) -> Result<Option<Vintage>, DataError> {
    authorize(actor, &Operation::Validate(validation_scope())).map_err(deny)?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 200 {
        return Err(EditError::Invalid {
            field: "label".into(),
            message: "name the release (at most 200 characters)".into(),
        }
        .into());
    }
    let mut tx = db.begin().await?;
    let moved = step(&mut tx, actor, &Selection::default(), None, &["validated"], "published", None).await?;
    if moved.is_empty() {
        return Ok(None);
    }
    let number = tx
        .fetch_optional("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM stat_vintage", &[])
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(1);
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO stat_vintage (number, label, note, published_at, published_by, observations) VALUES ($1, $2, $3, $4, $5, $6)",
        &params![number, label, note, &now, actor.user_id(), moved.len() as i64],
    )
    .await?;
    let rows =
        moved.iter().map(|(id, rev, _)| vec![Value::from(number), Value::from(*id), Value::from(*rev)]).collect();
    insert_many(&mut tx, "stat_vintage_value", &["vintage", "observation", "revision"], rows).await?;
    tx.execute("UPDATE stat_observation SET published_revision = revision WHERE state = 'published'", &[]).await?;
    let summary = serde_json::json!({ "label": label, "observations": moved.len() });
    audit::record(&mut tx, actor, "publish", "stat_vintage", &number.to_string(), None, Some(&summary), note).await?;
    tx.commit().await?;
    Ok(Some(Vintage {
        number,
        label: label.into(),
        note: note.map(str::to_string),
        published_at: now,
        observations: moved.len() as i64,
    }))
}

async fn audit_step(
    tx: &mut Tx,
    actor: &Actor,
    op: &str,
    moved: &[(i64, i64, String)],
    comment: Option<&str>,
) -> Result<(), StorageError> {
    if moved.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = moved.iter().map(|(id, _, _)| *id).take(1000).collect();
    let after = serde_json::json!({ "observations": moved.len(), "ids": ids });
    audit::record(tx, actor, op, "stat_observation", &ids[0].to_string(), None, Some(&after), comment).await
}

pub async fn vintages(db: &Db) -> Result<Vec<Vintage>, StorageError> {
    let rows = db
        .fetch_all("SELECT number, label, note, published_at, observations FROM stat_vintage ORDER BY number DESC", &[])
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Vintage {
                number: r.i64("number")?,
                label: r.str("label")?,
                note: r.opt_str("note")?,
                published_at: r.str("published_at")?,
                observations: r.i64("observations")?,
            })
        })
        .collect()
}
