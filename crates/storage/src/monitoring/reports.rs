//! Annual progress reports of the subsidiary bodies to SLOM (2016-2020 Work
//! Programme, note 3). A report is assembled from the year's progress updates,
//! outputs, meetings and checklist, with a narrative per thematic area written
//! by the body; the body submits it, a validator (SLOM) returns it with a comment
//! or accepts it, and on acceptance the assembled report is frozen as it stood.

use super::checklists::{self, ChecklistView};
use super::progress::{updates_where, ProgressUpdate};
use super::{check_length, invalid};
use crate::audit::{self, new_id, row_json};
use crate::edit::EditError;
use crate::{params, Db, Row, StorageError, Tx};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::{OutputKind, ReportStatus, ReportStep};

/// The narrative key for the report's introduction, before the thematic areas.
pub const GENERAL: &str = "";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BodyRef {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub reports_to: Option<String>,
    /// The name of the body it reports to ("Senior Labour Officials Meeting").
    #[serde(default)]
    pub reports_to_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAction {
    pub id: String,
    pub programme: String,
    pub label: Option<String>,
    pub title: String,
    pub calendar: Option<String>,
    /// Where the action stood at the end of the year (its latest update by then,
    /// or its catalogue status).
    pub status: String,
    /// This year's updates, oldest first.
    pub updates: Vec<ProgressUpdate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportArea {
    /// The programme node (thematic area, strategic priority, …), or "" for
    /// actions outside any.
    pub id: String,
    pub label: Option<String>,
    pub title: String,
    pub narrative: Option<String>,
    pub actions: Vec<ReportAction>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSummary {
    pub actions: i64,
    pub updates: i64,
    /// Actions by status at the end of the year.
    pub by_status: Vec<Count>,
    /// Outputs by kind (quantities summed).
    pub outputs: Vec<Count>,
    pub participants_female: i64,
    pub participants_male: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportMeeting {
    pub id: String,
    pub title: String,
    pub start: Option<String>,
    pub host: Option<String>,
    /// The host member state's name.
    #[serde(default)]
    pub host_name: Option<String>,
    pub recommendations: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEvent {
    pub at: String,
    pub actor: String,
    /// created, narrative, submitted, returned, accepted.
    pub event: String,
    pub comment: Option<String>,
}

/// An annual report, assembled (or as frozen on acceptance).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    pub id: String,
    pub body: BodyRef,
    pub year: i64,
    /// draft, submitted, returned, accepted; `not_started` before the body opens it.
    pub status: String,
    pub version: i64,
    /// The narrative before the thematic areas.
    pub introduction: Option<String>,
    pub summary: ReportSummary,
    pub areas: Vec<ReportArea>,
    pub meetings: Vec<ReportMeeting>,
    pub checklist: Option<ChecklistView>,
    pub history: Vec<ReportEvent>,
    /// When the report was assembled (or frozen).
    pub assembled_at: String,
}

/// The bodies a report belongs to for the policy: its own, and the body it
/// reports to, whose validators decide on it.
async fn report_scope(tx: &mut Tx, body: &str) -> Result<(Scope, Row), EditError> {
    let row = tx
        .fetch_optional("SELECT * FROM body WHERE id = $1", &params![body])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no body `{}`", tripart_domain::ids::truncate(body, 60))))?;
    let mut bodies = vec![body.to_string()];
    bodies.extend(row.opt_str("reports_to")?);
    Ok((Scope { bodies, member_states: Vec::new() }, row))
}

fn check_year(year: i64) -> Result<(), EditError> {
    if !(2000..=2200).contains(&year) {
        return Err(invalid("year", "a year between 2000 and 2200"));
    }
    Ok(())
}

fn report_id(body: &str, year: i64) -> String {
    format!("{body}-{year}")
}

/// The report row, created as a draft on first use by the body.
async fn open(tx: &mut Tx, actor: &Actor, body: &str, year: i64) -> Result<Row, EditError> {
    let id = report_id(body, year);
    if let Some(r) = tx.fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![&id]).await? {
        return Ok(r);
    }
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO annual_report (id, body, year, status, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $4)",
        &params![&id, body, year, &now],
    )
    .await?;
    event(tx, actor, &id, "created", None).await?;
    let row = tx
        .fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![&id])
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("report {id} vanished")))?;
    audit::record(tx, actor, "create", "annual_report", &id, None, Some(&row_json(&row)), None).await?;
    Ok(row)
}

