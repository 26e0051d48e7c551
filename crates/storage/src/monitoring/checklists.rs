//! The output-level checklist (scorecard) of the 2016-2020 Work Programme (note
//! 3): templates the ASEAN Secretariat drafts and versions, completed by each
//! subsidiary body per year. A published template never changes; a new version
//! is a new template. Every save of a body's answers is a revision, and each
//! answer's earlier values stay.

use super::{check_length, invalid};
use crate::audit::{self, row_json};
use crate::edit::EditError;
use crate::{params, Db, Row, StorageError, Tx};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::{check_answer, AnswerType, ChecklistCategory, ChecklistStatus, TemplateStatus};

/// The body whose secretariat drafts the templates.
pub const SECRETARIAT: &str = "asec";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    pub key: String,
    /// data_information_statistics or laws_standards_policies.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub category: ChecklistCategory,
    pub question: String,
    /// yes_no, level, number or text.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub answer_type: AnswerType,
    /// For `level`: the scale, lowest first.
    #[serde(default)]
    pub levels: Vec<String>,
    pub guidance: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    pub id: String,
    pub family: String,
    pub version: i64,
    pub title: String,
    /// draft or published.
    pub status: String,
    pub notes: Option<String>,
    pub created_at: String,
    pub published_at: Option<String>,
    pub items: Vec<TemplateItem>,
}

/// A template as drafted.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub family: String,
    pub title: String,
    pub notes: Option<String>,
    #[serde(alias = "item")]
    pub items: Vec<TemplateItem>,
}

fn check_template(t: &NewTemplate) -> Result<(), EditError> {
    tripart_domain::Slug::parse(&t.family).map_err(|e| invalid("family", e.0))?;
    if t.title.trim().is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    check_length("title", Some(&t.title), 300)?;
    check_length("notes", t.notes.as_deref(), 5000)?;
    if t.items.is_empty() || t.items.len() > 200 {
        return Err(invalid("items", "between 1 and 200 items"));
    }
    let mut keys = std::collections::HashSet::new();
    for (i, item) in t.items.iter().enumerate() {
        let field = |f: &str| format!("items[{i}].{f}");
        tripart_domain::Slug::parse(&item.key).map_err(|e| invalid(&field("key"), e.0))?;
        if !keys.insert(item.key.as_str()) {
            return Err(invalid(&field("key"), format!("`{}` is used twice", item.key)));
        }
        if item.question.trim().is_empty() {
            return Err(invalid(&field("question"), "must not be empty"));
        }
        check_length(&field("question"), Some(&item.question), 1000)?;
        check_length(&field("guidance"), item.guidance.as_deref(), 5000)?;
        match item.answer_type {
            AnswerType::Level if item.levels.len() < 2 || item.levels.len() > 10 => {
                return Err(invalid(&field("levels"), "a level answer needs a scale of 2 to 10 levels"));
            }
            AnswerType::Level => {}
            _ if !item.levels.is_empty() => {
                return Err(invalid(&field("levels"), "only level answers have a scale"));
            }
            _ => {}
        }
        if item.levels.iter().any(|l| l.trim().is_empty() || l.chars().count() > 100) {
            return Err(invalid(&field("levels"), "each level is 1 to 100 characters"));
        }
    }
    Ok(())
}

/// Drafts a new version of a template family (version 1 for a new family).
pub async fn draft_template(db: &Db, actor: &Actor, template: &NewTemplate) -> Result<String, EditError> {
    check_template(template)?;
    let mut tx = db.begin().await?;
    authorize(actor, &Operation::EditRecord(secretariat_scope())).map_err(|d| EditError::Denied(d.0))?;
    let id = insert_template(&mut tx, actor, template, TemplateStatus::Draft).await?;
    tx.commit().await?;
    Ok(id)
}

fn secretariat_scope() -> Scope {
    Scope { bodies: vec![SECRETARIAT.into()], member_states: Vec::new() }
}

