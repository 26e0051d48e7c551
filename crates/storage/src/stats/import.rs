//! Taking data in: a file of any format `tripart_stats` reads, or the rows of the entry form,
//! for the member states the submitter may report for. All or nothing: a bad row, or a value
//! that breaks a blocking rule, refuses the whole submission with every problem by line and
//! field, and nothing is stored. A value that differs from the one held becomes a new
//! revision; one that is the same is left alone; nothing is overwritten.

use super::{insert_many, member_states, DataError};
use crate::audit::{self, new_id};
use crate::edit::EditError;
use crate::{params, Db, StorageError, Tx, Value};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tripart_domain::access::{authorize, Actor, Operation};
use tripart_stats::formats;
use tripart_stats::obs::{Key, Observation};
use tripart_stats::rules::{self, Finding, Severity};
use tripart_stats::{Problem, Registry};

/// What a submission did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub submission: String,
    pub format: String,
    /// Observations in the file.
    pub observations: usize,
    pub new: usize,
    pub revised: usize,
    pub unchanged: usize,
    /// Rule findings that let the values in, flagged for the validator.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub line: usize,
    pub indicator: String,
    pub rule: String,
    pub message: String,
}

/// What comes with the data.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    pub file_name: Option<String>,
    /// Why (a correction, the annual submission…): kept with every revision.
    pub reason: Option<String>,
    /// Send the values to the validators at once, rather than keeping them as a draft.
    pub submit: bool,
}

/// The values held now for an observation (its newest revision).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Held {
    pub id: i64,
    pub revision: i64,
    pub state: String,
    pub values: Vec<Value>,
}

/// The revision columns after (observation, revision), in the order `values_of` gives them.
const VALUE_COLUMNS: [&str; 10] = [
    "value",
    "text_value",
    "obs_status",
    "source",
    "note_indicator",
    "note_source",
    "evidence",
    "std_error",
    "cv",
    "sample_count",
];

fn values_of(o: &Observation) -> Vec<Value> {
    vec![
        Value::Real(o.value),
        Value::Text(o.text.clone()),
        Value::Text(o.status.clone()),
        Value::Text(o.source.clone()),
        Value::Text(o.note_indicator.clone()),
        Value::Text(o.note_source.clone()),
        Value::Text(o.evidence.clone()),
        Value::Real(o.std_error),
        Value::Real(o.cv),
        Value::Int(o.sample_count),
    ]
}

/// The values the rules read: a submitted observation's, else the held one's.
struct Submitted<'a> {
    held: &'a HashMap<Key, Held>,
    submitted: &'a HashMap<&'a Key, &'a Observation>,
}

impl rules::Book for Submitted<'_> {
    fn get(&self, key: &Key) -> Option<f64> {
        match self.submitted.get(key) {
            Some(o) => o.value,
            None => match self.held.get(key)?.values.first()? {
                Value::Real(v) => *v,
                Value::Int(v) => v.map(|x| x as f64),
                Value::Text(_) => None,
            },
        }
    }
}

/// The member states `actor` may submit data for.
pub async fn areas_for(db: &Db, actor: &Actor) -> Result<Vec<String>, StorageError> {
    Ok(member_states(db)
        .await?
        .into_iter()
        .filter(|ms| authorize(actor, &Operation::SubmitFor { member_state: ms.clone() }).is_ok())
        .collect())
}

/// Imports a file (CSV, SDMX-CSV, WDI CSV or the Excel template).
pub async fn import_file(db: &Db, actor: &Actor, bytes: &[u8], sub: &Submission) -> Result<ImportReport, DataError> {
    let areas = areas_for(db, actor).await?;
    if areas.is_empty() {
        return Err(EditError::Denied("you may not submit data for any member state".into()).into());
    }
    let parsed = formats::read(bytes, Registry::get(), &areas).map_err(DataError::Rejected)?;
    store(db, actor, parsed.format.as_str(), parsed.observations, sub).await
}

