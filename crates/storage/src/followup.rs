//! Following up recommendations (issue 6): reporting cycles, implementation
//! reports by member state and voice, the recommendation × member state matrix,
//! who has not reported, a country's record; and new ratification events recorded
//! by the Secretariat with their source. Reports are never overwritten: a
//! correction is a new revision, and each voice keeps its own.

use crate::audit::{self, new_id, row_json};
use crate::edit::EditError;
use crate::monitoring::{check_date, check_length, invalid, Link};
use crate::{params, Db, Row, StorageError, Tx};
use serde::Serialize;
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Role, Scope};
use tripart_domain::followup::{CycleStatus, ImplementationStatus, Voice};
use tripart_domain::vocab::RatificationEvent;

/// The body whose secretariat acts for meetings no body organises, and records
/// ratification events.
const SECRETARIAT: &str = "asec";

/// A cycle as opened.
#[derive(Debug, Clone, Default)]
pub struct NewCycle {
    /// The meeting whose recommendations are followed up.
    pub meeting: String,
    /// The later meeting the progress is reported to ("6th ASEAN Forum on Migrant Labour").
    pub reported_to: Option<String>,
    pub title: Option<String>,
    pub opens_on: Option<String>,
    pub due_on: Option<String>,
}

async fn meeting_scope(tx: &mut Tx, meeting: &str) -> Result<(Scope, Row), EditError> {
    let m = tx
        .fetch_optional("SELECT * FROM meeting WHERE id = $1", &params![meeting])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no meeting `{}`", tripart_domain::ids::truncate(meeting, 60))))?;
    let body = m.opt_str("body")?.unwrap_or_else(|| SECRETARIAT.into());
    Ok((Scope { bodies: vec![body, SECRETARIAT.into()], member_states: Vec::new() }, m))
}

/// Opens a reporting cycle on a meeting's recommendations, with every earlier
/// cycle's recommendation that some member state has not yet reported
/// implemented (they carry forward). The organising body's secretariat opens it.
pub async fn open_cycle(db: &Db, actor: &Actor, new: &NewCycle) -> Result<String, EditError> {
    check_length("title", new.title.as_deref(), 300)?;
    check_length("reported_to", new.reported_to.as_deref(), 300)?;
    let opens = match &new.opens_on {
        Some(d) => check_date("opens_on", d)?,
        None => tripart_domain::time::today(),
    };
    let due = new.due_on.as_deref().map(|d| check_date("due_on", d)).transpose()?;
    let mut tx = db.begin().await?;
    let (scope, meeting) = meeting_scope(&mut tx, &new.meeting).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    let count = tx
        .fetch_optional("SELECT COUNT(*) AS n FROM reporting_cycle WHERE meeting = $1", &params![&new.meeting])
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(0);
    let id = format!("{}-cycle-{}", new.meeting, count + 1);
    let title = new.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
        let title = meeting.str("title").unwrap_or_default();
        match &new.reported_to {
            Some(to) => format!("Progress on the recommendations of {title}, for {to}"),
            None => format!("Progress on the recommendations of {title}"),
        }
    });
    tx.execute(
        "INSERT INTO reporting_cycle (id, meeting, title, reported_to, status, opens_on, due_on, created_at, created_by) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8)",
        &params![&id, &new.meeting, title.trim(), new.reported_to.as_deref(), &opens, due, tripart_domain::time::now(), actor.user_id()],
    )
    .await?;
    // This meeting's recommendations (the numbered ones: items nested under a
    // recommendation are reported on as part of it), then those carried forward
    // from earlier cycles.
    tx.execute(
        "INSERT INTO cycle_recommendation (cycle, recommendation) \
         SELECT $1, r.id FROM recommendation r WHERE r.meeting = $2 AND r.parent IS NULL",
        &params![&id, &new.meeting],
    )
    .await?;
    tx.execute(
        "INSERT INTO cycle_recommendation (cycle, recommendation) \
         SELECT DISTINCT $1, cr.recommendation FROM cycle_recommendation cr \
         WHERE cr.cycle <> $1 AND cr.recommendation NOT IN (SELECT recommendation FROM cycle_recommendation WHERE cycle = $1) \
         AND EXISTS (SELECT 1 FROM member_state ms WHERE NOT EXISTS ( \
               SELECT 1 FROM implementation_report ir WHERE ir.recommendation = cr.recommendation \
               AND ir.member_state = ms.code AND ir.voice = 'government' AND ir.status IN ('implemented', 'not_applicable')))",
        &params![&id],
    )
    .await?;
    let row = tx.fetch_optional("SELECT * FROM reporting_cycle WHERE id = $1", &params![&id]).await?;
    audit::record(&mut tx, actor, "create", "reporting_cycle", &id, None, row.as_ref().map(row_json).as_ref(), None)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes a cycle: no more reports; everything reported stays readable.