async fn insert_template(
    tx: &mut Tx,
    actor: &Actor,
    t: &NewTemplate,
    status: TemplateStatus,
) -> Result<String, EditError> {
    let version = tx
        .fetch_optional("SELECT MAX(version) AS v FROM checklist_template WHERE family = $1", &params![&t.family])
        .await?
        .map(|r| r.opt_i64("v"))
        .transpose()?
        .flatten()
        .unwrap_or(0)
        + 1;
    let id = format!("{}-v{version}", t.family);
    let now = tripart_domain::time::now();
    let published = (status == TemplateStatus::Published).then(|| now.clone());
    tx.execute(
        "INSERT INTO checklist_template (id, family, version, title, status, notes, created_at, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &params![&id, &t.family, version, t.title.trim(), status.as_str(), t.notes.as_deref(), &now, published],
    )
    .await?;
    for (i, item) in t.items.iter().enumerate() {
        let levels = (!item.levels.is_empty()).then(|| serde_json::Value::from(item.levels.clone()).to_string());
        tx.execute(
            "INSERT INTO checklist_item (template, item_key, position, category, question, answer_type, levels_json, \
             guidance) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &params![
                &id,
                &item.key,
                i as i64,
                item.category.as_str(),
                item.question.trim(),
                item.answer_type.as_str(),
                levels,
                item.guidance.as_deref()
            ],
        )
        .await?;
    }
    let row = tx.fetch_optional("SELECT * FROM checklist_template WHERE id = $1", &params![&id]).await?;
    audit::record(tx, actor, "create", "checklist_template", &id, None, row.as_ref().map(row_json).as_ref(), None)
        .await?;
    Ok(id)
}