async fn event(
    tx: &mut Tx,
    actor: &Actor,
    report: &str,
    event: &str,
    comment: Option<&str>,
) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO annual_report_event (id, report, at, actor_user, actor_label, event, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &params![new_id(), report, tripart_domain::time::now(), actor.user_id(), actor.label(), event, comment],
    )
    .await?;
    Ok(())
}

fn check_version(row: &Row, version: i64) -> Result<(), EditError> {
    let current = row.i64("version")?;
    if current != version {
        return Err(EditError::Conflict { version: current, current: row_json(row) });
    }
    Ok(())
}

/// Writes the narrative of one thematic area (or the introduction, `GENERAL`).
/// Only while the report is a draft or returned. Returns the new version.
pub async fn set_narrative(
    db: &Db,
    actor: &Actor,
    body: &str,
    year: i64,
    area: &str,
    text: &str,
    version: Option<i64>,
) -> Result<i64, EditError> {
    check_year(year)?;
    check_length("text", Some(text), 50_000)?;
    check_length("area", Some(area), 200)?;
    let mut tx = db.begin().await?;
    let (scope, _) = report_scope(&mut tx, body).await?;
    authorize(actor, &Operation::EditRecord(Scope { bodies: vec![body.into()], ..scope }))
        .map_err(|d| EditError::Denied(d.0))?;
    let report = open(&mut tx, actor, body, year).await?;
    if let Some(v) = version {
        check_version(&report, v)?;
    }
    let status = ReportStatus::parse(&report.str("status")?).map_err(|e| StorageError::Corrupt(e.0))?;
    if !status.is_editable() {
        return Err(invalid("status", format!("the report is {status}: its narrative can no longer change")));
    }
    if area != GENERAL
        && tx.fetch_optional("SELECT id FROM programme_node WHERE id = $1", &params![area]).await?.is_none()
    {
        return Err(invalid("area", "not a thematic area (programme node) id"));
    }
    let id = report.str("id")?;
    let before = tx
        .fetch_optional("SELECT * FROM annual_report_narrative WHERE report = $1 AND area = $2", &params![&id, area])
        .await?;
    let now = tripart_domain::time::now();
    if before.is_some() {
        tx.execute(
            "UPDATE annual_report_narrative SET text = $1, updated_at = $2, updated_by = $3 WHERE report = $4 AND area = $5",
            &params![text.trim(), &now, actor.user_id(), &id, area],
        )
        .await?;
    } else {
        tx.execute(
            "INSERT INTO annual_report_narrative (report, area, text, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)",
            &params![&id, area, text.trim(), &now, actor.user_id()],
        )
        .await?;
    }
    tx.execute("UPDATE annual_report SET version = version + 1, updated_at = $1 WHERE id = $2", &params![&now, &id])
        .await?;
    let after = tx
        .fetch_optional("SELECT * FROM annual_report_narrative WHERE report = $1 AND area = $2", &params![&id, area])
        .await?;
    audit::record(
        &mut tx,
        actor,
        if before.is_some() { "update" } else { "create" },
        "annual_report_narrative",
        &format!("{id}/{area}"),
        before.as_ref().map(row_json).as_ref(),
        after.as_ref().map(row_json).as_ref(),
        None,
    )
    .await?;
    let version = tx
        .fetch_optional("SELECT version FROM annual_report WHERE id = $1", &params![&id])
        .await?
        .map(|r| r.i64("version"))
        .transpose()?
        .unwrap_or(1);
    tx.commit().await?;
    Ok(version)
}

