//! Member states, ASEAN bodies and partners, each with what links to it.

use super::*;
use crate::params;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MemberState {
    /// ISO 3166-1 alpha-3.
    pub code: String,
    pub iso2: String,
    pub name: String,
    /// The date the state joined ASEAN.
    pub joined: String,
}

impl MemberState {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(MemberState {
            code: r.str("code")?,
            iso2: r.str("iso2")?,
            name: r.str("name")?,
            joined: r.str("joined_on")?,
        })
    }
}

/// A member state's standing against one convention.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConventionStanding {
    pub convention: String,
    pub title: String,
    pub category: Option<String>,
    /// ratified, denounced or not_ratified.
    pub status: String,
    /// The date of the event that set the status.
    pub since: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MemberStateDetail {
    #[serde(flatten)]
    pub member_state: MemberState,
    /// Actions it coordinates.
    pub coordinates: Vec<ActionRef>,
    /// Meetings it hosted or will host.
    pub hosts: Vec<MeetingRef>,
    /// Its standing today against every convention Tripart follows.
    pub conventions: Vec<ConventionStanding>,
    pub source: SourceRef,
}

/// Member states in joining order, as of a date (all when `as_of` is `None`).
pub async fn member_states(db: &Db, as_of: Option<&str>) -> Result<Vec<MemberState>, StorageError> {
    let rows = match as_of {
        Some(d) => {
            db.fetch_all("SELECT * FROM member_state WHERE joined_on <= $1 ORDER BY joined_on, name", &params![d])
                .await?
        }
        None => db.fetch_all("SELECT * FROM member_state ORDER BY joined_on, name", &[]).await?,
    };
    map_rows(rows, MemberState::from_row)
}

