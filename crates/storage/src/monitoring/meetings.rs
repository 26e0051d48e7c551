//! Meetings recorded through the application: the meeting, its participants, its
//! documents and the recommendations it adopted, and for every action it
//! implements a progress update with the meeting as its output, all in one
//! transaction.

use super::progress::{insert_update, NewUpdate, Output};
use super::{check_date, check_length, invalid, Link};
use crate::audit::{self, row_json};
use crate::edit::{action_scope, EditError};
use crate::{params, Db};
use tripart_domain::access::{authorize, Actor, Operation, Scope};
use tripart_domain::monitoring::OutputKind;
use tripart_domain::vocab::{ActionStatus, MeetingKind};

/// A recommendation as adopted, in the meeting's order.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRecommendation {
    /// The document's numbering (`1`, `2.a`); numbered in order when absent.
    pub number: Option<String>,
    pub heading: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewMeeting {
    pub title: String,
    pub kind: Option<MeetingKind>,
    /// The organising body: its secretariat records the meeting.
    pub body: String,
    pub host: Option<String>,
    pub city: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub theme: Option<String>,
    /// Participating member states.
    pub participants: Vec<String>,
    /// Actions the meeting implements.
    pub implements: Vec<String>,
    pub documents: Vec<Link>,
    pub recommendations: Vec<NewRecommendation>,
    /// Participants by sex, counted on the output of each implemented action.
    pub participants_female: Option<i64>,
    pub participants_male: Option<i64>,
}

/// A readable id from the title and year, unique among meetings.
async fn meeting_id(tx: &mut crate::Tx, title: &str, start: &str) -> Result<String, EditError> {
    let slug = tripart_domain::ids::slug_from_title(title, 6, "meeting");
    let base = format!("{slug}-{}", &start[..4]);
    for n in 1..1000 {
        let id = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if tx.fetch_optional("SELECT id FROM meeting WHERE id = $1", &params![&id]).await?.is_none() {
            return Ok(id);
        }
    }
    Err(invalid("title", "too many meetings with this title in this year"))
}

fn check(meeting: &NewMeeting) -> Result<(String, Option<String>), EditError> {
    if meeting.title.trim().is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    check_length("title", Some(&meeting.title), 500)?;
    check_length("city", meeting.city.as_deref(), 200)?;
    check_length("theme", meeting.theme.as_deref(), 2000)?;
    let start = check_date("start", &meeting.start)?;
    let end = meeting.end.as_deref().map(|e| check_date("end", e)).transpose()?;
    if end.as_ref().is_some_and(|e| *e < start) {
        return Err(invalid("end", "the meeting cannot end before it starts"));
    }
    if meeting.implements.len() > 50 || meeting.participants.len() > 50 || meeting.documents.len() > 50 {
        return Err(invalid("implements", "at most 50 actions, participants and documents"));
    }
    if meeting.recommendations.len() > 500 {
        return Err(invalid("recommendations", "at most 500 recommendations"));
    }
    for (i, r) in meeting.recommendations.iter().enumerate() {
        if r.text.trim().is_empty() {
            return Err(invalid(&format!("recommendations[{i}].text"), "must not be empty"));
        }
        check_length(&format!("recommendations[{i}].text"), Some(&r.text), 10_000)?;
        check_length(&format!("recommendations[{i}].number"), r.number.as_deref(), 20)?;
        check_length(&format!("recommendations[{i}].heading"), r.heading.as_deref(), 500)?;
    }
    for (i, d) in meeting.documents.iter().enumerate() {
        d.check(&format!("documents[{i}]"))?;
    }
    for (name, n) in
        [("participants_female", meeting.participants_female), ("participants_male", meeting.participants_male)]
    {
        if n.is_some_and(|n| !(0..=1_000_000).contains(&n)) {
            return Err(invalid(name, "between 0 and 1000000"));
        }
    }
    Ok((start, end))
}