pub async fn close_cycle(db: &Db, actor: &Actor, id: &str) -> Result<(), EditError> {
    let mut tx = db.begin().await?;
    let before =
        tx.fetch_optional("SELECT * FROM reporting_cycle WHERE id = $1", &params![id]).await?.ok_or_else(|| {
            EditError::NotFound(format!("no reporting cycle `{}`", tripart_domain::ids::truncate(id, 60)))
        })?;
    let (scope, _) = meeting_scope(&mut tx, &before.str("meeting")?).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    if before.str("status")? == CycleStatus::Closed.as_str() {
        return Err(invalid("status", "the cycle is already closed"));
    }
    tx.execute(
        "UPDATE reporting_cycle SET status = 'closed', closed_at = $1, version = version + 1 WHERE id = $2",
        &params![tripart_domain::time::now(), id],
    )
    .await?;
    let after = tx.fetch_optional("SELECT * FROM reporting_cycle WHERE id = $1", &params![id]).await?;
    audit::record(
        &mut tx,
        actor,
        "close",
        "reporting_cycle",
        id,
        Some(&row_json(&before)),
        after.as_ref().map(row_json).as_ref(),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A report as given.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub recommendation: String,
    pub member_state: String,
    pub voice: Voice,
    /// For employers, workers and civil society: the organisation speaking. Taken
    /// from the actor's own social-partner role when absent.
    pub partner: Option<String>,
    pub status: ImplementationStatus,
    pub narrative: Option<String>,
    pub evidence: Vec<Link>,
}

/// Records one voice's report for a member state in an open cycle; returns its
/// revision. The government's report comes from the state's focal points; the
/// others from the organisation itself.
pub async fn report(db: &Db, actor: &Actor, cycle: &str, new: &NewReport) -> Result<i64, EditError> {
    check_length("narrative", new.narrative.as_deref(), 20_000)?;
    if new.evidence.len() > 20 {
        return Err(invalid("evidence", "at most 20 links"));
    }
    for (i, l) in new.evidence.iter().enumerate() {
        l.check(&format!("evidence[{i}]"))?;
    }
    let mut tx = db.begin().await?;
    let c =
        tx.fetch_optional("SELECT * FROM reporting_cycle WHERE id = $1", &params![cycle]).await?.ok_or_else(|| {
            EditError::NotFound(format!("no reporting cycle `{}`", tripart_domain::ids::truncate(cycle, 60)))
        })?;
    if c.str("status")? != CycleStatus::Open.as_str() {
        return Err(invalid("cycle", "the cycle is closed"));
    }
    let in_cycle = tx
        .fetch_optional(
            "SELECT 1 AS x FROM cycle_recommendation WHERE cycle = $1 AND recommendation = $2",
            &params![cycle, &new.recommendation],
        )
        .await?;
    if in_cycle.is_none() {
        return Err(invalid("recommendation", "not a recommendation of this cycle"));
    }
    if tx.fetch_optional("SELECT code FROM member_state WHERE code = $1", &params![&new.member_state]).await?.is_none()
    {
        return Err(invalid("member_state", "not a member state code"));
    }
    let partner = match new.voice {
        Voice::Government => {
            authorize(actor, &Operation::SubmitFor { member_state: new.member_state.clone() })
                .map_err(|d| EditError::Denied(d.0))?;
            None
        }
        voice => {
            let own: Vec<String> = match actor {
                Actor::User(p, _) => p
                    .grants
                    .iter()
                    .filter(|g| g.role == Role::SocialPartner)
                    .filter_map(|g| g.partner.clone())
                    .collect(),
                _ => Vec::new(),
            };
            let partner = match (&new.partner, own.as_slice()) {
                (Some(p), _) => p.clone(),
                (None, [only]) => only.clone(),
                _ => return Err(invalid("partner", "name the organisation that reports")),
            };
            let kind = tx.fetch_optional("SELECT kind FROM partner WHERE id = $1", &params![&partner]).await?;
            let kind = kind.map(|r| r.str("kind")).transpose()?.ok_or_else(|| invalid("partner", "no such partner"))?;
            if Voice::of_partner_kind(&kind) != Some(voice) {
                return Err(invalid(
                    "voice",
                    format!("{partner} is a {kind} organisation: it cannot report as {voice}"),
                ));
            }
            authorize(actor, &Operation::ReportAsPartner { partner: partner.clone() })
                .map_err(|d| EditError::Denied(d.0))?;
            Some(partner)
        }
    };
    let revision = tx
        .fetch_optional(
            "SELECT MAX(revision) AS r FROM implementation_report WHERE cycle = $1 AND recommendation = $2 \
             AND member_state = $3 AND voice = $4 AND COALESCE(partner, '') = COALESCE($5, '')",
            &params![cycle, &new.recommendation, &new.member_state, new.voice.as_str(), partner.as_deref()],
        )
        .await?
        .map(|r| r.opt_i64("r"))
        .transpose()?
        .flatten()
        .unwrap_or(0)
        + 1;
    let id = new_id();
    let evidence = serde_json::to_string(&new.evidence).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO implementation_report (id, cycle, recommendation, member_state, voice, partner, revision, status, \
         narrative, evidence_json, reported_at, reported_by, reported_by_label) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &params![
            &id,
            cycle,
            &new.recommendation,
            &new.member_state,
            new.voice.as_str(),
            partner.as_deref(),
            revision,
            new.status.as_str(),
            new.narrative.as_deref().map(str::trim).filter(|n| !n.is_empty()),
            evidence,
            tripart_domain::time::now(),
            actor.user_id(),
            actor.label()
        ],
    )
    .await?;
    let row = tx.fetch_optional("SELECT * FROM implementation_report WHERE id = $1", &params![&id]).await?;
    audit::record(
        &mut tx,
        actor,
        "create",
        "implementation_report",
        &id,
        None,
        row.as_ref().map(row_json).as_ref(),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(revision)
}

/// One voice's current report.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceReport {
    pub cycle: String,
    pub recommendation: String,
    pub member_state: String,
    pub voice: String,
    pub partner: Option<String>,
    pub revision: i64,
    pub status: String,
    pub narrative: Option<String>,
    pub evidence: Vec<Link>,
    pub reported_at: String,
    pub reported_by: String,
}

