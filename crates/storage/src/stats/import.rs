//! Taking data in: a file of any format `tripart_stats` reads, or the rows of the entry form,
//! for the member states the submitter may report for. All or nothing: a bad row, or a value
//! that breaks a blocking rule, refuses the whole submission with every problem by line and
//! field, and nothing is stored. A value that differs from the one held becomes a new
//! revision; one that is the same is left alone; nothing is overwritten.

use super::{member_states, DataError};
use crate::audit::{self, new_id};
use crate::edit::EditError;
use crate::{params, Column, Db, StorageError, Tx, Value};
use serde::Serialize;
// hashbrown: the rules look keys up by borrowed parts (`KeyRef`), and its hasher is faster
// on the million-entry maps of a large import.
use hashbrown::HashMap;
use std::collections::HashSet;
use std::sync::Arc;
use tripart_domain::access::{authorize, Actor, Operation};
use tripart_stats::formats;
use tripart_stats::obs::{Key, KeyRef, Observation};
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
    pub series: i64,
    pub revision: i64,
    pub values: Vec<Value>,
}

/// The value columns of a revision row, in the order `values_of` gives them.
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
    fn get(&self, key: KeyRef<'_>) -> Option<f64> {
        match self.submitted.get(&key) {
            Some(o) => o.value,
            None => self.held.get(&key)?.values.first()?.as_f64(),
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
    let started = std::time::Instant::now();
    let parsed = formats::read(bytes, Registry::get(), &areas).map_err(DataError::Rejected)?;
    tracing::debug!(
        rows = parsed.observations.len(),
        seconds = started.elapsed().as_secs_f64(),
        "import: file read and checked"
    );
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

/// What names a series: area, indicator and breakdown (a key without its period).
type SeriesKey<'a> = [&'a str; 5];

fn series_key(k: &Key) -> SeriesKey<'_> {
    [&k.ref_area, &k.indicator, &k.sex, &k.classif1, &k.classif2]
}

/// Every observation held for the given areas, newest revision, keyed.
pub(crate) async fn held_for(tx: &mut Tx, areas: &[String]) -> Result<HashMap<Key, Held>, StorageError> {
    let mut out = HashMap::new();
    for area in areas {
        let rows = tx
            .fetch_all(
                &format!(
                    "SELECT v.series, s.ref_area, s.indicator, s.sex, s.classif1, s.classif2, v.time, v.revision, v.{} \
                     FROM stat_series s JOIN stat_value v ON v.series = s.id AND v.state <> 'superseded' \
                     WHERE s.ref_area = $1",
                    VALUE_COLUMNS.join(", v.")
                ),
                &params![area],
            )
            .await?;
        for r in rows {
            let key = super::row_key(&r)?;
            let values = r.values()[8..].to_vec();
            out.insert(key, Held { series: r.i64("series")?, revision: r.i64("revision")?, values });
        }
    }
    Ok(out)
}

/// The series held for the given areas: key and id.
async fn series_for(tx: &mut Tx, areas: &[String]) -> Result<Vec<([String; 5], i64)>, StorageError> {
    let mut out = Vec::new();
    for area in areas {
        let rows = tx
            .fetch_all(
                "SELECT id, ref_area, indicator, sex, classif1, classif2 FROM stat_series WHERE ref_area = $1",
                &params![area],
            )
            .await?;
        for r in rows {
            let key = [r.str("ref_area")?, r.str("indicator")?, r.str("sex")?, r.str("classif1")?, r.str("classif2")?];
            out.push((key, r.i64("id")?));
        }
    }
    Ok(out)
}

