//! From a focal point's draft to a published figure: submitted → returned with a comment on the
//! value, or validated → published in a dated vintage. A value changed after publication goes
//! back to draft while the public keeps seeing the published revision until the next vintage.
//! The validation rules the Secretariat configures live here too.

use super::DataError;
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

/// What a workflow step moved.
struct Moved {
    step: String,
    count: usize,
    /// The first thousand observations moved, for the audit trail.
    sample: Vec<i64>,
}

/// Moves the selected observations from one of `from` to `to` in one step, which records an
/// event (at the value's revision) on each. Set-based: a million values move in three
/// statements. `areas`, when given, limits the step to those member states.
async fn step(
    tx: &mut Tx,
    actor: &Actor,
    sel: &Selection,
    areas: Option<&[String]>,
    from: &[&str],
    to: &str,
    comment: Option<&str>,
) -> Result<Moved, StorageError> {
    // Imports and steps take turns on PostgreSQL (SQLite's write lock does it there): the
    // values the events record are then the values the update below moves.
    lock_values(tx).await?;
    let step = new_id();
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO stat_step (id, kind, comment, at, by_user) VALUES ($1, $2, $3, $4, $5)",
        &params![&step, to, comment, &now, actor.user_id()],
    )
    .await?;
    // $1 is the step in the insert of the events and the new state in the update.
    let mut p: Vec<Value> = vec![Value::from(&step)];
    let placeholder = |v: &str, p: &mut Vec<Value>| {
        p.push(Value::from(v));
        format!("${}", p.len())
    };
    let states: Vec<String> = from.iter().map(|s| placeholder(s, &mut p)).collect();
    // Only an observation's newest revision is in a workflow state (older ones are superseded).
    let mut filter = format!("v.state IN ({})", states.join(","));
    if let Some(time) = &sel.time {
        filter.push_str(&format!(" AND v.time = {}", placeholder(time, &mut p)));
    }
    if !sel.ids.is_empty() {
        filter.push_str(&format!(" AND {}", super::observations_filter("v", &sel.ids)));
    }
    let mut of_series = Vec::new();
    for (col, v) in [("s.ref_area", &sel.ref_area), ("s.indicator", &sel.indicator)] {
        if let Some(v) = v {
            of_series.push(format!("{col} = {}", placeholder(v, &mut p)));
        }
    }
    if let Some(areas) = areas {
        let list: Vec<String> = areas.iter().map(|a| placeholder(a, &mut p)).collect();
        of_series.push(format!("s.ref_area IN ({})", if list.is_empty() { "NULL".into() } else { list.join(",") }));
    }
    if !of_series.is_empty() {
        filter
            .push_str(&format!(" AND v.series IN (SELECT s.id FROM stat_series s WHERE {})", of_series.join(" AND ")));
    }
    let count = tx
        .execute(
            &format!(
                "INSERT INTO stat_event (step, series, time, revision) \
                 SELECT $1, v.series, v.time, v.revision FROM stat_value v WHERE {filter}"
            ),
            &p,
        )
        .await? as usize;
    if count == 0 {
        tx.execute("DELETE FROM stat_step WHERE id = $1", &params![&step]).await?;
        return Ok(Moved { step, count, sample: Vec::new() });
    }
    // The same rows, chosen by the same condition: one pass over the table, where looking
    // each event's revision up took twice as long.
    p[0] = Value::from(to);
    tx.execute(&format!("UPDATE stat_value AS v SET state = $1 WHERE {filter}"), &p).await?;
    let sample = tx
        .fetch_all(
            "SELECT series, time FROM stat_event WHERE step = $1 ORDER BY series, time LIMIT 1000",
            &params![&step],
        )
        .await?
        .iter()
        .map(|r| super::observation_id(r.i64("series")?, &r.str("time")?))
        .collect::<Result<_, _>>()?;
    Ok(Moved { step, count, sample })
}

/// Serialises the writers of values on PostgreSQL: imports, workflow steps, publication.
pub(super) async fn lock_values(tx: &mut Tx) -> Result<(), StorageError> {
    if tx.backend() == crate::Backend::Postgres {
        tx.execute("SELECT pg_advisory_xact_lock(5005)", &[]).await?;
    }
    Ok(())
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
    Ok(moved.count)
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
    Ok(moved.count)
}

pub async fn validate(db: &Db, actor: &Actor, sel: &Selection) -> Result<usize, DataError> {
    authorize(actor, &Operation::Validate(validation_scope())).map_err(deny)?;
    let mut tx = db.begin().await?;
    let moved = step(&mut tx, actor, sel, None, &["submitted"], "validated", None).await?;
    audit_step(&mut tx, actor, "validate", &moved, None).await?;
    tx.commit().await?;
    Ok(moved.count)
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
    lock_values(&mut tx).await?;
    let number = tx
        .fetch_optional("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM stat_vintage", &[])
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(1);
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO stat_vintage (number, label, note, published_at, published_by, observations) VALUES ($1, $2, $3, $4, $5, 0)",
        &params![number, label, note, &now, actor.user_id()],
    )
    .await?;
    // The public no longer sees an older revision of a value published now.
    tx.execute(
        "UPDATE stat_value SET published = 0 WHERE published = 1 AND state = 'superseded' \
         AND EXISTS (SELECT 1 FROM stat_value n WHERE n.series = stat_value.series AND n.time = stat_value.time \
                     AND n.state = 'validated')",
        &[],
    )
    .await?;
    // The vintage is recorded on the revisions it publishes (`published_in`): their history
    // and every later read of the vintage find it there, with no row per value elsewhere.
    let count = tx
        .execute(
            "UPDATE stat_value SET state = 'published', published = 1, published_in = $1 WHERE state = 'validated'",
            &params![number],
        )
        .await? as i64;
    if count == 0 {
        // Dropping the transaction takes the vintage back.
        return Ok(None);
    }
    tx.execute("UPDATE stat_vintage SET observations = $1 WHERE number = $2", &params![count, number]).await?;
    let summary = serde_json::json!({ "label": label, "observations": count });
    audit::record(&mut tx, actor, "publish", "stat_vintage", &number.to_string(), None, Some(&summary), note).await?;
    tx.commit().await?;
    Ok(Some(Vintage {
        number,
        label: label.into(),
        note: note.map(str::to_string),
        published_at: now,
        observations: count,
    }))
}

async fn audit_step(
    tx: &mut Tx,
    actor: &Actor,
    op: &str,
    moved: &Moved,
    comment: Option<&str>,
) -> Result<(), StorageError> {
    let Some(first) = moved.sample.first() else { return Ok(()) };
    let after = serde_json::json!({ "observations": moved.count, "step": moved.step, "ids": moved.sample });
    audit::record(tx, actor, op, "stat_observation", &first.to_string(), None, Some(&after), comment).await
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