/// Publishes a drafted template: from then on it is frozen, and bodies complete
/// the newest published version of its family.
pub async fn publish_template(db: &Db, actor: &Actor, id: &str) -> Result<(), EditError> {
    let mut tx = db.begin().await?;
    authorize(actor, &Operation::EditRecord(secretariat_scope())).map_err(|d| EditError::Denied(d.0))?;
    let before = tx
        .fetch_optional("SELECT * FROM checklist_template WHERE id = $1", &params![id])
        .await?
        .ok_or_else(|| EditError::NotFound(format!("no template `{}`", tripart_domain::ids::truncate(id, 60))))?;
    if before.str("status")? == TemplateStatus::Published.as_str() {
        return Err(invalid("status", "the template is already published"));
    }
    tx.execute(
        "UPDATE checklist_template SET status = 'published', published_at = $1 WHERE id = $2",
        &params![tripart_domain::time::now(), id],
    )
    .await?;
    let after = tx.fetch_optional("SELECT * FROM checklist_template WHERE id = $1", &params![id]).await?;
    audit::record(
        &mut tx,
        actor,
        "publish",
        "checklist_template",
        id,
        Some(&row_json(&before)),
        after.as_ref().map(row_json).as_ref(),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Installs the starter template when there is none (see `starter/checklist.toml`),
/// inside the seeding transaction so that servers starting together install it once.
pub(crate) async fn install_starter(tx: &mut Tx) -> Result<bool, StorageError> {
    if tx.fetch_optional("SELECT id FROM checklist_template", &[]).await?.is_some() {
        return Ok(false);
    }
    let starter: NewTemplate = toml::from_str(include_str!("../../starter/checklist.toml"))
        .map_err(|e| StorageError::Corrupt(format!("starter checklist: {e}")))?;
    check_template(&starter).map_err(|e| StorageError::Corrupt(format!("starter checklist: {e}")))?;
    insert_template(tx, &Actor::System, &starter, TemplateStatus::Published).await.map_err(|e| match e {
        EditError::Storage(s) => s,
        other => StorageError::Corrupt(other.to_string()),
    })?;
    Ok(true)
}

async fn template_in(tx: &mut Tx, id: &str) -> Result<Option<Template>, StorageError> {
    let Some(t) = tx.fetch_optional("SELECT * FROM checklist_template WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let items =
        tx.fetch_all("SELECT * FROM checklist_item WHERE template = $1 ORDER BY position", &params![id]).await?;
    Ok(Some(Template {
        id: t.str("id")?,
        family: t.str("family")?,
        version: t.i64("version")?,
        title: t.str("title")?,
        status: t.str("status")?,
        notes: t.opt_str("notes")?,
        created_at: t.str("created_at")?,
        published_at: t.opt_str("published_at")?,
        items: items.iter().map(item_from_row).collect::<Result<_, _>>()?,
    }))
}

fn item_from_row(r: &Row) -> Result<TemplateItem, StorageError> {
    let corrupt = |e: tripart_domain::ParseError| StorageError::Corrupt(e.0);
    Ok(TemplateItem {
        key: r.str("item_key")?,
        category: ChecklistCategory::parse(&r.str("category")?).map_err(corrupt)?,
        question: r.str("question")?,
        answer_type: AnswerType::parse(&r.str("answer_type")?).map_err(corrupt)?,
        levels: r.opt_str("levels_json")?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default(),
        guidance: r.opt_str("guidance")?,
    })
}

pub async fn template(db: &Db, id: &str) -> Result<Option<Template>, StorageError> {
    let mut tx = db.begin_read().await?;
    let t = template_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(t)
}

/// Every template, newest version of each family first.
pub async fn templates(db: &Db) -> Result<Vec<Template>, StorageError> {
    let mut tx = db.begin_read().await?;
    let ids = tx.fetch_all("SELECT id FROM checklist_template ORDER BY family, version DESC", &[]).await?;
    let mut out = Vec::new();
    for r in ids {
        out.extend(template_in(&mut tx, &r.str("id")?).await?);
    }
    tx.commit().await?;
    Ok(out)
}

/// The newest published template: what a body starting its checklist gets.
async fn current_template(tx: &mut Tx) -> Result<Option<String>, StorageError> {
    let r = tx
        .fetch_optional(
            "SELECT id FROM checklist_template WHERE status = 'published' ORDER BY published_at DESC, version DESC",
            &[],
        )
        .await?;
    r.map(|r| r.str("id")).transpose()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub key: String,
    pub category: String,
    pub question: String,
    pub answer_type: String,
    pub levels: Vec<String>,
    pub guidance: Option<String>,
    pub value: Option<String>,
    pub comment: Option<String>,
    /// The revision in which this answer was last changed.
    pub revision: Option<i64>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
}

/// A body's checklist for a year, with the current answer to every item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistView {
    pub id: String,
    pub body: String,
    pub year: i64,
    pub template: String,
    pub template_title: String,
    pub template_version: i64,
    /// draft or submitted.
    pub status: String,
    pub revision: i64,
    pub answered: i64,
    pub items: i64,
    pub answers: Vec<Answer>,
}

/// One answer as given.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GivenAnswer {
    pub key: String,
    /// Empty or absent clears the answer.
    pub value: Option<String>,
    pub comment: Option<String>,
}

/// Saves a body's answers for a year as a new revision (only changed answers are
/// written) and, with `submit`, marks the checklist submitted. The body's
/// secretariat completes it. Returns the revision.
pub async fn save_answers(
    db: &Db,
    actor: &Actor,
    body: &str,
    year: i64,
    answers: &[GivenAnswer],
    submit: bool,
) -> Result<i64, EditError> {
    if !(2000..=2200).contains(&year) {
        return Err(invalid("year", "a year between 2000 and 2200"));
    }
    if answers.len() > 200 {
        return Err(invalid("answers", "at most 200 answers"));
    }
    let mut tx = db.begin().await?;
    if tx.fetch_optional("SELECT id FROM body WHERE id = $1", &params![body]).await?.is_none() {
        return Err(EditError::NotFound(format!("no body `{}`", tripart_domain::ids::truncate(body, 60))));
    }
    authorize(actor, &Operation::EditRecord(Scope { bodies: vec![body.into()], member_states: Vec::new() }))
        .map_err(|d| EditError::Denied(d.0))?;
    let accepted = tx
        .fetch_optional("SELECT status FROM annual_report WHERE body = $1 AND year = $2", &params![body, year])
        .await?
        .map(|r| r.str("status"))
        .transpose()?;
    if accepted.as_deref() == Some("accepted") {
        return Err(invalid("year", format!("the {year} annual report was accepted: its checklist is frozen")));
    }
    let now = tripart_domain::time::now();
    let response = match tx
        .fetch_optional("SELECT * FROM checklist_response WHERE body = $1 AND year = $2", &params![body, year])
        .await?
    {
        Some(r) => r,
        None => {
            let template = current_template(&mut tx)
                .await?
                .ok_or_else(|| invalid("template", "the Secretariat has not published a checklist template yet"))?;
            let id = format!("{body}-{year}");
            tx.execute(
                "INSERT INTO checklist_response (id, template, body, year, status, revision, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'draft', 0, $5, $5)",
                &params![&id, &template, body, year, &now],
            )
            .await?;
            tx.fetch_optional("SELECT * FROM checklist_response WHERE id = $1", &params![&id])
                .await?
                .ok_or_else(|| StorageError::Corrupt("checklist response vanished".into()))?
        }
    };
    let id = response.str("id")?;
    let template = template_in(&mut tx, &response.str("template")?)
        .await?
        .ok_or_else(|| StorageError::Corrupt("checklist template vanished".into()))?;
    let current = current_answers(&mut tx, &id).await?;
    let revision = response.i64("revision")? + 1;
    let mut changed = 0;
    for (i, given) in answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        let item = template.items.iter().find(|it| it.key == given.key).ok_or_else(|| {
            invalid(
                &field,
                format!("`{}` is not an item of {}", tripart_domain::ids::truncate(&given.key, 60), template.id),
            )
        })?;
        let value = match given.value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(
                check_answer(item.answer_type, &item.levels, v)
                    .map_err(|e| invalid(&field, format!("{}: {}", item.key, e.0)))?,
            ),
            None => None,
        };
        check_length(&format!("{field}.comment"), given.comment.as_deref(), 5000)?;
        let comment = given.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        let previous = current.get(&item.key);
        let same = previous.is_some_and(|p| p.value == value && p.comment == comment)
            || (previous.is_none() && value.is_none() && comment.is_none());
        if same {
            continue;
        }
        tx.execute(
            "INSERT INTO checklist_answer (response, item_key, revision, value, comment, answered_at, answered_by, \
             answered_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &params![&id, &item.key, revision, value, comment, &now, actor.user_id(), actor.label()],
        )
        .await?;
        changed += 1;
    }
    let status = if submit {
        ChecklistStatus::Submitted
    } else {
        ChecklistStatus::parse(&response.str("status")?).unwrap_or(ChecklistStatus::Draft)
    };
    if changed == 0 && status.as_str() == response.str("status")? {
        return Ok(revision - 1);
    }
    tx.execute(
        "UPDATE checklist_response SET revision = $1, status = $2, updated_at = $3 WHERE id = $4",
        &params![revision, status.as_str(), &now, &id],
    )
    .await?;
    let after = tx.fetch_optional("SELECT * FROM checklist_response WHERE id = $1", &params![&id]).await?;
    audit::record(
        &mut tx,
        actor,
        if submit { "submit" } else { "update" },
        "checklist_response",
        &id,
        Some(&row_json(&response)),
        after.as_ref().map(row_json).as_ref(),
        Some(&format!("revision {revision}: {changed} answer(s) changed")),
    )
    .await?;
    tx.commit().await?;
    Ok(revision)
}