/// Submits, returns or accepts a report. A return needs a comment saying what
/// to fix. Accepting freezes the report as assembled at that moment.
pub async fn step(
    db: &Db,
    actor: &Actor,
    body: &str,
    year: i64,
    step: ReportStep,
    comment: Option<&str>,
    version: Option<i64>,
) -> Result<ReportStatus, EditError> {
    check_year(year)?;
    check_length("comment", comment, 5000)?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if step == ReportStep::Return && comment.is_none() {
        return Err(invalid("comment", "say what the body should change"));
    }
    let mut tx = db.begin().await?;
    let (scope, _) = report_scope(&mut tx, body).await?;
    let op = match step {
        ReportStep::Submit => Operation::EditRecord(Scope { bodies: vec![body.into()], member_states: Vec::new() }),
        ReportStep::Return | ReportStep::Accept => Operation::Validate(scope),
    };
    authorize(actor, &op).map_err(|d| EditError::Denied(d.0))?;
    let report = if step == ReportStep::Submit {
        open(&mut tx, actor, body, year).await?
    } else {
        tx.fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![report_id(body, year)])
            .await?
            .ok_or_else(|| EditError::NotFound(format!("{body} has no report for {year}")))?
    };
    if let Some(v) = version {
        check_version(&report, v)?;
    }
    let status = ReportStatus::parse(&report.str("status")?).map_err(|e| StorageError::Corrupt(e.0))?;
    let next = status.after(step).map_err(|e| invalid("status", e.0))?;
    let id = report.str("id")?;
    let now = tripart_domain::time::now();
    tx.execute(
        "UPDATE annual_report SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        &params![next.as_str(), &now, &id],
    )
    .await?;
    event(&mut tx, actor, &id, step.past_tense(), comment).await?;
    if next == ReportStatus::Accepted {
        let frozen = assemble(&mut tx, body, year).await?;
        let json = serde_json::to_string(&frozen).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        tx.execute("UPDATE annual_report SET frozen_json = $1 WHERE id = $2", &params![json, &id]).await?;
    }
    let after = tx.fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![&id]).await?;
    let mut after_json = after.as_ref().map(row_json);
    // The frozen copy is in the report itself; the trail need not repeat it.
    if let Some(serde_json::Value::Object(m)) = after_json.as_mut() {
        m.remove("frozen_json");
    }
    let mut before_json = row_json(&report);
    if let serde_json::Value::Object(m) = &mut before_json {
        m.remove("frozen_json");
    }
    audit::record(
        &mut tx,
        actor,
        step.as_str(),
        "annual_report",
        &id,
        Some(&before_json),
        after_json.as_ref(),
        comment,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Who may read a report that is not accepted: the body, the body it reports to
/// (its validators), administrators.
pub async fn may_read_unpublished(db: &Db, actor: &Actor, body: &str) -> Result<bool, EditError> {
    let mut tx = db.begin_read().await?;
    let (scope, _) = report_scope(&mut tx, body).await?;
    tx.commit().await?;
    Ok(authorize(actor, &Operation::ReadUnpublished(scope)).is_ok())
}

/// A report as it stands: frozen if accepted, otherwise assembled now. The
/// public sees accepted reports only; others get `Denied`.
pub async fn report(db: &Db, actor: &Actor, body: &str, year: i64) -> Result<AnnualReport, EditError> {
    check_year(year)?;
    let mut tx = db.begin_read().await?;
    let (scope, _) = report_scope(&mut tx, body).await?;
    let row = tx.fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![report_id(body, year)]).await?;
    let status = row.as_ref().map(|r| r.str("status")).transpose()?;
    if status.as_deref() != Some("accepted") {
        authorize(actor, &Operation::ReadUnpublished(scope))
            .map_err(|d| EditError::Denied(format!("the {year} report of {body} is not accepted yet; {}", d.0)))?;
    }
    let mut report = match row.as_ref().and_then(|r| r.opt_str("frozen_json").ok().flatten()) {
        Some(frozen) => {
            serde_json::from_str(&frozen).map_err(|e| StorageError::Corrupt(format!("frozen report: {e}")))?
        }
        None => assemble(&mut tx, body, year).await?,
    };
    // The status, version and history move on after freezing (the acceptance itself).
    if let Some(r) = &row {
        report.status = r.str("status")?;
        report.version = r.i64("version")?;
    }
    report.history = history(&mut tx, &report_id(body, year)).await?;
    tx.commit().await?;
    Ok(report)
}

/// One line per report: for lists and the validator's queue.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportLine {
    pub id: String,
    pub body: String,
    pub year: i64,
    pub status: String,
    pub updated_at: String,
    pub version: i64,
}

/// Reports the actor may read (accepted ones for the public), newest year first.
pub async fn reports(
    db: &Db,
    actor: &Actor,
    body: Option<&str>,
    status: Option<ReportStatus>,
) -> Result<Vec<ReportLine>, EditError> {
    let rows = db
        .fetch_all(
            "SELECT r.*, b.reports_to FROM annual_report r JOIN body b ON b.id = r.body \
             WHERE ($1 IS NULL OR r.body = $1) AND ($2 IS NULL OR r.status = $2) ORDER BY r.year DESC, r.body",
            &params![body, status.map(|s| s.as_str())],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let mut bodies = vec![r.str("body")?];
        bodies.extend(r.opt_str("reports_to")?);
        let visible = r.str("status")? == "accepted"
            || authorize(actor, &Operation::ReadUnpublished(Scope { bodies, member_states: Vec::new() })).is_ok();
        if visible {
            out.push(ReportLine {
                id: r.str("id")?,
                body: r.str("body")?,
                year: r.i64("year")?,
                status: r.str("status")?,
                updated_at: r.str("updated_at")?,
                version: r.i64("version")?,
            });
        }
    }
    Ok(out)
}