/// The next free id of a table's integer key. Imports are serialised (SQLite's write lock,
/// taken by `BEGIN IMMEDIATE`; on PostgreSQL the advisory lock `store` takes), so ids can
/// follow the highest held.
async fn next_id(tx: &mut Tx, table: &str) -> Result<i64, StorageError> {
    Ok(tx
        .fetch_optional(&format!("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM {table}"), &[])
        .await?
        .map(|r| r.i64("next"))
        .transpose()?
        .unwrap_or(1))
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
    let mut tx = db.begin().await?;
    let areas: Vec<String> = observations
        .iter()
        .map(|o| o.key.ref_area.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .map(String::from)
        .collect();
    let held = held_for(&mut tx, &areas).await?;

    // What changes: new observations and new revisions of held ones.
    let mut changed_at: Vec<usize> = Vec::new();
    let mut unchanged = 0usize;
    for (i, o) in observations.iter().enumerate() {
        match held.get(&o.key) {
            Some(h) if same(&h.values, &values_of(o)) => unchanged += 1,
            _ => changed_at.push(i),
        }
    }

    // The rules run on a thread of their own while the rows are written below: a value that
    // breaks a blocking rule then rolls the whole transaction back, so that nothing is stored
    // either way, and a good file does not wait for the rules before its writing starts.
    let rules = super::workflow::rules(&mut tx).await?;
    let observations = Arc::new(observations);
    let held = Arc::new(held);
    let judging = {
        let (observations, held, changed_at) = (observations.clone(), held.clone(), changed_at.clone());
        tokio::task::spawn_blocking(move || judge(&observations, &held, &changed_at, &rules))
    };
    let changed: Vec<&Observation> = changed_at.iter().map(|&i| &observations[i]).collect();

    let started = std::time::Instant::now();
    let submission = new_id();
    let now = tripart_domain::time::now();
    let mut areas_sorted = areas.clone();
    areas_sorted.sort();
    tx.execute(
        "INSERT INTO stat_submission (id, format, file_name, areas, observations, revisions, reason, created_at, created_by, submitted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &params![
            &submission,
            format,
            sub.file_name.as_deref(),
            areas_sorted.join(" "),
            observations.len() as i64,
            changed.len() as i64,
            sub.reason.as_deref(),
            &now,
            actor.user_id(),
            sub.submit
        ],
    )
    .await?;

    super::workflow::lock_values(&mut tx).await?;
    let state = if sub.submit { "submitted" } else { "draft" };

    // The series the new observations belong to, created where missing.
    let held_series = series_for(&mut tx, &areas).await?;
    let mut series: HashMap<SeriesKey, i64> =
        held_series.iter().map(|(k, id)| (k.each_ref().map(String::as_str), *id)).collect();
    let mut next_series = next_id(&mut tx, "stat_series").await?;
    let mut new_series: Vec<&Observation> = Vec::new();
    // Every revision made: (the observation's number, which sorts as the table's key; series;
    // revision; observation). A held observation gets its next revision; a new one its first,
    // in its series.
    let mut made: Vec<(i64, i64, i64, &Observation)> = Vec::with_capacity(changed.len());
    let mut revised = 0usize;
    for o in &changed {
        let (id, revision) = match held.get(&o.key) {
            Some(h) => {
                revised += 1;
                (h.series, h.revision + 1)
            }
            None => {
                let id = *series.entry(series_key(&o.key)).or_insert_with(|| {
                    new_series.push(o);
                    next_series += 1;
                    next_series - 1
                });
                (id, 1)
            }
        };
        made.push((super::observation_id(id, &o.key.time)?, id, revision, *o));
    }
    let first_series = next_series - new_series.len() as i64;
    tx.insert_columns(
        "stat_series",
        &["id", "ref_area", "indicator", "measure", "sex", "classif1", "classif2"],
        vec![
            Column::Int((first_series..next_series).map(Some).collect()),
            text_column(&new_series, |o| &o.key.ref_area),
            text_column(&new_series, |o| &o.key.indicator),
            text_column(&new_series, |o| &o.measure),
            text_column(&new_series, |o| &o.key.sex),
            text_column(&new_series, |o| &o.key.classif1),
            text_column(&new_series, |o| &o.key.classif2),
        ],
    )
    .await?;

    // The rows go in the order of the table's key (series, period), so that SQLite appends to
    // its B-tree rather than inserting all over it (`bench/data/engine.sh` measures the
    // difference); a file lists its values in any order.
    made.sort_unstable_by_key(|(number, ..)| *number);
    tracing::debug!(seconds = started.elapsed().as_secs_f64(), "import: rows ordered");
    // The revision a new one replaces is superseded: only the newest is in the workflow.
    for (_, series, revision, o) in made.iter().filter(|(_, _, revision, _)| *revision > 1) {
        tx.execute(
            "UPDATE stat_value SET state = 'superseded' WHERE series = $1 AND time = $2 AND revision = $3",
            &params![*series, &o.key.time, *revision - 1],
        )
        .await?;
    }
    let n = made.len();
    let real = |f: fn(&Observation) -> Option<f64>| Column::Real(made.iter().map(|(.., o)| f(o)).collect());
    let text = |f: fn(&Observation) -> &Option<String>| Column::Text(made.iter().map(|(.., o)| f(o).clone()).collect());
    let mut columns = vec!["series", "time", "revision", "state", "published"];
    columns.extend(VALUE_COLUMNS);
    columns.extend(["submission", "line"]);
    tx.insert_columns(
        "stat_value",
        &columns,
        vec![
            Column::Int(made.iter().map(|(_, series, ..)| Some(*series)).collect()),
            Column::Text(made.iter().map(|(.., o)| Some(o.key.time.clone())).collect()),
            Column::Int(made.iter().map(|(_, _, revision, _)| Some(*revision)).collect()),
            Column::Text(vec![Some(state.to_string()); n]),
            Column::Int(vec![Some(0); n]),
            real(|o| o.value),
            text(|o| &o.text),
            text(|o| &o.status),
            text(|o| &o.source),
            text(|o| &o.note_indicator),
            text(|o| &o.note_source),
            text(|o| &o.evidence),
            real(|o| o.std_error),
            real(|o| o.cv),
            Column::Int(made.iter().map(|(.., o)| o.sample_count).collect()),
            Column::Text(vec![Some(submission.clone()); n]),
            Column::Int(made.iter().map(|(.., o)| Some(o.line as i64)).collect()),
        ],
    )
    .await?;
    // A submission sent to the validators at once is itself the "submitted" event of every
    // revision it made (`stat_submission.submitted`): no event row per value.
    tracing::debug!(rows = changed.len(), seconds = started.elapsed().as_secs_f64(), "import: stored");
    let judged = judging.await.map_err(|e| StorageError::Corrupt(format!("the rules could not run: {e}")))?;
    if !judged.errors.is_empty() {
        // Dropping the transaction rolls back everything written above.
        return Err(DataError::Rejected(judged.errors));
    }
    // Warnings let the values in; the validators see them beside the values.
    let ids: HashMap<&Key, (i64, i64)> = if judged.warnings.is_empty() {
        HashMap::new()
    } else {
        made.iter().map(|(_, series, rev, o)| (&o.key, (*series, *rev))).collect()
    };
    let mut warnings = Vec::new();
    let (mut f_series, mut f_time, mut f_rev, mut f_rule, mut f_message) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (f, line) in judged.warnings {
        if let Some((series, rev)) = ids.get(&f.trigger) {
            f_series.push(Some(*series));
            f_time.push(Some(f.trigger.time.clone()));
            f_rev.push(Some(*rev));
            f_rule.push(Some(f.rule.clone()));
            f_message.push(Some(f.message.clone()));
        }
        warnings.push(Warning { line, indicator: f.key.indicator, rule: f.rule, message: f.message });
    }
    let n = f_series.len();
    tx.insert_columns(
        "stat_finding",
        &["submission", "series", "time", "revision", "rule", "severity", "message"],
        vec![
            Column::Text(vec![Some(submission.clone()); n]),
            Column::Int(f_series),
            Column::Text(f_time),
            Column::Int(f_rev),
            Column::Text(f_rule),
            Column::Text(vec![Some(Severity::Warning.as_str().to_string()); n]),
            Column::Text(f_message),
        ],
    )
    .await?;

    let report = ImportReport {
        submission: submission.clone(),
        format: format.to_string(),
        observations: observations.len(),
        new: made.len() - revised,
        revised,
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
    let committing = std::time::Instant::now();
    tx.commit().await?;
    tracing::debug!(seconds = committing.elapsed().as_secs_f64(), "import: committed");
    // A million observations and the values held take a second to free: the caller need not
    // wait for it.
    drop((ids, made, changed, series, new_series));
    tokio::task::spawn_blocking(move || drop((observations, held)));
    Ok(report)
}

/// What the rules found: the problems that refuse the submission, and the warnings that let
/// it in, each with the line of the value that raised it.
struct Judged {
    errors: Vec<Problem>,
    warnings: Vec<(Finding, usize)>,
}

/// Runs the rules over the changed observations, reading the held values with the submitted
/// ones in their place.
fn judge(
    observations: &[Observation],
    held: &HashMap<Key, Held>,
    changed_at: &[usize],
    rules: &[rules::Rule],
) -> Judged {
    let started = std::time::Instant::now();
    let submitted: HashMap<&Key, &Observation> = observations.iter().map(|o| (&o.key, o)).collect();
    let book = Submitted { held, submitted: &submitted };
    let keys: Vec<&Key> = changed_at.iter().map(|&i| &observations[i].key).collect();
    let findings = rules::evaluate(Registry::get(), rules, &keys, &book);
    tracing::debug!(findings = findings.len(), seconds = started.elapsed().as_secs_f64(), "import: rules evaluated");
    let line_of = |f: &Finding| submitted.get(&f.trigger).map(|o| o.line).unwrap_or(0);
    let mut judged = Judged { errors: Vec::new(), warnings: Vec::new() };
    for f in findings {
        let line = line_of(&f);
        match f.severity {
            Severity::Error => judged.errors.push(Problem {
                line,
                field: "obs_value".into(),
                reason: format!("{} ({}): {}", f.key.indicator, f.rule, f.message),
            }),
            Severity::Warning => judged.warnings.push((f, line)),
        }
    }
    judged
}

/// A text column of the given observations.
fn text_column(rows: &[&Observation], field: fn(&Observation) -> &String) -> Column {
    Column::Text(rows.iter().map(|o| Some(field(o).clone())).collect())
}