struct Current {
    value: Option<String>,
    comment: Option<String>,
    revision: i64,
    answered_at: String,
    answered_by: String,
}

async fn current_answers(tx: &mut Tx, response: &str) -> Result<HashMap<String, Current>, StorageError> {
    let rows = tx
        .fetch_all(
            "SELECT a.* FROM checklist_answer a WHERE a.response = $1 AND a.revision = \
             (SELECT MAX(b.revision) FROM checklist_answer b WHERE b.response = a.response AND b.item_key = a.item_key)",
            &params![response],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.str("item_key")?,
                Current {
                    value: r.opt_str("value")?,
                    comment: r.opt_str("comment")?,
                    revision: r.i64("revision")?,
                    answered_at: r.str("answered_at")?,
                    answered_by: r.str("answered_by_label")?,
                },
            ))
        })
        .collect()
}

/// A body's checklist for a year inside a transaction (the annual report reads
/// it in its own snapshot).
pub(crate) async fn view_in(tx: &mut Tx, body: &str, year: i64) -> Result<Option<ChecklistView>, StorageError> {
    let Some(r) = tx
        .fetch_optional("SELECT * FROM checklist_response WHERE body = $1 AND year = $2", &params![body, year])
        .await?
    else {
        return Ok(None);
    };
    let id = r.str("id")?;
    let Some(template) = template_in(tx, &r.str("template")?).await? else { return Ok(None) };
    let current = current_answers(tx, &id).await?;
    let answers: Vec<Answer> = template
        .items
        .iter()
        .map(|item| {
            let c = current.get(&item.key);
            Answer {
                key: item.key.clone(),
                category: item.category.as_str().into(),
                question: item.question.clone(),
                answer_type: item.answer_type.as_str().into(),
                levels: item.levels.clone(),
                guidance: item.guidance.clone(),
                value: c.and_then(|c| c.value.clone()),
                comment: c.and_then(|c| c.comment.clone()),
                revision: c.map(|c| c.revision),
                answered_at: c.map(|c| c.answered_at.clone()),
                answered_by: c.map(|c| c.answered_by.clone()),
            }
        })
        .collect();
    Ok(Some(ChecklistView {
        id,
        body: body.into(),
        year,
        template_title: template.title.clone(),
        template_version: template.version,
        template: template.id,
        status: r.str("status")?,
        revision: r.i64("revision")?,
        answered: answers.iter().filter(|a| a.value.is_some()).count() as i64,
        items: answers.len() as i64,
        answers,
    }))
}

