//! Outcome-based mid-term and final reviews of a programme by SLOM (2016-2020
//! Work Programme, note 3: "every 2.5 years"): findings and a rating per key
//! result area or strategic priority, with evidence, and recommendations that
//! become trackable actions of the next plan. Also actions continued from one
//! plan into the next, keeping their lineage.

use super::{check_length, invalid, Link};
use crate::audit::{self, new_id, row_json};
use crate::edit::{action_scope, EditError};
use crate::{params, Db, StorageError, Tx};
use serde::{Deserialize, Serialize};
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::{ReviewKind, ReviewRating, ReviewStatus};
use tripart_domain::vocab::ActionStatus;
use tripart_domain::Calendar;

/// Node kinds a review rates: the programme's outcome level.
const RATED_KINDS: &[&str] = &["key_result_area", "strategic_priority", "thematic_area", "priority_area", "thrust"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The key result area or strategic priority (programme node id).
    pub node: String,
    /// achieved, largely_achieved, partly_achieved, not_achieved, too_early.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rating: ReviewRating,
    pub findings: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRecommendation {
    pub id: String,
    pub text: String,
    /// The action of the next plan that carries it, once created.
    pub action: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: String,
    pub programme: String,
    /// mid_term or final.
    pub kind: String,
    pub due_on: String,
    /// draft or final.
    pub status: String,
    pub summary: Option<String>,
    pub version: i64,
    pub findings: Vec<Finding>,
    pub recommendations: Vec<ReviewRecommendation>,
    /// The nodes a finding may rate, with their titles.
    pub rateable: Vec<RateableNode>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateableNode {
    pub id: String,
    pub kind: String,
    pub label: Option<String>,
    pub title: String,
}

/// The programme's owner decides on its reviews, with the senior officials who
/// manage it for the ministers (SLOM for the Work Programme).
async fn programme_scope(tx: &mut Tx, programme: &str) -> Result<(Scope, i64, Option<i64>), EditError> {
    let p = tx
        .fetch_optional("SELECT owner, start_year, end_year FROM programme WHERE id = $1", &params![programme])
        .await?
        .ok_or_else(|| {
            EditError::NotFound(format!("no programme `{}`", tripart_domain::ids::truncate(programme, 60)))
        })?;
    let owner = p.str("owner")?;
    // SLOM reviews the ministers' Work Programme: the senior officials reporting
    // to a programme's owner act for it.
    let mut bodies = vec![owner.clone()];
    for r in tx
        .fetch_all("SELECT id FROM body WHERE reports_to = $1 AND kind = 'senior_officials'", &params![&owner])
        .await?
    {
        bodies.push(r.str("id")?);
    }
    Ok((Scope { bodies, member_states: Vec::new() }, p.i64("start_year")?, p.opt_i64("end_year")?))
}

/// Opens the mid-term or final review of a programme (or returns the one open).
pub async fn open_review(db: &Db, actor: &Actor, programme: &str, kind: ReviewKind) -> Result<String, EditError> {
    let mut tx = db.begin().await?;
    let (scope, start, end) = programme_scope(&mut tx, programme).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    let id = format!("{programme}.{}", kind.as_str());
    if tx.fetch_optional("SELECT id FROM programme_review WHERE id = $1", &params![&id]).await?.is_some() {
        return Ok(id);
    }
    let due = kind.due_on(start as i32, end.unwrap_or(start) as i32);
    let now = tripart_domain::time::now();
    tx.execute(
        "INSERT INTO programme_review (id, programme, kind, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'draft', $5, $5)",
        &params![&id, programme, kind.as_str(), &due, &now],
    )
    .await?;
    let row = tx.fetch_optional("SELECT * FROM programme_review WHERE id = $1", &params![&id]).await?;
    audit::record(&mut tx, actor, "create", "programme_review", &id, None, row.as_ref().map(row_json).as_ref(), None)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// What a reviewer saves.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewChange {
    /// The version read.
    pub version: i64,
    pub summary: Option<String>,
    /// Replaces the findings of the nodes it names; others stay.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// New recommendations, appended.
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// Marks the review final: no more changes.
    #[serde(default)]
    pub finalise: bool,
}

pub async fn save_review(db: &Db, actor: &Actor, id: &str, change: &ReviewChange) -> Result<i64, EditError> {
    check_length("summary", change.summary.as_deref(), 50_000)?;
    if change.findings.len() > 100 || change.recommendations.len() > 100 {
        return Err(invalid("findings", "at most 100 findings and 100 recommendations at once"));
    }
    let mut tx = db.begin().await?;
    let before = tx
        .fetch_optional("SELECT * FROM programme_review WHERE id = $1", &params![id])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no review `{}`", tripart_domain::ids::truncate(id, 60))))?;
    let programme = before.str("programme")?;
    let (scope, _, _) = programme_scope(&mut tx, &programme).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    if before.i64("version")? != change.version {
        return Err(EditError::Conflict { version: before.i64("version")?, current: row_json(&before) });
    }
    if before.str("status")? == ReviewStatus::Final.as_str() {
        return Err(invalid("status", "the review is final"));
    }
    for (i, f) in change.findings.iter().enumerate() {
        let field = format!("findings[{i}]");
        check_length(&format!("{field}.findings"), f.findings.as_deref(), 20_000)?;
        for (j, l) in f.evidence.iter().enumerate() {
            l.check(&format!("{field}.evidence[{j}]"))?;
        }
        let node = tx
            .fetch_optional(
                "SELECT kind FROM programme_node WHERE id = $1 AND programme = $2",
                &params![&f.node, &programme],
            )
            .await?;
        match node.map(|n| n.str("kind")).transpose()? {
            Some(kind) if RATED_KINDS.contains(&kind.as_str()) => {}
            Some(kind) => {
                return Err(invalid(&format!("{field}.node"), format!("a review rates outcome areas, not a {kind}")))
            }
            None => return Err(invalid(&format!("{field}.node"), format!("not a node of {programme}"))),
        }
        let evidence = serde_json::to_string(&f.evidence).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        tx.execute("DELETE FROM review_finding WHERE review = $1 AND node = $2", &params![id, &f.node]).await?;
        tx.execute(
            "INSERT INTO review_finding (review, node, rating, findings, evidence_json) VALUES ($1, $2, $3, $4, $5)",
            &params![id, &f.node, f.rating.as_str(), f.findings.as_deref(), evidence],
        )
        .await?;
    }
    let start = tx
        .fetch_optional("SELECT COUNT(*) AS n FROM review_recommendation WHERE review = $1", &params![id])
        .await?
        .map(|r| r.i64("n"))
        .transpose()?
        .unwrap_or(0);
    for (i, text) in change.recommendations.iter().enumerate() {
        if text.trim().is_empty() {
            return Err(invalid(&format!("recommendations[{i}]"), "must not be empty"));
        }
        check_length(&format!("recommendations[{i}]"), Some(text), 5000)?;
        tx.execute(
            "INSERT INTO review_recommendation (id, review, position, text) VALUES ($1, $2, $3, $4)",
            &params![new_id(), id, start + i as i64, text.trim()],
        )
        .await?;
    }
    let status = if change.finalise { ReviewStatus::Final } else { ReviewStatus::Draft };
    tx.execute(
        "UPDATE programme_review SET summary = COALESCE($1, summary), status = $2, updated_at = $3, version = version + 1 \
         WHERE id = $4",
        &params![change.summary.as_deref(), status.as_str(), tripart_domain::time::now(), id],
    )
    .await?;
    let after = tx
        .fetch_optional("SELECT * FROM programme_review WHERE id = $1", &params![id])
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("review {id} vanished")))?;
    audit::record(
        &mut tx,
        actor,
        "update",
        "programme_review",
        id,
        Some(&row_json(&before)),
        Some(&row_json(&after)),
        None,
    )
    .await?;
    let version = after.i64("version")?;
    tx.commit().await?;
    Ok(version)
}