async fn history(tx: &mut Tx, report: &str) -> Result<Vec<ReportEvent>, StorageError> {
    let rows =
        tx.fetch_all("SELECT * FROM annual_report_event WHERE report = $1 ORDER BY at, id", &params![report]).await?;
    rows.iter()
        .map(|r| {
            Ok(ReportEvent {
                at: r.str("at")?,
                actor: r.str("actor_label")?,
                event: r.str("event")?,
                comment: r.opt_str("comment")?,
            })
        })
        .collect()
}

/// Assembles the report from what the database holds now.
async fn assemble(tx: &mut Tx, body: &str, year: i64) -> Result<AnnualReport, StorageError> {
    let id = report_id(body, year);
    let body_row = tx
        .fetch_optional("SELECT * FROM body WHERE id = $1", &params![body])
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("no body {body}")))?;
    let report_row = tx.fetch_optional("SELECT * FROM annual_report WHERE id = $1", &params![&id]).await?;
    let reports_to_name = match body_row.opt_str("reports_to")? {
        Some(parent) => tx
            .fetch_optional("SELECT name, abbreviation FROM body WHERE id = $1", &params![parent])
            .await?
            .map(|r| -> Result<String, StorageError> {
                Ok(match r.opt_str("abbreviation")? {
                    Some(a) => format!("{} ({a})", r.str("name")?),
                    None => r.str("name")?,
                })
            })
            .transpose()?,
        None => None,
    };
    let year_text = format!("{year:04}");
    let year_end = format!("{year:04}-12-31");

    // The body's actions that ran in the year, or that someone reported on in it.
    let action_clause = "a.retired_at IS NULL \
         AND (EXISTS (SELECT 1 FROM action_body ab WHERE ab.action = a.id AND ab.body = $1) \
              OR a.programme IN (SELECT p.id FROM programme p WHERE p.owner = $1)) \
         AND ((a.start_year <= $2 AND COALESCE(a.end_year, a.start_year) >= $2) \
              OR EXISTS (SELECT 1 FROM progress_update u WHERE u.action = a.id AND SUBSTR(u.reported_on, 1, 4) = $3))";
    let actions = tx
        .fetch_all(
            &format!(
                "SELECT a.*, (SELECT u.status FROM progress_update u WHERE u.action = a.id AND u.reported_on <= $4 \
                   ORDER BY u.reported_on DESC, u.created_at DESC LIMIT 1) AS year_status \
                 FROM action a JOIN programme p ON p.id = a.programme WHERE {action_clause} \
                 ORDER BY p.start_year, a.programme, a.position"
            ),
            &params![body, year, &year_text, &year_end],
        )
        .await?;
    let updates = updates_in_tx(tx, action_clause, body, year, &year_text).await?;
    let mut updates_by_action: HashMap<String, Vec<ProgressUpdate>> = HashMap::new();
    for u in updates {
        updates_by_action.entry(u.action.clone()).or_default().push(u);
    }

    // Group by the top of each action's structure node.
    let nodes = tx
        .fetch_all(
            "SELECT n.id, n.parent, n.label, n.title, n.position FROM programme_node n \
             WHERE n.programme IN (SELECT DISTINCT a.programme FROM action a WHERE a.retired_at IS NULL)",
            &[],
        )
        .await?;
    let mut parent_of: HashMap<String, Option<String>> = HashMap::new();
    let mut node_info: HashMap<String, (Option<String>, String)> = HashMap::new();
    for n in &nodes {
        parent_of.insert(n.str("id")?, n.opt_str("parent")?);
        node_info.insert(n.str("id")?, (n.opt_str("label")?, n.str("title")?));
    }
    let top = |node: &str| -> String {
        let mut current = node.to_string();
        for _ in 0..20 {
            match parent_of.get(&current) {
                Some(Some(p)) => current = p.clone(),
                _ => break,
            }
        }
        current
    };
    let narratives: HashMap<String, String> = tx
        .fetch_all("SELECT area, text FROM annual_report_narrative WHERE report = $1", &params![&id])
        .await?
        .iter()
        .map(|r| Ok((r.str("area")?, r.str("text")?)))
        .collect::<Result<_, StorageError>>()?;

    let mut summary = ReportSummary::default();
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut outputs: BTreeMap<&'static str, i64> = OutputKind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
    let mut areas: Vec<ReportArea> = Vec::new();
    for a in &actions {
        let action_id = a.str("id")?;
        let area_id = a.opt_str("node")?.map(|n| top(&n)).unwrap_or_default();
        let status = a.opt_str("year_status")?.map_or_else(|| a.str("status"), Ok)?;
        *by_status.entry(status.clone()).or_default() += 1;
        let updates = updates_by_action.remove(&action_id).unwrap_or_default();
        for u in &updates {
            summary.updates += 1;
            for o in &u.outputs {
                *outputs.entry(o.kind.as_str()).or_default() += o.quantity;
                summary.participants_female += o.participants_female.unwrap_or(0);
                summary.participants_male += o.participants_male.unwrap_or(0);
            }
        }
        let action = ReportAction {
            id: action_id,
            programme: a.str("programme")?,
            label: a.opt_str("label")?,
            title: a.str("title")?,
            calendar: a.opt_str("calendar_text")?,
            status,
            updates,
        };
        match areas.iter_mut().find(|ar| ar.id == area_id) {
            Some(area) => area.actions.push(action),
            None => {
                let (label, title) = node_info.get(&area_id).cloned().unwrap_or((None, String::new()));
                areas.push(ReportArea {
                    // Actions outside any area share the key of the introduction,
                    // which the report carries on its own.
                    narrative: if area_id == GENERAL { None } else { narratives.get(&area_id).cloned() },
                    id: area_id,
                    label,
                    title,
                    actions: vec![action],
                });
            }
        }
    }
    // Narratives written for areas without actions this year still belong in the report.
    for (area, text) in &narratives {
        if area != GENERAL && !areas.iter().any(|a| &a.id == area) {
            let (label, title) = node_info.get(area).cloned().unwrap_or((None, area.clone()));
            areas.push(ReportArea {
                id: area.clone(),
                label,
                title,
                narrative: Some(text.clone()),
                actions: Vec::new(),
            });
        }
    }
    summary.actions = actions.len() as i64;
    summary.by_status = by_status.into_iter().map(|(key, count)| Count { key, count }).collect();
    summary.outputs = OutputKind::ALL
        .iter()
        .map(|k| Count { key: k.as_str().into(), count: outputs.get(k.as_str()).copied().unwrap_or(0) })
        .collect();

    let meetings = tx
        .fetch_all(
            &format!(
                "SELECT m.id, m.title, m.start_date, m.host, \
                   (SELECT ms.name FROM member_state ms WHERE ms.code = m.host) AS host_name, \
                   (SELECT COUNT(*) FROM recommendation r WHERE r.meeting = m.id) AS recommendations \
                 FROM meeting m WHERE SUBSTR(m.start_date, 1, 4) = $3 AND (m.body = $1 OR EXISTS ( \
                   SELECT 1 FROM meeting_action ma JOIN action a ON a.id = ma.action \
                   WHERE ma.meeting = m.id AND {action_clause})) \
                 ORDER BY m.start_date, m.id"
            ),
            &params![body, year, &year_text],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(ReportMeeting {
                id: r.str("id")?,
                title: r.str("title")?,
                start: r.opt_str("start_date")?,
                host: r.opt_str("host")?,
                host_name: r.opt_str("host_name")?,
                recommendations: r.i64("recommendations")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;

    Ok(AnnualReport {
        id: id.clone(),
        body: BodyRef {
            id: body.to_string(),
            name: body_row.str("name")?,
            abbreviation: body_row.opt_str("abbreviation")?,
            reports_to: body_row.opt_str("reports_to")?,
            reports_to_name,
        },
        year,
        status: report_row.as_ref().map(|r| r.str("status")).transpose()?.unwrap_or_else(|| "not_started".into()),
        version: report_row.as_ref().map(|r| r.i64("version")).transpose()?.unwrap_or(0),
        introduction: narratives.get(GENERAL).cloned(),
        summary,
        areas,
        meetings,
        checklist: checklists::view_in(tx, body, year).await?,
        history: Vec::new(),
        assembled_at: tripart_domain::time::now(),
    })
}

/// The year's updates of the report's actions, inside the report's transaction.
async fn updates_in_tx(
    tx: &mut Tx,
    action_clause: &str,
    body: &str,
    year: i64,
    year_text: &str,
) -> Result<Vec<ProgressUpdate>, StorageError> {
    let clause =
        format!("SUBSTR(u.reported_on, 1, 4) = $3 AND u.action IN (SELECT a.id FROM action a WHERE {action_clause})");
    updates_where(tx, &clause, &params![body, year, year_text]).await
}