pub async fn view(db: &Db, body: &str, year: i64) -> Result<Option<ChecklistView>, StorageError> {
    let mut tx = db.begin_read().await?;
    let v = view_in(&mut tx, body, year).await?;
    tx.commit().await?;
    Ok(v)
}

/// Whether `actor` may see a body's checklist for a year: everyone once that
/// year's report is accepted; before, whoever may read the body's unpublished
/// report (the body, the body it reports to, administrators).
pub async fn visible_to(db: &Db, actor: &Actor, body: &str, year: i64) -> Result<bool, EditError> {
    let status = db
        .fetch_optional("SELECT status FROM annual_report WHERE body = $1 AND year = $2", &params![body, year])
        .await?
        .map(|r| r.str("status"))
        .transpose()?;
    if status.as_deref() == Some("accepted") {
        return Ok(true);
    }
    match super::reports::may_read_unpublished(db, actor, body).await {
        Err(EditError::NotFound(_)) => Ok(false),
        other => other,
    }
}

/// Every value an item ever had in a body's checklist for a year, oldest first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerRevision {
    pub key: String,
    pub revision: i64,
    pub value: Option<String>,
    pub comment: Option<String>,
    pub answered_at: String,
    pub answered_by: String,
}

pub async fn revisions(db: &Db, body: &str, year: i64) -> Result<Vec<AnswerRevision>, StorageError> {
    let rows = db
        .fetch_all(
            "SELECT a.* FROM checklist_answer a JOIN checklist_response r ON r.id = a.response \
             WHERE r.body = $1 AND r.year = $2 ORDER BY a.revision, a.item_key",
            &params![body, year],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AnswerRevision {
                key: r.str("item_key")?,
                revision: r.i64("revision")?,
                value: r.opt_str("value")?,
                comment: r.opt_str("comment")?,
                answered_at: r.str("answered_at")?,
                answered_by: r.str("answered_by_label")?,
            })
        })
        .collect()
}

/// Every body's checklist for every year (optionally one body or one year): the
/// comparison across bodies and years.
pub async fn all(db: &Db, body: Option<&str>, year: Option<i64>) -> Result<Vec<ChecklistView>, StorageError> {
    let mut tx = db.begin_read().await?;
    let rows = tx
        .fetch_all(
            "SELECT body, year FROM checklist_response WHERE ($1 IS NULL OR body = $1) AND ($2 IS NULL OR year = $2) \
             ORDER BY year DESC, body",
            &params![body, year],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(view_in(&mut tx, &r.str("body")?, r.i64("year")?).await?);
    }
    tx.commit().await?;
    Ok(out)
}