/// Records a meeting held and returns its id. The organising body's secretariat
/// records it; each implemented action must be one the actor may report on.
pub async fn record_meeting(db: &Db, actor: &Actor, meeting: &NewMeeting) -> Result<String, EditError> {
    let (start, end) = check(meeting)?;
    let mut tx = db.begin().await?;
    if tx.fetch_optional("SELECT id FROM body WHERE id = $1", &params![&meeting.body]).await?.is_none() {
        return Err(invalid("body", "no such body"));
    }
    let scope = Scope { bodies: vec![meeting.body.clone()], member_states: Vec::new() };
    authorize(actor, &Operation::EditRecord(scope)).map_err(|d| EditError::Denied(d.0))?;
    for code in meeting.host.iter().chain(&meeting.participants) {
        if tx.fetch_optional("SELECT code FROM member_state WHERE code = $1", &params![code]).await?.is_none() {
            return Err(invalid(
                "participants",
                format!("`{}` is not a member state code", tripart_domain::ids::truncate(code, 20)),
            ));
        }
    }
    for (i, action) in meeting.implements.iter().enumerate() {
        if tx
            .fetch_optional("SELECT id FROM action WHERE id = $1 AND retired_at IS NULL", &params![action])
            .await?
            .is_none()
        {
            return Err(invalid(
                &format!("implements[{i}]"),
                format!("no action `{}`", tripart_domain::ids::truncate(action, 60)),
            ));
        }
        let scope = action_scope(&mut tx, action).await?;
        authorize(actor, &Operation::UpdateProgress(scope)).map_err(|d| EditError::Denied(d.0))?;
    }

    let id = meeting_id(&mut tx, &meeting.title, &start).await?;
    let kind = meeting.kind.unwrap_or(MeetingKind::Other);
    tx.execute(
        "INSERT INTO meeting (id, title, kind, body, host, city, start_date, end_date, theme, source_document, \
         source_section, source_file, locally_edited, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Recorded in Tripart', '', '', 1, $10)",
        &params![
            &id,
            meeting.title.trim(),
            kind.as_str(),
            &meeting.body,
            meeting.host.as_deref(),
            meeting.city.as_deref(),
            &start,
            end.as_deref(),
            meeting.theme.as_deref(),
            actor.user_id()
        ],
    )
    .await?;
    for (i, code) in meeting.participants.iter().enumerate() {
        tx.execute(
            "INSERT INTO meeting_party (meeting, position, party_kind, member_state) VALUES ($1, $2, 'member_state', $3)",
            &params![&id, i as i64, code],
        )
        .await?;
    }
    for action in &meeting.implements {
        tx.execute("INSERT INTO meeting_action (meeting, action) VALUES ($1, $2)", &params![&id, action]).await?;
    }
    for (i, d) in meeting.documents.iter().enumerate() {
        tx.execute(
            "INSERT INTO meeting_document (meeting, position, label, url) VALUES ($1, $2, $3, $4)",
            &params![&id, i as i64, d.label.trim(), d.url.trim()],
        )
        .await?;
    }
    let mut numbers = std::collections::HashSet::new();
    for (i, r) in meeting.recommendations.iter().enumerate() {
        let number = r.number.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| (i + 1).to_string());
        if !numbers.insert(number.clone()) {
            return Err(invalid(&format!("recommendations[{i}].number"), format!("number `{number}` is used twice")));
        }
        tx.execute(
            "INSERT INTO recommendation (id, meeting, number, heading, text, position, source_document, \
             source_section, source_file, locally_edited, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 'Recorded in Tripart', '', '', 1, $7)",
            &params![
                format!("{id}.{number}"),
                &id,
                number.trim(),
                r.heading.as_deref(),
                r.text.trim(),
                i as i64,
                actor.user_id()
            ],
        )
        .await?;
    }
    let stored = tx.fetch_optional("SELECT * FROM meeting WHERE id = $1", &params![&id]).await?;
    audit::record(&mut tx, actor, "create", "meeting", &id, None, stored.as_ref().map(row_json).as_ref(), None).await?;

    // The meeting is an output of each action it implements: a meeting held
    // moves a planned or unconfirmed action to on-going, never back from completed.
    // A meeting still to come is recorded (it shows as upcoming) but is no output yet.
    let held = start <= tripart_domain::time::today();
    for action in meeting.implements.iter().filter(|_| held) {
        let current = tx.fetch_optional("SELECT status FROM action WHERE id = $1", &params![action]).await?;
        let current = current.map(|r| r.str("status")).transpose()?.unwrap_or_default();
        let status = match ActionStatus::parse(&current) {
            Ok(ActionStatus::Planned | ActionStatus::ToBeConfirmed) => Some(ActionStatus::Ongoing),
            _ => None,
        };
        let update = NewUpdate {
            reported_on: start.clone(),
            status,
            narrative: Some(format!("Meeting held: {}", meeting.title.trim())),
            outputs: vec![Output {
                kind: OutputKind::Meeting,
                quantity: 1,
                title: Some(meeting.title.trim().to_string()),
                participants_female: meeting.participants_female,
                participants_male: meeting.participants_male,
                meeting: Some(id.clone()),
                member_state: None,
            }],
            links: meeting.documents.clone(),
            files: Vec::new(),
        };
        insert_update(&mut tx, actor, action, &start, &update, Some(&id)).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The documents of a meeting.
pub async fn documents(db: &Db, meeting: &str) -> Result<Vec<Link>, crate::StorageError> {
    let rows = db
        .fetch_all("SELECT label, url FROM meeting_document WHERE meeting = $1 ORDER BY position", &params![meeting])
        .await?;
    rows.iter().map(|r| Ok(Link { label: r.str("label")?, url: r.str("url")? })).collect()
}
