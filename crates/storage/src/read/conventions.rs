//! ILO conventions, their categories over time, and the ratification record as
//! dated events. The standing of a member state at any date is derived from the
//! events, never stored.

use super::*;
use crate::params;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Convention {
    /// `C029`, `P029`.
    pub id: String,
    pub number: i64,
    /// convention or protocol.
    pub kind: String,
    pub title: String,
    pub short_title: Option<String>,
    pub adopted: Option<i64>,
    /// fundamental, governance or technical at the date asked (today by default).
    pub category: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CategoryPeriod {
    pub category: String,
    pub from: String,
    /// Exclusive; none while the category holds.
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatificationEvent {
    pub id: String,
    pub member_state: String,
    pub convention: String,
    /// ratified, in_force or denounced.
    pub event: String,
    pub date: String,
    pub source: SourceRef,
}

impl RatificationEvent {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(RatificationEvent {
            id: r.str("id")?,
            member_state: r.str("member_state")?,
            convention: r.str("convention")?,
            event: r.str("event")?,
            date: r.str("event_date")?,
            source: SourceRef::from_row(r)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConventionDetail {
    #[serde(flatten)]
    pub convention: Convention,
    pub categories: Vec<CategoryPeriod>,
    pub events: Vec<RatificationEvent>,
    pub source: SourceRef,
}

async fn categories_at(db: &Db, date: &str) -> Result<HashMap<String, String>, StorageError> {
    let rows = db
        .fetch_all(
            "SELECT convention, category FROM convention_category \
             WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)",
            &params![date],
        )
        .await?;
    rows.iter().map(|r| Ok((r.str("convention")?, r.str("category")?))).collect()
}

fn convention_from_row(r: &Row, categories: &HashMap<String, String>) -> Result<Convention, StorageError> {
    let id = r.str("id")?;
    Ok(Convention {
        category: categories.get(&id).cloned(),
        id,
        number: r.i64("number")?,
        kind: r.str("kind")?,
        title: r.str("title")?,
        short_title: r.opt_str("short_title")?,
        adopted: r.opt_i64("adopted_year")?,
    })
}

/// Conventions with their category at `as_of`, optionally only one category.
pub async fn conventions(db: &Db, as_of: &str, category: Option<&str>) -> Result<Vec<Convention>, StorageError> {
    let categories = categories_at(db, as_of).await?;
    let rows = db.fetch_all("SELECT * FROM convention ORDER BY kind, number", &[]).await?;
    let all = map_rows(rows, |r| convention_from_row(r, &categories))?;
    Ok(all.into_iter().filter(|c| category.is_none() || c.category.as_deref() == category).collect())
}

pub async fn convention(db: &Db, id: &str, today: &str) -> Result<Option<ConventionDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM convention WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let categories = categories_at(db, today).await?;
    let periods = db
        .fetch_all("SELECT * FROM convention_category WHERE convention = $1 ORDER BY valid_from", &params![id])
        .await?;
    let events = db
        .fetch_all(
            "SELECT * FROM ratification_event WHERE convention = $1 ORDER BY event_date, member_state",
            &params![id],
        )
        .await?;
    Ok(Some(ConventionDetail {
        convention: convention_from_row(&row, &categories)?,
        categories: map_rows(periods, |r| {
            Ok(CategoryPeriod { category: r.str("category")?, from: r.str("valid_from")?, to: r.opt_str("valid_to")? })
        })?,
        events: map_rows(events, RatificationEvent::from_row)?,
        source: SourceRef::from_row(&row)?,
    }))
}

#[derive(Debug, Clone, Default)]
pub struct RatificationFilter {
    pub member_state: Option<String>,
    pub convention: Option<String>,
    pub event: Option<String>,
    /// Events on or after this date.
    pub from: Option<String>,
    /// Events on or before this date.
    pub to: Option<String>,
}

pub async fn ratification_events(
    db: &Db,
    filter: &RatificationFilter,
    paging: Paging,
) -> Result<Slice<RatificationEvent>, StorageError> {
    let mut f = Filter::default();
    for (column, value) in
        [("member_state", &filter.member_state), ("convention", &filter.convention), ("event", &filter.event)]
    {
        if let Some(v) = value {
            let p = f.param(v);
            f.clause(format!("{column} = {p}"));
        }
    }
    if let Some(d) = &filter.from {
        let p = f.param(d);
        f.clause(format!("event_date >= {p}"));
    }
    if let Some(d) = &filter.to {
        let p = f.param(d);
        f.clause(format!("event_date <= {p}"));
    }
    let (rows, total) = f.page(db, "*", "ratification_event", "event_date, member_state, convention", paging).await?;
    Ok(Slice { items: map_rows(rows, RatificationEvent::from_row)?, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MatrixColumn {
    pub id: String,
    pub title: String,
    pub short_title: Option<String>,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MatrixCell {
    /// ratified, denounced or not_ratified.
    pub status: String,
    /// The date of the event that set the status.
    pub since: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MatrixRow {
    pub member_state: String,
    pub name: String,
    /// One cell per column, in column order.
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatificationMatrix {
    pub as_of: String,
    pub conventions: Vec<MatrixColumn>,
    /// Member states that had joined ASEAN by `as_of`.
    pub rows: Vec<MatrixRow>,
}

/// The standing of every member state against every convention at `as_of`:
/// the latest ratification or denunciation on or before that date decides.
pub async fn ratification_matrix(
    db: &Db,
    as_of: &str,
    category: Option<&str>,
) -> Result<RatificationMatrix, StorageError> {
    let year: i64 = as_of.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(i64::MAX);
    let conventions: Vec<Convention> =
        conventions(db, as_of, category).await?.into_iter().filter(|c| c.adopted.is_none_or(|y| y <= year)).collect();
    let states = super::member_states(db, Some(as_of)).await?;
    let events = db
        .fetch_all(
            "SELECT member_state, convention, event, event_date FROM ratification_event \
             WHERE event_date <= $1 AND event IN ('ratified', 'denounced') ORDER BY event_date, id",
            &params![as_of],
        )
        .await?;
    let mut latest: HashMap<(String, String), (String, String)> = HashMap::new();
    for e in &events {
        latest.insert((e.str("member_state")?, e.str("convention")?), (e.str("event")?, e.str("event_date")?));
    }
    let rows = states
        .into_iter()
        .map(|s| MatrixRow {
            cells: conventions
                .iter()
                .map(|c| match latest.get(&(s.code.clone(), c.id.clone())) {
                    Some((event, date)) => MatrixCell { status: event.clone(), since: Some(date.clone()) },
                    None => MatrixCell { status: "not_ratified".into(), since: None },
                })
                .collect(),
            member_state: s.code,
            name: s.name,
        })
        .collect();
    Ok(RatificationMatrix {
        as_of: as_of.to_string(),
        conventions: conventions
            .into_iter()
            .map(|c| MatrixColumn { id: c.id, title: c.title, short_title: c.short_title, category: c.category })
            .collect(),
        rows,
    })
}

/// A cell of a document's ratification table, beside what the events say.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SnapshotCell {
    pub as_of: String,
    pub member_state: String,
    pub convention: String,
    /// What the document's table states.
    pub stated: String,
    pub source: SourceRef,
}

pub async fn ratification_snapshots(db: &Db) -> Result<Vec<SnapshotCell>, StorageError> {
    let rows =
        db.fetch_all("SELECT * FROM ratification_snapshot ORDER BY as_of, member_state, convention", &[]).await?;
    map_rows(rows, |r| {
        Ok(SnapshotCell {
            as_of: r.str("as_of")?,
            member_state: r.str("member_state")?,
            convention: r.str("convention")?,
            stated: r.str("status")?,
            source: SourceRef::from_row(r)?,
        })
    })
}