/// Imports rows already read (the entry form).
pub async fn import_rows(
    db: &Db,
    actor: &Actor,
    rows: &[tripart_stats::obs::RawRow],
    sub: &Submission,
) -> Result<ImportReport, DataError> {
    let areas = areas_for(db, actor).await?;
    if areas.is_empty() {
        return Err(EditError::Denied("you may not submit data for any member state".into()).into());
    }
    let reg = Registry::get();
    let mut problems = Vec::new();
    let mut observations = Vec::new();
    for r in rows {
        match tripart_stats::obs::check(r, reg, &areas) {
            Ok(o) => observations.push(o),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(DataError::Rejected(problems));
    }
    store(db, actor, "form", observations, sub).await
}

/// Every observation held for the given areas, newest revision, keyed.
pub(crate) async fn held_for(tx: &mut Tx, areas: &[String]) -> Result<HashMap<Key, Held>, StorageError> {
    let mut out = HashMap::new();
    for area in areas {
        let rows = tx
            .fetch_all(
                &format!(
                    "SELECT o.id, o.ref_area, o.indicator, o.sex, o.classif1, o.classif2, o.time, o.state, o.revision, r.{} \
                     FROM stat_observation o JOIN stat_revision r ON r.observation = o.id AND r.revision = o.revision \
                     WHERE o.ref_area = $1",
                    VALUE_COLUMNS.join(", r.")
                ),
                &params![area],
            )
            .await?;
        for r in rows {
            let key = Key {
                ref_area: r.str("ref_area")?,
                indicator: r.str("indicator")?,
                sex: r.str("sex")?,
                classif1: r.str("classif1")?,
                classif2: r.str("classif2")?,
                time: r.str("time")?,
            };
            let values = r.values()[9..].to_vec();
            out.insert(key, Held { id: r.i64("id")?, revision: r.i64("revision")?, state: r.str("state")?, values });
        }
    }
    Ok(out)
}

/// Values compare equal when they would print the same: a database hands back a null of any
/// type, and a real may come back as an integer.
fn same(a: &[Value], b: &[Value]) -> bool {
    #[derive(PartialEq)]
    enum Plain<'a> {
        Null,
        Number(f64),
        Text(&'a str),
    }
    fn plain(v: &Value) -> Plain<'_> {
        match v {
            Value::Int(Some(i)) => Plain::Number(*i as f64),
            Value::Real(Some(r)) => Plain::Number(*r),
            Value::Text(Some(t)) => Plain::Text(t),
            _ => Plain::Null,
        }
    }
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| plain(x) == plain(y))
}

