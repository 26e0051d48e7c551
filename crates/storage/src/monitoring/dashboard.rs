//! Dashboards over actions: by status, overdue, the timeline of actions and
//! meetings, meetings to come, and what changed since a date (by default the last
//! SLOM). Scoped like the action list: by programme, body, member state or
//! thematic area. Everything here is public: it reads published records only.

use super::progress::{updates_where, ProgressUpdate};
use super::reports::Count;
use crate::read::{self, Action, ActionFilter, Meeting, MeetingFilter, Paging};
use crate::{params, Db, StorageError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The default for "no update for": half a year.
pub const DEFAULT_STALE_DAYS: i64 = 180;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardAction {
    #[serde(flatten)]
    pub action: Action,
    /// The date of its latest progress update.
    pub last_update: Option<String>,
    /// Calendar passed, not completed, and no update for the configured time.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub as_of: String,
    pub stale_days: i64,
    pub total: i64,
    pub by_status: Vec<Count>,
    pub overdue: i64,
    pub actions: Vec<DashboardAction>,
    /// Meetings of the scope (organised by its body, hosted by its member state,
    /// or implementing its actions), oldest first: the timeline's diamonds.
    pub meetings: Vec<Meeting>,
    /// Those still to come.
    pub upcoming: Vec<Meeting>,
}

/// Days from 1970-01-01 of a `YYYY-MM-DD` date (for "no update for N days").
fn day_number(date: &str) -> Option<i64> {
    let d = tripart_domain::IsoDate::parse(date.get(..10)?).ok()?;
    let text = d.to_string();
    let (y, m, day) = (d.year() as i64, text[5..7].parse::<i64>().ok()?, text[8..10].parse::<i64>().ok()?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Whether an action is overdue on `today`.
pub fn is_overdue(action: &Action, last_update: Option<&str>, today: &str, stale_days: i64) -> bool {
    let year: i64 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let passed = action.end_year.is_some_and(|end| end < year);
    let open = !matches!(action.status.as_str(), "completed" | "absorbed");
    let stale = match (last_update.and_then(day_number), day_number(today)) {
        (Some(last), Some(now)) => now - last > stale_days,
        _ => true,
    };
    passed && open && stale
}

pub async fn dashboard(
    db: &Db,
    filter: &ActionFilter,
    today: &str,
    stale_days: i64,
) -> Result<Dashboard, StorageError> {
    let actions = read::actions(db, filter, Paging { limit: i64::MAX / 2, offset: 0 }).await?.items;
    let last: HashMap<String, String> = db
        .fetch_all("SELECT action, MAX(reported_on) AS last FROM progress_update GROUP BY action", &[])
        .await?
        .iter()
        .map(|r| Ok((r.str("action")?, r.str("last")?)))
        .collect::<Result<_, StorageError>>()?;
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let actions: Vec<DashboardAction> = actions
        .into_iter()
        .map(|action| {
            *by_status.entry(action.status.clone()).or_default() += 1;
            let last_update = last.get(&action.id).cloned();
            let overdue = is_overdue(&action, last_update.as_deref(), today, stale_days);
            DashboardAction { action, last_update, overdue }
        })
        .collect();
    let meetings = scope_meetings(db, filter, &actions).await?;
    let upcoming = meetings.iter().filter(|m| m.start.as_deref().is_some_and(|s| s >= today)).cloned().collect();
    Ok(Dashboard {
        as_of: today.into(),
        stale_days,
        total: actions.len() as i64,
        by_status: by_status.into_iter().map(|(key, count)| Count { key, count }).collect(),
        overdue: actions.iter().filter(|a| a.overdue).count() as i64,
        actions,
        meetings,
        upcoming,
    })
}

async fn scope_meetings(
    db: &Db,
    filter: &ActionFilter,
    actions: &[DashboardAction],
) -> Result<Vec<Meeting>, StorageError> {
    let all = read::meetings(db, &MeetingFilter::default(), Paging { limit: i64::MAX / 2, offset: 0 }).await?.items;
    let unscoped = filter.programme.is_none()
        && filter.body.is_none()
        && filter.member_state.is_none()
        && filter.thematic_area.is_none();
    let links = db.fetch_all("SELECT meeting, action FROM meeting_action", &[]).await?;
    let in_scope: std::collections::HashSet<&str> = actions.iter().map(|a| a.action.id.as_str()).collect();
    let mut implementing = std::collections::HashSet::new();
    for l in &links {
        if in_scope.contains(l.str("action")?.as_str()) {
            implementing.insert(l.str("meeting")?);
        }
    }
    Ok(all
        .into_iter()
        .filter(|m| {
            unscoped
                || implementing.contains(&m.id)
                || (filter.body.is_some() && m.body == filter.body)
                || (filter.member_state.is_some() && m.host == filter.member_state)
        })
        .collect())
}

/// The date of the last SLOM meeting before `today`: the default "since".
pub async fn last_slom(db: &Db, today: &str) -> Result<Option<String>, StorageError> {
    let r = db
        .fetch_optional(
            "SELECT MAX(start_date) AS d FROM meeting WHERE (series = 'slom' OR kind = 'senior_officials') AND start_date < $1",
            &params![today],
        )
        .await?;
    r.map(|r| r.opt_str("d")).transpose().map(Option::flatten)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedAction {
    pub id: String,
    pub title: String,
    /// create, update, retire, unretire.
    pub operation: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptedReport {
    pub id: String,
    pub body: String,
    pub year: i64,
    pub at: String,
}

/// What changed since a date in a scope.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changes {
    pub since: String,
    /// Progress updates written or dated since then, oldest first, with the
    /// action's title.
    pub updates: Vec<ChangedUpdate>,
    /// Meetings held or recorded since then.
    pub meetings: Vec<Meeting>,
    /// Actions created or edited since then.
    pub actions: Vec<ChangedAction>,
    /// Annual reports accepted since then.
    pub reports: Vec<AcceptedReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedUpdate {
    pub action_title: String,
    #[serde(flatten)]
    pub update: ProgressUpdate,
}

pub async fn changes_since(db: &Db, filter: &ActionFilter, since: &str) -> Result<Changes, StorageError> {
    let actions = read::actions(db, filter, Paging { limit: i64::MAX / 2, offset: 0 }).await?.items;
    let titles: HashMap<&str, &str> = actions.iter().map(|a| (a.id.as_str(), a.title.as_str())).collect();
    let mut tx = db.begin_read().await?;
    let updates = updates_where(&mut tx, "(u.created_at >= $1 OR u.reported_on >= $1)", &params![since]).await?;
    tx.commit().await?;
    let updates = updates
        .into_iter()
        .filter_map(|u| {
            titles.get(u.action.as_str()).map(|t| ChangedUpdate { action_title: (*t).to_string(), update: u })
        })
        .collect();
    let edits = db
        .fetch_all(
            "SELECT record_id, operation, MAX(at) AS at FROM audit_event \
             WHERE record_type = 'action' AND at >= $1 AND actor_label <> 'system' \
             GROUP BY record_id, operation ORDER BY at",
            &params![since],
        )
        .await?;
    let mut changed = Vec::new();
    for e in edits {
        let id = e.str("record_id")?;
        if let Some(title) = titles.get(id.as_str()) {
            changed.push(ChangedAction {
                title: (*title).to_string(),
                id,
                operation: e.str("operation")?,
                at: e.str("at")?,
            });
        }
    }
    let in_scope: Vec<DashboardAction> =
        actions.into_iter().map(|action| DashboardAction { action, last_update: None, overdue: false }).collect();
    let meetings = scope_meetings(db, filter, &in_scope)
        .await?
        .into_iter()
        .filter(|m| m.start.as_deref().is_some_and(|s| s >= since))
        .collect();
    let reports = db
        .fetch_all(
            "SELECT r.id, r.body, r.year, e.at FROM annual_report r JOIN annual_report_event e ON e.report = r.id \
             WHERE e.event = 'accepted' AND r.status = 'accepted' AND e.at >= $1 \
             AND ($2 IS NULL OR r.body = $2) ORDER BY e.at",
            &params![since, filter.body.as_deref()],
        )
        .await?
        .iter()
        .map(|r| Ok(AcceptedReport { id: r.str("id")?, body: r.str("body")?, year: r.i64("year")?, at: r.str("at")? }))
        .collect::<Result<_, StorageError>>()?;
    Ok(Changes { since: since.into(), updates, meetings, actions: changed, reports })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-23").zip(day_number("2026-05-27")).map(|(a, b)| a - b), Some(180));
        assert_eq!(day_number("nonsense"), None);
    }
}