pub async fn review(db: &Db, id: &str) -> Result<Option<Review>, StorageError> {
    let Some(r) = db.fetch_optional("SELECT * FROM programme_review WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let findings = db
        .fetch_all(
            "SELECT f.* FROM review_finding f JOIN programme_node n ON n.id = f.node WHERE f.review = $1 ORDER BY n.position, n.id",
            &params![id],
        )
        .await?
        .iter()
        .map(|f| {
            Ok(Finding {
                node: f.str("node")?,
                rating: ReviewRating::parse(&f.str("rating")?).map_err(|e| StorageError::Corrupt(e.0))?,
                findings: f.opt_str("findings")?,
                evidence: f.opt_str("evidence_json")?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let recommendations = db
        .fetch_all("SELECT * FROM review_recommendation WHERE review = $1 ORDER BY position", &params![id])
        .await?
        .iter()
        .map(|r| Ok(ReviewRecommendation { id: r.str("id")?, text: r.str("text")?, action: r.opt_str("action")? }))
        .collect::<Result<Vec<_>, StorageError>>()?;
    let programme = r.str("programme")?;
    let kinds = RATED_KINDS.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    let rateable = db
        .fetch_all(
            &format!(
                "SELECT id, kind, label, title FROM programme_node WHERE programme = $1 AND kind IN ({kinds}) \
                 AND parent IS NULL ORDER BY position, id"
            ),
            &params![&programme],
        )
        .await?
        .iter()
        .map(|n| {
            Ok(RateableNode {
                id: n.str("id")?,
                kind: n.str("kind")?,
                label: n.opt_str("label")?,
                title: n.str("title")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Some(Review {
        id: r.str("id")?,
        programme,
        kind: r.str("kind")?,
        due_on: r.str("due_on")?,
        status: r.str("status")?,
        summary: r.opt_str("summary")?,
        version: r.i64("version")?,
        findings,
        recommendations,
        rateable,
    }))
}

/// The reviews of a programme (or all), due date order.
pub async fn reviews(db: &Db, programme: Option<&str>) -> Result<Vec<Review>, StorageError> {
    let ids = db
        .fetch_all(
            "SELECT id FROM programme_review WHERE ($1 IS NULL OR programme = $1) ORDER BY due_on, id",
            &params![programme],
        )
        .await?;
    let mut out = Vec::new();
    for r in ids {
        out.extend(review(db, &r.str("id")?).await?);
    }
    Ok(out)
}

/// Where a new action goes.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAction {
    pub programme: String,
    /// The structure node (thematic area …) it belongs to.
    pub node: Option<String>,
    pub title: Option<String>,
    /// The indicative calendar, as the plan writes it (`2021-2025`).
    pub calendar: Option<String>,
    /// Responsible bodies; the programme's owner when empty.
    #[serde(default)]
    pub bodies: Vec<String>,
}

/// Creates an action in a programme; with `continues`, as the continuation of an
/// action of an earlier plan (its history then shows that action's updates).
async fn create_action(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewAction,
    title: &str,
    continues: Option<&str>,
) -> Result<String, EditError> {
    if title.trim().is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    check_length("title", Some(title), 2000)?;
    check_length("calendar", new.calendar.as_deref(), 200)?;
    let (mut scope, _, _) = programme_scope(tx, &new.programme).await?;
    let owner = scope.bodies.first().cloned().unwrap_or_default();
    let bodies = if new.bodies.is_empty() { vec![owner] } else { new.bodies.clone() };
    for b in &bodies {
        if tx.fetch_optional("SELECT id FROM body WHERE id = $1", &params![b]).await?.is_none() {
            return Err(invalid("bodies", format!("no body `{}`", tripart_domain::ids::truncate(b, 60))));
        }
    }
    scope.bodies.extend(bodies.iter().cloned());
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    if let Some(node) = &new.node {
        if tx
            .fetch_optional(
                "SELECT id FROM programme_node WHERE id = $1 AND programme = $2",
                &params![node, &new.programme],
            )
            .await?
            .is_none()
        {
            return Err(invalid("node", format!("not a node of {}", new.programme)));
        }
    }
    let position = tx
        .fetch_optional(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM action WHERE programme = $1",
            &params![&new.programme],
        )
        .await?
        .map(|r| r.i64("p"))
        .transpose()?
        .unwrap_or(1);
    let key = format!("t{position}");
    let id = format!("{}.{key}", new.programme);
    let calendar = new.calendar.as_deref().map(Calendar::parse);
    let years = calendar.as_ref().and_then(Calendar::years);
    tx.execute(
        "INSERT INTO action (id, programme, action_key, kind, title, node, calendar_text, calendar_kind, start_year, \
         end_year, status, status_stated, position, source_document, source_section, source_file, locally_edited, \
         created_by) VALUES ($1, $2, $3, 'recommended_action', $4, $5, $6, $7, $8, $9, $10, 1, $11, \
         'Recorded in Tripart', '', '', 1, $12)",
        &params![
            &id,
            &new.programme,
            &key,
            title.trim(),
            new.node.as_deref(),
            new.calendar.as_deref(),
            calendar.as_ref().map_or("unparsed", |c| c.kind()),
            years.map(|y| i64::from(y.0)),
            years.map(|y| i64::from(y.1)),
            ActionStatus::Planned.as_str(),
            position,
            actor.user_id()
        ],
    )
    .await?;
    for b in &bodies {
        tx.execute("INSERT INTO action_body (action, body) VALUES ($1, $2)", &params![&id, b]).await?;
    }
    if let Some(previous) = continues {
        tx.execute("INSERT INTO action_continuation (action, continues) VALUES ($1, $2)", &params![&id, previous])
            .await?;
    }
    let row = tx.fetch_optional("SELECT * FROM action WHERE id = $1", &params![&id]).await?;
    audit::record(
        tx,
        actor,
        "create",
        "action",
        &id,
        None,
        row.as_ref().map(row_json).as_ref(),
        continues.map(|p| format!("continues {p}")).as_deref(),
    )
    .await?;
    Ok(id)
}

/// Turns a review recommendation into an action of the next plan.
pub async fn adopt_recommendation(
    db: &Db,
    actor: &Actor,
    recommendation: &str,
    into: &NewAction,
) -> Result<String, EditError> {
    let mut tx = db.begin().await?;
    let rec = tx
        .fetch_optional("SELECT * FROM review_recommendation WHERE id = $1", &params![recommendation])
        .await?
        .ok_or_else(|| {
        EditError::NotFound(format!("no review recommendation `{}`", tripart_domain::ids::truncate(recommendation, 60)))
    })?;
    if rec.opt_str("action")?.is_some() {
        return Err(invalid("recommendation", "this recommendation already has its action"));
    }
    let title = into.title.clone().unwrap_or(rec.str("text")?);
    let id = create_action(&mut tx, actor, into, &title, None).await?;
    tx.execute("UPDATE review_recommendation SET action = $1 WHERE id = $2", &params![&id, recommendation]).await?;
    tx.commit().await?;
    Ok(id)
}

/// Continues an action into another (later) plan, keeping its lineage.
pub async fn continue_action(db: &Db, actor: &Actor, from: &str, into: &NewAction) -> Result<String, EditError> {
    let mut tx = db.begin().await?;
    let previous = tx
        .fetch_optional("SELECT * FROM action WHERE id = $1", &params![from])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no action `{}`", tripart_domain::ids::truncate(from, 60))))?;
    if previous.str("programme")? == into.programme {
        return Err(invalid("programme", "an action continues into another plan, not its own"));
    }
    if tx.fetch_optional("SELECT action FROM action_continuation WHERE continues = $1", &params![from]).await?.is_some()
    {
        return Err(invalid("action", "this action was already continued"));
    }
    // Whoever may edit the earlier action's plan or the new one may not alone
    // decide: both sides must be the actor's.
    let scope = action_scope(&mut tx, from).await?;
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    let title = into.title.clone().unwrap_or(previous.str("title")?);
    let id = create_action(&mut tx, actor, into, &title, Some(from)).await?;
    tx.commit().await?;
    Ok(id)
}