async fn store(
    db: &Db,
    actor: &Actor,
    format: &str,
    observations: Vec<Observation>,
    sub: &Submission,
) -> Result<ImportReport, DataError> {
    let reg = Registry::get();
    let mut tx = db.begin().await?;
    let areas: Vec<String> =
        observations.iter().map(|o| o.key.ref_area.clone()).collect::<HashSet<_>>().into_iter().collect();
    let held = held_for(&mut tx, &areas).await?;

    // What changes: new observations and new revisions of held ones.
    let mut changed: Vec<&Observation> = Vec::new();
    let mut unchanged = 0usize;
    for o in &observations {
        match held.get(&o.key) {
            Some(h) if same(&h.values, &values_of(o)) => unchanged += 1,
            _ => changed.push(o),
        }
    }

    // The rules see the held values with the submitted ones in their place.
    let submitted_by_key: HashMap<&Key, &Observation> = observations.iter().map(|o| (&o.key, o)).collect();
    let book = Submitted { held: &held, submitted: &submitted_by_key };
    let rules = super::workflow::rules(&mut tx).await?;
    let submitted: Vec<&Key> = changed.iter().map(|o| &o.key).collect();
    let findings = rules::evaluate(reg, &rules, &submitted, &book);
    let line_for = |f: &Finding| submitted_by_key.get(&f.trigger).map(|o| o.line).unwrap_or(0);
    let errors: Vec<Problem> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| Problem {
            line: line_for(f),
            field: "obs_value".into(),
            reason: format!("{} ({}): {}", f.key.indicator, f.rule, f.message),
        })
        .collect();
    if !errors.is_empty() {
        return Err(DataError::Rejected(errors));
    }

    let submission = new_id();
    let now = tripart_domain::time::now();
    let mut areas_sorted = areas.clone();
    areas_sorted.sort();
    tx.execute(
        "INSERT INTO stat_submission (id, format, file_name, areas, observations, revisions, reason, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &params![
            &submission,
            format,
            sub.file_name.as_deref(),
            areas_sorted.join(" "),
            observations.len() as i64,
            changed.len() as i64,
            sub.reason.as_deref(),
            &now,
            actor.user_id()
        ],
    )
    .await?;

    let new_count = changed.iter().filter(|o| !held.contains_key(&o.key)).count() as i64;
    // Ids follow the highest held: SQLite's write lock (BEGIN IMMEDIATE) already serialises
    // imports, and on PostgreSQL this transaction-scoped lock does.
    if tx.backend() == crate::Backend::Postgres {
        tx.execute("SELECT pg_advisory_xact_lock(5005)", &[]).await?;
    }
    let first_id = tx
        .fetch_optional("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM stat_observation", &[])
        .await?
        .map(|r| r.i64("next"))
        .transpose()?
        .unwrap_or(1);
    let state = if sub.submit { "submitted" } else { "draft" };
    let mut next_id = first_id;
    let mut new_rows = Vec::new();
    let mut revision_rows = Vec::with_capacity(changed.len());
    let mut ids: HashMap<&Key, (i64, i64)> = HashMap::new();
    let mut revised = Vec::new();
    for o in &changed {
        let (id, revision) = match held.get(&o.key) {
            Some(h) => {
                revised.push((h.id, h.revision + 1));
                (h.id, h.revision + 1)
            }
            None => {
                let id = next_id;
                next_id += 1;
                new_rows.push(vec![
                    Value::from(id),
                    Value::from(&o.key.ref_area),
                    Value::from(&o.key.indicator),
                    Value::from(&o.measure),
                    Value::from(&o.key.sex),
                    Value::from(&o.key.classif1),
                    Value::from(&o.key.classif2),
                    Value::from(&o.key.time),
                    Value::from(state),
                    Value::from(1i64),
                ]);
                (id, 1)
            }
        };
        ids.insert(&o.key, (id, revision));
        let mut row = vec![Value::from(id), Value::from(revision)];
        row.extend(values_of(o));
        row.push(Value::from(&submission));
        row.push(Value::from(o.line as i64));
        revision_rows.push(row);
    }
    insert_many(
        &mut tx,
        "stat_observation",
        &["id", "ref_area", "indicator", "measure", "sex", "classif1", "classif2", "time", "state", "revision"],
        new_rows,
    )
    .await?;
    let mut columns = vec!["observation", "revision"];
    columns.extend(VALUE_COLUMNS);
    columns.extend(["submission", "line"]);
    insert_many(&mut tx, "stat_revision", &columns, revision_rows).await?;
    for (id, revision) in &revised {
        tx.execute(
            "UPDATE stat_observation SET revision = $1, state = $2 WHERE id = $3",
            &params![*revision, state, *id],
        )
        .await?;
    }
    if sub.submit {
        let events = ids
            .values()
            .map(|(id, rev)| {
                vec![
                    Value::from(new_id()),
                    Value::from(*id),
                    Value::from(*rev),
                    Value::from("submitted"),
                    Value::Text(None),
                    Value::from(&now),
                    Value::from(actor.user_id()),
                ]
            })
            .collect();
        insert_many(
            &mut tx,
            "stat_event",
            &["id", "observation", "revision", "kind", "comment", "at", "by_user"],
            events,
        )
        .await?;
    }
    let mut warnings = Vec::new();
    let mut finding_rows = Vec::new();
    for f in findings.iter().filter(|f| f.severity == Severity::Warning) {
        let line = line_for(f);
        if let Some((id, rev)) = ids.get(&f.trigger) {
            finding_rows.push(vec![
                Value::from(&submission),
                Value::from(*id),
                Value::from(*rev),
                Value::from(&f.rule),
                Value::from(f.severity.as_str()),
                Value::from(&f.message),
            ]);
        }
        warnings.push(Warning {
            line,
            indicator: f.key.indicator.clone(),
            rule: f.rule.clone(),
            message: f.message.clone(),
        });
    }
    insert_many(
        &mut tx,
        "stat_finding",
        &["submission", "observation", "revision", "rule", "severity", "message"],
        finding_rows,
    )
    .await?;

    let report = ImportReport {
        submission: submission.clone(),
        format: format.to_string(),
        observations: observations.len(),
        new: new_count as usize,
        revised: revised.len(),
        unchanged,
        warnings,
    };
    let summary = serde_json::json!({
        "format": format, "areas": areas_sorted, "observations": report.observations,
        "new": report.new, "revised": report.revised, "unchanged": report.unchanged, "warnings": report.warnings.len(),
    });
    audit::record(
        &mut tx,
        actor,
        "import",
        "stat_submission",
        &submission,
        None,
        Some(&summary),
        sub.reason.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