fn report_from_row(r: &Row) -> Result<VoiceReport, StorageError> {
    Ok(VoiceReport {
        cycle: r.str("cycle")?,
        recommendation: r.str("recommendation")?,
        member_state: r.str("member_state")?,
        voice: r.str("voice")?,
        partner: r.opt_str("partner")?,
        revision: r.i64("revision")?,
        status: r.str("status")?,
        narrative: r.opt_str("narrative")?,
        evidence: r.opt_str("evidence_json")?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default(),
        reported_at: r.str("reported_at")?,
        reported_by: r.str("reported_by_label")?,
    })
}

/// The latest revision of each voice's reports matching a clause over `ir`.
async fn current_reports(tx: &mut Tx, clause: &str, p: &[crate::Value]) -> Result<Vec<VoiceReport>, StorageError> {
    let rows = tx
        .fetch_all(
            &format!(
                "SELECT ir.* FROM implementation_report ir WHERE {clause} AND ir.revision = ( \
                   SELECT MAX(b.revision) FROM implementation_report b WHERE b.cycle = ir.cycle \
                   AND b.recommendation = ir.recommendation AND b.member_state = ir.member_state \
                   AND b.voice = ir.voice AND COALESCE(b.partner, '') = COALESCE(ir.partner, '')) \
                 ORDER BY ir.member_state, ir.recommendation, ir.voice, ir.partner"
            ),
            p,
        )
        .await?;
    rows.iter().map(report_from_row).collect()
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleRecommendation {
    pub id: String,
    pub meeting: String,
    pub number: String,
    pub heading: Option<String>,
    pub text: String,
    /// From an earlier meeting, carried forward because not all states reported it implemented.
    pub carried_forward: bool,
    /// The items nested under it, as "number text", in the document's order.
    pub parts: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cycle {
    pub id: String,
    pub meeting: String,
    pub title: String,
    pub reported_to: Option<String>,
    /// open or closed.
    pub status: String,
    pub opens_on: String,
    pub due_on: Option<String>,
    pub recommendations: Vec<CycleRecommendation>,
}

/// One cell of the matrix: what every voice reported for a recommendation in a
/// member state in this cycle, and where it stood before (an earlier cycle's
/// government report).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImplementationCell {
    pub recommendation: String,
    pub member_state: String,
    /// The government's status this cycle, else the latest from an earlier cycle,
    /// else no_information.
    pub status: String,
    /// The status comes from an earlier cycle.
    pub carried: bool,
    /// The government's status in the latest earlier cycle, for "progress since".
    pub previous_status: Option<String>,
    pub reports: Vec<VoiceReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImplementationMatrix {
    pub cycle: Cycle,
    pub member_states: Vec<String>,
    pub cells: Vec<ImplementationCell>,
}

async fn cycle_in(tx: &mut Tx, id: &str) -> Result<Option<Cycle>, StorageError> {
    let Some(c) = tx.fetch_optional("SELECT * FROM reporting_cycle WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let meeting = c.str("meeting")?;
    let recs = tx
        .fetch_all(
            "SELECT r.id, r.meeting, r.number, r.heading, r.text FROM cycle_recommendation cr \
             JOIN recommendation r ON r.id = cr.recommendation JOIN meeting m ON m.id = r.meeting \
             WHERE cr.cycle = $1 ORDER BY m.start_date, r.meeting, r.position",
            &params![id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CycleRecommendation {
                carried_forward: r.str("meeting")? != meeting,
                id: r.str("id")?,
                meeting: r.str("meeting")?,
                number: r.str("number")?,
                heading: r.opt_str("heading")?,
                text: r.str("text")?,
                parts: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let recs = with_parts(tx, recs).await?;
    Ok(Some(Cycle {
        id: c.str("id")?,
        meeting,
        title: c.str("title")?,
        reported_to: c.opt_str("reported_to")?,
        status: c.str("status")?,
        opens_on: c.str("opens_on")?,
        due_on: c.opt_str("due_on")?,
        recommendations: recs,
    }))
}

/// Fills in the items nested under each recommendation.
async fn with_parts(tx: &mut Tx, mut recs: Vec<CycleRecommendation>) -> Result<Vec<CycleRecommendation>, StorageError> {
    for rec in &mut recs {
        let parts = tx
            .fetch_all("SELECT number, text FROM recommendation WHERE parent = $1 ORDER BY position", &params![&rec.id])
            .await?;
        rec.parts = parts
            .iter()
            .map(|p| Ok(format!("{} {}", p.str("number")?, p.str("text")?)))
            .collect::<Result<_, StorageError>>()?;
    }
    Ok(recs)
}

/// Every cycle, newest first, without their recommendations listed.
pub async fn cycles(db: &Db) -> Result<Vec<Cycle>, StorageError> {
    let mut tx = db.begin_read().await?;
    let ids = tx.fetch_all("SELECT id FROM reporting_cycle ORDER BY opens_on DESC, id DESC", &[]).await?;
    let mut out = Vec::new();
    for r in ids {
        out.extend(cycle_in(&mut tx, &r.str("id")?).await?);
    }
    tx.commit().await?;
    Ok(out)
}

/// The recommendation × member state matrix of a cycle.
pub async fn matrix(db: &Db, id: &str) -> Result<Option<ImplementationMatrix>, StorageError> {
    let mut tx = db.begin_read().await?;
    let Some(cycle) = cycle_in(&mut tx, id).await? else { return Ok(None) };
    let opens = cycle.opens_on.clone();
    let states: Vec<String> = tx
        .fetch_all("SELECT code FROM member_state WHERE joined_on <= $1 ORDER BY code", &params![&opens])
        .await?
        .iter()
        .map(|r| r.str("code"))
        .collect::<Result<_, _>>()?;
    let reports = current_reports(&mut tx, "ir.cycle = $1", &params![id]).await?;
    // The government's latest status from earlier cycles, per (recommendation, state).
    let earlier = current_reports(
        &mut tx,
        "ir.voice = 'government' AND ir.cycle IN (SELECT c.id FROM reporting_cycle c WHERE c.id <> $1 AND c.opens_on <= $2)",
        &params![id, &opens],
    )
    .await?;
    let mut before: HashMap<(String, String), VoiceReport> = HashMap::new();
    for r in earlier {
        let key = (r.recommendation.clone(), r.member_state.clone());
        if before.get(&key).is_none_or(|b| b.reported_at < r.reported_at) {
            before.insert(key, r);
        }
    }
    let mut by_cell: HashMap<(String, String), Vec<VoiceReport>> = HashMap::new();
    for r in reports {
        by_cell.entry((r.recommendation.clone(), r.member_state.clone())).or_default().push(r);
    }
    let mut cells = Vec::new();
    for rec in &cycle.recommendations {
        for ms in &states {
            let key = (rec.id.clone(), ms.clone());
            let reports = by_cell.remove(&key).unwrap_or_default();
            let government = reports.iter().find(|r| r.voice == Voice::Government.as_str());
            let (status, carried) = match (government, before.get(&key)) {
                (Some(g), _) => (g.status.clone(), false),
                (None, Some(b)) => (b.status.clone(), true),
                (None, None) => (ImplementationStatus::NoInformation.as_str().to_string(), false),
            };
            cells.push(ImplementationCell {
                recommendation: rec.id.clone(),
                member_state: ms.clone(),
                status,
                carried,
                previous_status: before.get(&key).map(|b| b.status.clone()),
                reports,
            });
        }
    }
    tx.commit().await?;
    Ok(Some(ImplementationMatrix { cycle, member_states: states, cells }))
}

/// Per member state, the recommendations of an open cycle its government has not
/// reported on (and did not settle in an earlier cycle): the Secretariat's list.
pub async fn not_reported(db: &Db, id: &str) -> Result<Option<Vec<(String, Vec<String>)>>, StorageError> {
    let Some(m) = matrix(db, id).await? else { return Ok(None) };
    let mut out: Vec<(String, Vec<String>)> = m.member_states.iter().map(|s| (s.clone(), Vec::new())).collect();
    for cell in &m.cells {
        let settled_before =
            cell.carried && ImplementationStatus::parse(&cell.status).is_ok_and(ImplementationStatus::is_settled);
        let reported = cell.reports.iter().any(|r| r.voice == Voice::Government.as_str());
        if !reported && !settled_before {
            if let Some((_, list)) = out.iter_mut().find(|(s, _)| *s == cell.member_state) {
                list.push(cell.recommendation.clone());
            }
        }
    }
    Ok(Some(out))
}

/// Everything a member state was asked and reported, every cycle, newest first.
pub async fn country(db: &Db, member_state: &str) -> Result<Vec<VoiceReport>, StorageError> {
    let mut tx = db.begin_read().await?;
    let reports = current_reports(&mut tx, "ir.member_state = $1", &params![member_state]).await?;
    tx.commit().await?;
    Ok(reports)
}

/// Every revision of the reports on one recommendation, in one member state or all.
pub async fn history(
    db: &Db,
    recommendation: &str,
    member_state: Option<&str>,
) -> Result<Vec<VoiceReport>, StorageError> {
    let rows = db
        .fetch_all(
            "SELECT * FROM implementation_report WHERE recommendation = $1 AND ($2 IS NULL OR member_state = $2) \
             ORDER BY reported_at, revision",
            &params![recommendation, member_state],
        )
        .await?;
    rows.iter().map(report_from_row).collect()
}

/// A ratification event as the Secretariat records it, with its source.
#[derive(Debug, Clone)]
pub struct NewRatification {
    pub member_state: String,
    pub convention: String,
    pub event: RatificationEvent,
    pub date: String,
    pub source_document: String,
    pub source_section: Option<String>,
    pub source_reference: Option<String>,
}

/// Records a new dated ratification event. Nothing is edited in place: a
/// correction is another event with its own source.
pub async fn record_ratification(db: &Db, actor: &Actor, new: &NewRatification) -> Result<String, EditError> {
    let date = check_date("date", &new.date)?;
    if date > tripart_domain::time::today() {
        return Err(invalid("date", "a ratification event cannot be in the future"));
    }
    if new.source_document.trim().is_empty() {
        return Err(invalid("source_document", "say where the event is recorded (e.g. ILO NORMLEX)"));
    }
    check_length("source_document", Some(&new.source_document), 300)?;
    check_length("source_section", new.source_section.as_deref(), 300)?;
    check_length("source_reference", new.source_reference.as_deref(), 1000)?;
    let mut tx = db.begin().await?;
    authorize(actor, &Operation::EditRecord(Scope { bodies: vec![SECRETARIAT.into()], member_states: Vec::new() }))
        .map_err(|d| EditError::Denied(d.0))?;
    if tx.fetch_optional("SELECT code FROM member_state WHERE code = $1", &params![&new.member_state]).await?.is_none()
    {
        return Err(invalid("member_state", "not a member state code"));
    }
    if tx.fetch_optional("SELECT id FROM convention WHERE id = $1", &params![&new.convention]).await?.is_none() {
        return Err(invalid("convention", "not a convention of the catalogue"));
    }
    let id = format!("{}-{}-{}-{}", new.member_state, new.convention, new.event.as_str(), date).to_lowercase();
    if tx.fetch_optional("SELECT id FROM ratification_event WHERE id = $1", &params![&id]).await?.is_some() {
        return Err(invalid("date", "this event is already recorded"));
    }
    tx.execute(
        "INSERT INTO ratification_event (id, member_state, convention, event, event_date, source_document, \
         source_section, source_file, source_reference, locally_edited) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, 1)",
        &params![
            &id,
            &new.member_state,
            &new.convention,
            new.event.as_str(),
            &date,
            new.source_document.trim(),
            new.source_section.as_deref().unwrap_or(""),
            new.source_reference.as_deref()
        ],
    )
    .await?;
    let row = tx.fetch_optional("SELECT * FROM ratification_event WHERE id = $1", &params![&id]).await?;
    audit::record(&mut tx, actor, "create", "ratification", &id, None, row.as_ref().map(row_json).as_ref(), None)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether `target` names an SDG target: goal number, a dot, a target number or
/// letter (`8.7`, `10.7`, `16.b`).
pub fn is_sdg_target(target: &str) -> bool {
    let Some((goal, t)) = target.split_once('.') else { return false };
    let goal_ok = goal.parse::<u8>().is_ok_and(|g| (1..=17).contains(&g)) && !goal.starts_with('0');
    let target_ok = !t.is_empty()
        && t.len() <= 2
        && (t.chars().all(|c| c.is_ascii_digit()) || (t.len() == 1 && t.chars().all(|c| c.is_ascii_lowercase())));
    goal_ok && target_ok
}

/// A recommendation's links to thematic areas (programme nodes) and SDG targets.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendationLinks {
    pub recommendation: String,
    pub thematic_areas: Vec<String>,
    pub sdg_targets: Vec<String>,
    /// Themes that group it with similar recommendations of other meetings.
    pub themes: Vec<String>,
}

/// The scope of a recommendation: the body that organised its meeting, and the Secretariat.
async fn recommendation_scope(tx: &mut Tx, recommendation: &str) -> Result<Scope, EditError> {
    let r = tx
        .fetch_optional("SELECT meeting FROM recommendation WHERE id = $1", &params![recommendation])
        .await?
        .ok_or_else(|| {
            EditError::NotFound(format!("no recommendation `{}`", tripart_domain::ids::truncate(recommendation, 60)))
        })?;
    Ok(meeting_scope(tx, &r.str("meeting")?).await?.0)
}

/// Replaces a recommendation's links to thematic areas and SDG targets.
pub async fn set_links(
    db: &Db,
    actor: &Actor,
    recommendation: &str,
    thematic_areas: &[String],
    sdg_targets: &[String],
) -> Result<(), EditError> {
    if thematic_areas.len() > 30 || sdg_targets.len() > 30 {
        return Err(invalid("thematic_areas", "at most 30 thematic areas and 30 SDG targets"));
    }
    for (i, t) in sdg_targets.iter().enumerate() {
        if !is_sdg_target(t) {
            return Err(invalid(&format!("sdg_targets[{i}]"), "an SDG target such as 8.7, 10.7 or 16.b"));
        }
    }
    let mut tx = db.begin().await?;
    let scope = recommendation_scope(&mut tx, recommendation).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    for (i, node) in thematic_areas.iter().enumerate() {
        if tx.fetch_optional("SELECT id FROM programme_node WHERE id = $1", &params![node]).await?.is_none() {
            return Err(invalid(&format!("thematic_areas[{i}]"), "not a thematic area (programme node) id"));
        }
    }
    let before = links_in(&mut tx, recommendation).await?;
    tx.execute("DELETE FROM recommendation_node WHERE recommendation = $1", &params![recommendation]).await?;
    tx.execute("DELETE FROM recommendation_sdg WHERE recommendation = $1", &params![recommendation]).await?;
    let mut nodes = thematic_areas.to_vec();
    nodes.sort();
    nodes.dedup();
    for node in &nodes {
        tx.execute(
            "INSERT INTO recommendation_node (recommendation, node) VALUES ($1, $2)",
            &params![recommendation, node],
        )
        .await?;
    }
    let mut targets = sdg_targets.to_vec();
    targets.sort();
    targets.dedup();
    for target in &targets {
        tx.execute(
            "INSERT INTO recommendation_sdg (recommendation, target) VALUES ($1, $2)",
            &params![recommendation, target],
        )
        .await?;
    }
    let after = links_in(&mut tx, recommendation).await?;
    let json = |l: &RecommendationLinks| serde_json::to_value(l).unwrap_or_default();
    audit::record(
        &mut tx,
        actor,
        "update",
        "recommendation_links",
        recommendation,
        Some(&json(&before)),
        Some(&json(&after)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn links_in(tx: &mut Tx, recommendation: &str) -> Result<RecommendationLinks, StorageError> {
    let column = |rows: Vec<Row>, c: &str| rows.iter().map(|r| r.str(c)).collect::<Result<Vec<_>, _>>();
    let nodes = tx
        .fetch_all(
            "SELECT node FROM recommendation_node WHERE recommendation = $1 ORDER BY node",
            &params![recommendation],
        )
        .await?;
    let sdgs = tx
        .fetch_all(
            "SELECT target FROM recommendation_sdg WHERE recommendation = $1 ORDER BY target",
            &params![recommendation],
        )
        .await?;
    let themes = tx
        .fetch_all(
            "SELECT theme FROM recommendation_theme_member WHERE recommendation = $1 ORDER BY theme",
            &params![recommendation],
        )
        .await?;
    // SDG targets in the SDGs' own order: goal 8 before goal 10.
    let mut sdg_targets = column(sdgs, "target")?;
    sdg_targets.sort_by_key(|t| {
        let (goal, target) = t.split_once('.').unwrap_or((t.as_str(), ""));
        (goal.parse::<u32>().unwrap_or(u32::MAX), target.parse::<u32>().unwrap_or(u32::MAX - 1), target.to_string())
    });
    Ok(RecommendationLinks {
        recommendation: recommendation.to_string(),
        thematic_areas: column(nodes, "node")?,
        sdg_targets,
        themes: column(themes, "theme")?,
    })
}

pub async fn links(db: &Db, recommendation: &str) -> Result<RecommendationLinks, StorageError> {
    let mut tx = db.begin_read().await?;
    let l = links_in(&mut tx, recommendation).await?;
    tx.commit().await?;
    Ok(l)
}

/// A theme followed across meetings, with where each member state stands on each
/// of its recommendations (the government's latest report, any cycle).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub recommendations: Vec<CycleRecommendation>,
    /// Every voice's latest report on the theme's recommendations, any cycle.
    pub reports: Vec<VoiceReport>,
}

/// Groups recommendations of several meetings under one theme (the Secretariat,
/// or the secretariat of the body whose meetings adopted them).
pub async fn create_theme(
    db: &Db,
    actor: &Actor,
    title: &str,
    description: Option<&str>,
    recommendations: &[String],
) -> Result<String, EditError> {
    if title.trim().is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    check_length("title", Some(title), 300)?;
    check_length("description", description, 5000)?;
    if recommendations.is_empty() || recommendations.len() > 200 {
        return Err(invalid("recommendations", "between 1 and 200 recommendations"));
    }
    let mut tx = db.begin().await?;
    for (i, r) in recommendations.iter().enumerate() {
        let scope = recommendation_scope(&mut tx, r).await.map_err(|e| match e {
            EditError::NotFound(m) => invalid(&format!("recommendations[{i}]"), m),
            other => other,
        })?;
        authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    }
    let base = tripart_domain::ids::slug_from_title(title, 8, "theme");
    let mut id = base.clone();
    let mut n = 1;
    while tx.fetch_optional("SELECT id FROM recommendation_theme WHERE id = $1", &params![&id]).await?.is_some() {
        n += 1;
        id = format!("{base}-{n}");
    }
    tx.execute(
        "INSERT INTO recommendation_theme (id, title, description, created_at) VALUES ($1, $2, $3, $4)",
        &params![&id, title.trim(), description, tripart_domain::time::now()],
    )
    .await?;
    let mut members = recommendations.to_vec();
    members.sort();
    members.dedup();
    for r in &members {
        tx.execute("INSERT INTO recommendation_theme_member (theme, recommendation) VALUES ($1, $2)", &params![&id, r])
            .await?;
    }
    let row = tx.fetch_optional("SELECT * FROM recommendation_theme WHERE id = $1", &params![&id]).await?;
    audit::record(
        &mut tx,
        actor,
        "create",
        "recommendation_theme",
        &id,
        None,
        row.as_ref().map(row_json).as_ref(),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn theme(db: &Db, id: &str) -> Result<Option<Theme>, StorageError> {
    let mut tx = db.begin_read().await?;
    let Some(t) = tx.fetch_optional("SELECT * FROM recommendation_theme WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let recommendations = tx
        .fetch_all(
            "SELECT r.id, r.meeting, r.number, r.heading, r.text FROM recommendation_theme_member tm \
             JOIN recommendation r ON r.id = tm.recommendation JOIN meeting m ON m.id = r.meeting \
             WHERE tm.theme = $1 ORDER BY m.start_date, r.position",
            &params![id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CycleRecommendation {
                id: r.str("id")?,
                meeting: r.str("meeting")?,
                number: r.str("number")?,
                heading: r.opt_str("heading")?,
                text: r.str("text")?,
                carried_forward: false,
                parts: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let recommendations = with_parts(&mut tx, recommendations).await?;
    let reports = current_reports(
        &mut tx,
        "ir.recommendation IN (SELECT recommendation FROM recommendation_theme_member WHERE theme = $1)",
        &params![id],
    )
    .await?;
    let theme = Theme {
        id: t.str("id")?,
        title: t.str("title")?,
        description: t.opt_str("description")?,
        recommendations,
        reports,
    };
    tx.commit().await?;
    Ok(Some(theme))
}

/// Every theme, by title.
pub async fn themes(db: &Db) -> Result<Vec<(String, String)>, StorageError> {
    let rows = db.fetch_all("SELECT id, title FROM recommendation_theme ORDER BY title", &[]).await?;
    rows.iter().map(|r| Ok((r.str("id")?, r.str("title")?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdg_targets_are_recognised() {
        for ok in ["8.5", "8.7", "10.7", "16.b", "17.19"] {
            assert!(is_sdg_target(ok), "{ok}");
        }
        for bad in ["8", "18.1", "0.1", "8.", ".7", "8.7.1", "8.ab", "08.7"] {
            assert!(!is_sdg_target(bad), "{bad}");
        }
    }
}