pub async fn member_state(db: &Db, code: &str, today: &str) -> Result<Option<MemberStateDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM member_state WHERE code = $1", &params![code]).await? else {
        return Ok(None);
    };
    let coordinates = db
        .fetch_all(
            &format!(
                "SELECT DISTINCT {ACTION_REF_COLUMNS}, a.position FROM action a JOIN action_party p ON p.action = a.id \
                 WHERE p.role = 'coordinator' AND p.member_state = $1 ORDER BY a.programme, a.position"
            ),
            &params![code],
        )
        .await?;
    let hosts = db
        .fetch_all(
            &format!("SELECT {MEETING_REF_COLUMNS} FROM meeting m WHERE m.host = $1 ORDER BY m.start_date, m.id"),
            &params![code],
        )
        .await?;
    let matrix = super::ratification_matrix(db, today, None).await?;
    let conventions = matrix
        .rows
        .into_iter()
        .find(|r| r.member_state == code)
        .map(|r| {
            r.cells
                .into_iter()
                .zip(&matrix.conventions)
                .map(|(c, col)| ConventionStanding {
                    convention: col.id.clone(),
                    title: col.title.clone(),
                    category: col.category.clone(),
                    status: c.status,
                    since: c.since,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(MemberStateDetail {
        member_state: MemberState::from_row(&row)?,
        coordinates: map_rows(coordinates, ActionRef::from_row)?,
        hosts: map_rows(hosts, MeetingRef::from_row)?,
        conventions,
        source: SourceRef::from_row(&row)?,
    }))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Body {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    /// ministerial, senior_officials, subsidiary, secretariat, asean_body or summit.
    pub kind: String,
    pub reports_to: Option<String>,
}

impl Body {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Body {
            id: r.str("id")?,
            abbreviation: r.opt_str("abbreviation")?,
            name: r.str("name")?,
            kind: r.str("kind")?,
            reports_to: r.opt_str("reports_to")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BodyDetail {
    #[serde(flatten)]
    pub body: Body,
    pub established: Option<String>,
    pub description: Option<String>,
    /// The bodies that report to this one.
    pub subsidiaries: Vec<Body>,
    /// The programmes and work plans it owns.
    pub programmes: Vec<NamedRef>,
    /// The actions it is responsible for.
    pub actions: Vec<ActionRef>,
    /// The meetings it organises.
    pub meetings: Vec<MeetingRef>,
    pub source: SourceRef,
}

pub async fn bodies(db: &Db, kind: Option<&str>) -> Result<Vec<Body>, StorageError> {
    let mut f = Filter::default();
    if let Some(k) = kind {
        let p = f.param(k);
        f.clause(format!("kind = {p}"));
    }
    let (rows, _) = f.page(db, "*", "body", "id", Paging { limit: 1000, offset: 0 }).await?;
    map_rows(rows, Body::from_row)
}

pub async fn body(db: &Db, id: &str) -> Result<Option<BodyDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM body WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let subs = db.fetch_all("SELECT * FROM body WHERE reports_to = $1 ORDER BY id", &params![id]).await?;
    let programmes =
        db.fetch_all("SELECT id, name FROM programme WHERE owner = $1 ORDER BY start_year, id", &params![id]).await?;
    let actions = db
        .fetch_all(
            &format!(
                "SELECT {ACTION_REF_COLUMNS} FROM action a JOIN action_body ab ON ab.action = a.id \
                 WHERE ab.body = $1 ORDER BY a.programme, a.position"
            ),
            &params![id],
        )
        .await?;
    let meetings = db
        .fetch_all(
            &format!("SELECT {MEETING_REF_COLUMNS} FROM meeting m WHERE m.body = $1 ORDER BY m.start_date, m.id"),
            &params![id],
        )
        .await?;
    Ok(Some(BodyDetail {
        body: Body::from_row(&row)?,
        established: row.opt_str("established")?,
        description: row.opt_str("description")?,
        subsidiaries: map_rows(subs, Body::from_row)?,
        programmes: map_rows(programmes, NamedRef::from_row)?,
        actions: map_rows(actions, ActionRef::from_row)?,
        meetings: map_rows(meetings, MeetingRef::from_row)?,
        source: SourceRef::from_row(&row)?,
    }))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Partner {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    pub kind: String,
}

impl Partner {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Partner {
            id: r.str("id")?,
            abbreviation: r.opt_str("abbreviation")?,
            name: r.str("name")?,
            kind: r.str("kind")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnerDetail {
    #[serde(flatten)]
    pub partner: Partner,
    pub description: Option<String>,
    /// Actions it collaborates on.
    pub actions: Vec<ActionRef>,
    /// Meetings it took part in.
    pub meetings: Vec<MeetingRef>,
    pub source: SourceRef,
}

pub async fn partners(db: &Db, kind: Option<&str>) -> Result<Vec<Partner>, StorageError> {
    let mut f = Filter::default();
    if let Some(k) = kind {
        let p = f.param(k);
        f.clause(format!("kind = {p}"));
    }
    let (rows, _) = f.page(db, "*", "partner", "id", Paging { limit: 1000, offset: 0 }).await?;
    map_rows(rows, Partner::from_row)
}

pub async fn partner(db: &Db, id: &str) -> Result<Option<PartnerDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM partner WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let actions = db
        .fetch_all(
            &format!(
                "SELECT DISTINCT {ACTION_REF_COLUMNS}, a.position FROM action a JOIN action_party p ON p.action = a.id \
                 WHERE p.partner = $1 ORDER BY a.programme, a.position"
            ),
            &params![id],
        )
        .await?;
    let meetings = db
        .fetch_all(
            &format!(
                "SELECT DISTINCT {MEETING_REF_COLUMNS} FROM meeting m JOIN meeting_party p ON p.meeting = m.id \
                 WHERE p.partner = $1 ORDER BY m.start_date, m.id"
            ),
            &params![id],
        )
        .await?;
    Ok(Some(PartnerDetail {
        partner: Partner::from_row(&row)?,
        description: row.opt_str("description")?,
        actions: map_rows(actions, ActionRef::from_row)?,
        meetings: map_rows(meetings, MeetingRef::from_row)?,
        source: SourceRef::from_row(&row)?,
    }))
}
