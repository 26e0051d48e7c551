//! Programmes, their structure, and their actions.

use super::*;
use crate::params;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Programme {
    pub id: String,
    pub name: String,
    /// work_programme, work_plan or plan_of_action.
    pub kind: String,
    pub owner: String,
    pub start_year: i64,
    /// None where the programme sets no end.
    pub end_year: Option<i64>,
    pub action_count: i64,
}

impl Programme {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Programme {
            id: r.str("id")?,
            name: r.str("name")?,
            kind: r.str("kind")?,
            owner: r.str("owner")?,
            start_year: r.i64("start_year")?,
            end_year: r.opt_i64("end_year")?,
            action_count: r.i64("action_count")?,
        })
    }
}

/// A strategic priority, key result area, goal, target, thematic area or thrust.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Node {
    pub id: String,
    pub kind: String,
    pub label: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub parent: Option<String>,
    /// Responsible bodies, where the programme names them.
    pub bodies: Vec<String>,
    /// Actions attached to this node.
    pub action_count: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProgrammeDetail {
    #[serde(flatten)]
    pub programme: Programme,
    pub objective: Option<String>,
    pub description: Option<String>,
    pub owner_body: NamedRef,
    /// The structure in document order; `parent` gives the tree.
    pub nodes: Vec<Node>,
    pub status_counts: Vec<StatusCount>,
    pub source: SourceRef,
}

const PROGRAMME_SQL: &str = "programme p";
const PROGRAMME_COLUMNS: &str = "p.*, (SELECT COUNT(*) FROM action a WHERE a.programme = p.id) AS action_count";

pub async fn programmes(db: &Db, owner: Option<&str>) -> Result<Vec<Programme>, StorageError> {
    let mut f = Filter::default();
    if let Some(o) = owner {
        let p = f.param(o);
        f.clause(format!("p.owner = {p}"));
    }
    let (rows, _) =
        f.page(db, PROGRAMME_COLUMNS, PROGRAMME_SQL, "p.start_year, p.id", Paging { limit: 1000, offset: 0 }).await?;
    map_rows(rows, Programme::from_row)
}

pub async fn programme(db: &Db, id: &str) -> Result<Option<ProgrammeDetail>, StorageError> {
    let Some(row) = db
        .fetch_optional(&format!("SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_SQL} WHERE p.id = $1"), &params![id])
        .await?
    else {
        return Ok(None);
    };
    let node_rows = db
        .fetch_all(
            "SELECT n.*, (SELECT COUNT(*) FROM action a WHERE a.node = n.id) AS action_count \
             FROM programme_node n WHERE n.programme = $1 ORDER BY n.position",
            &params![id],
        )
        .await?;
    let node_bodies = db
        .fetch_all(
            "SELECT nb.node, nb.body FROM node_body nb JOIN programme_node n ON n.id = nb.node \
             WHERE n.programme = $1 ORDER BY nb.body",
            &params![id],
        )
        .await?;
    let mut nodes = Vec::new();
    for r in &node_rows {
        let nid = r.str("id")?;
        let mut bodies = Vec::new();
        for b in &node_bodies {
            if b.str("node")? == nid {
                bodies.push(b.str("body")?);
            }
        }
        nodes.push(Node {
            id: nid,
            kind: r.str("kind")?,
            label: r.opt_str("label")?,
            title: r.str("title")?,
            description: r.opt_str("description")?,
            parent: r.opt_str("parent")?,
            bodies,
            action_count: r.i64("action_count")?,
        });
    }
    let counts = db
        .fetch_all(
            "SELECT status, COUNT(*) AS n FROM action WHERE programme = $1 GROUP BY status ORDER BY status",
            &params![id],
        )
        .await?;
    let owner = db.fetch_optional("SELECT id, name FROM body WHERE id = $1", &params![row.str("owner")?]).await?;
    Ok(Some(ProgrammeDetail {
        programme: Programme::from_row(&row)?,
        objective: row.opt_str("objective")?,
        description: row.opt_str("description")?,
        owner_body: match owner {
            Some(o) => NamedRef::from_row(&o)?,
            None => NamedRef { id: row.str("owner")?, name: row.str("owner")? },
        },
        nodes,
        status_counts: map_rows(counts, |r| Ok(StatusCount { status: r.str("status")?, count: r.i64("n")? }))?,
        source: SourceRef::from_row(&row)?,
    }))
}

/// What the action list can be filtered by. Values are already parsed.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub programme: Option<String>,
    pub body: Option<String>,
    pub member_state: Option<String>,
    pub partner: Option<String>,
    /// A structure node id: the action's own node or any node below it.
    pub thematic_area: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i64>,
    pub meeting: Option<String>,
    pub q: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Action {
    pub id: String,
    pub programme: String,
    pub key: String,
    pub label: Option<String>,
    /// recommended_action, activity, project, initiative or commitment.
    pub kind: String,
    pub title: String,
    pub node: Option<String>,
    pub parent: Option<String>,
    /// planned, ongoing, completed, tbc or absorbed.
    pub status: String,
    /// Whether the source states the status (otherwise `planned` by default).
    pub status_stated: bool,
    /// The indicative calendar as the document writes it.
    pub calendar: Option<String>,
    /// date, date_range, month, year, years, annual, ongoing, tbc or unparsed.
    pub calendar_kind: String,
    pub start_year: Option<i64>,
    pub end_year: Option<i64>,
    /// Responsible bodies.
    pub bodies: Vec<String>,
    /// Changes with every edit; an edit must name the version it was made from.
    pub version: i64,
}

impl Action {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        let bodies = r.opt_str("body_list")?.unwrap_or_default();
        let mut bodies: Vec<String> = bodies.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
        bodies.sort();
        Ok(Action {
            id: r.str("id")?,
            programme: r.str("programme")?,
            key: r.str("action_key")?,
            label: r.opt_str("label")?,
            kind: r.str("kind")?,
            title: r.str("title")?,
            node: r.opt_str("node")?,
            parent: r.opt_str("parent")?,
            status: r.str("status")?,
            status_stated: r.bool("status_stated")?,
            calendar: r.opt_str("calendar_text")?,
            calendar_kind: r.str("calendar_kind")?,
            start_year: r.opt_i64("start_year")?,
            end_year: r.opt_i64("end_year")?,
            bodies,
            version: r.i64("version")?,
        })
    }
}

/// Responsible bodies as one comma-separated column: SQLite and PostgreSQL spell
/// string aggregation differently, so the backend picks the function.
pub(crate) fn body_list_sql(db: &Db) -> &'static str {
    match db.backend() {
        crate::Backend::Sqlite => {
            "(SELECT GROUP_CONCAT(ab.body, ',') FROM action_body ab WHERE ab.action = a.id) AS body_list"
        }
        crate::Backend::Postgres => {
            "(SELECT STRING_AGG(ab.body, ',') FROM action_body ab WHERE ab.action = a.id) AS body_list"
        }
    }
}

pub async fn actions(db: &Db, filter: &ActionFilter, paging: Paging) -> Result<Slice<Action>, StorageError> {
    let mut f = Filter::default();
    // Retired actions stay in the database and the audit trail, not in lists.
    f.clause("a.retired_at IS NULL".into());
    if let Some(v) = &filter.programme {
        let p = f.param(v);
        f.clause(format!("a.programme = {p}"));
    }
    if let Some(v) = &filter.body {
        let p = f.param(v);
        // A body's actions: those it is responsible for, and those of its own plans
        // (a work plan's actions rarely repeat the body that owns the plan).
        f.clause(format!(
            "(EXISTS (SELECT 1 FROM action_body ab WHERE ab.action = a.id AND ab.body = {p}) \
             OR a.programme IN (SELECT pr.id FROM programme pr WHERE pr.owner = {p}))"
        ));
    }
    if let Some(v) = &filter.member_state {
        let p = f.param(v);
        f.clause(format!(
            "EXISTS (SELECT 1 FROM action_party ap WHERE ap.action = a.id AND ap.role = 'coordinator' AND ap.member_state = {p})"
        ));
    }
    if let Some(v) = &filter.partner {
        let p = f.param(v);
        f.clause(format!("EXISTS (SELECT 1 FROM action_party ap WHERE ap.action = a.id AND ap.partner = {p})"));
    }
    if let Some(v) = &filter.thematic_area {
        // The node itself and up to three levels below it: programme trees are shallow.
        let p = f.param(v);
        f.clause(format!(
            "(a.node = {p} OR a.node IN (SELECT n1.id FROM programme_node n1 WHERE n1.parent = {p}) \
             OR a.node IN (SELECT n2.id FROM programme_node n2 JOIN programme_node n1 ON n2.parent = n1.id WHERE n1.parent = {p}) \
             OR a.node IN (SELECT n3.id FROM programme_node n3 JOIN programme_node n2 ON n3.parent = n2.id \
                           JOIN programme_node n1 ON n2.parent = n1.id WHERE n1.parent = {p}))"
        ));
    }
    if let Some(v) = &filter.status {
        let p = f.param(v);
        f.clause(format!("a.status = {p}"));
    }
    if let Some(v) = &filter.kind {
        let p = f.param(v);
        f.clause(format!("a.kind = {p}"));
    }
    if let Some(y) = filter.year {
        let p = f.param(y);
        f.clause(format!("a.start_year <= {p} AND a.end_year >= {p}"));
    }
    if let Some(v) = &filter.meeting {
        let p = f.param(v);
        f.clause(format!(
            "(EXISTS (SELECT 1 FROM meeting_action ma WHERE ma.action = a.id AND ma.meeting = {p}) \
             OR EXISTS (SELECT 1 FROM recommendation_action ra JOIN recommendation r ON r.id = ra.recommendation \
                        WHERE ra.action = a.id AND r.meeting = {p}))"
        ));
    }
    f.text_search(&filter.q, &["a.title", "a.description"]);
    let columns = format!("a.*, {}", body_list_sql(db));
    let (rows, total) = f.page(db, &columns, "action a", "a.programme, a.position", paging).await?;
    Ok(Slice { items: map_rows(rows, Action::from_row)?, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActionLineRef {
    pub id: String,
    pub code: String,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecommendationRef {
    pub id: String,
    pub meeting: String,
    pub number: String,
    pub text: String,
}

impl RecommendationRef {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(RecommendationRef {
            id: r.str("id")?,
            meeting: r.str("meeting")?,
            number: r.str("number")?,
            text: r.str("text")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActionDetail {
    #[serde(flatten)]
    pub action: Action,
    pub description: Option<String>,
    pub programme_ref: NamedRef,
    /// The structure nodes from the top of the programme down to the action's own.
    pub path: Vec<NamedRef>,
    pub parent_ref: Option<ActionRef>,
    /// Activities under this action.
    pub children: Vec<ActionRef>,
    pub coordinators: Vec<PartyView>,
    pub collaborators: Vec<PartyView>,
    pub absorbed_into: Option<ActionRef>,
    /// Actions of other plans this one carries out.
    pub carries: Vec<ActionRef>,
    /// Actions of other plans that carry this one out.
    pub carried_by: Vec<ActionRef>,
    pub action_lines: Vec<ActionLineRef>,
    pub instruments: Vec<NamedRef>,
    /// Meetings that implement it.
    pub meetings: Vec<MeetingRef>,
    /// Recommendations it carries out.
    pub recommendations: Vec<RecommendationRef>,
    pub source: SourceRef,
}

async fn action_refs(db: &Db, sql_tail: &str, id: &str) -> Result<Vec<ActionRef>, StorageError> {
    let rows = db.fetch_all(&format!("SELECT {ACTION_REF_COLUMNS} FROM action a {sql_tail}"), &params![id]).await?;
    map_rows(rows, ActionRef::from_row)
}

pub async fn action(db: &Db, id: &str) -> Result<Option<ActionDetail>, StorageError> {
    let Some(row) = db
        .fetch_optional(
            &format!("SELECT a.*, {} FROM action a WHERE a.id = $1 AND a.retired_at IS NULL", body_list_sql(db)),
            &params![id],
        )
        .await?
    else {
        return Ok(None);
    };
    let action = Action::from_row(&row)?;
    let key = params![id];
    let programme_key = params![&action.programme];
    let absorbed = row.opt_str("absorbed_into")?;
    let coordinators_sql = party_sql("action_party", "action", "AND p.role = 'coordinator'");
    let collaborators_sql = party_sql("action_party", "action", "AND p.role = 'collaborator'");
    let meetings_sql = format!(
        "SELECT {MEETING_REF_COLUMNS} FROM meeting m JOIN meeting_action x ON x.meeting = m.id \
         WHERE x.action = $1 ORDER BY m.start_date, m.id"
    );
    // One query per relation, in sequence: a request holds one pooled connection
    // at a time, which keeps latency steady under load.
    let programme_ref = db.fetch_optional("SELECT id, name FROM programme WHERE id = $1", &programme_key).await?;
    let nodes =
        db.fetch_all("SELECT id, title, parent FROM programme_node WHERE programme = $1", &programme_key).await?;
    let coordinators = db.fetch_all(&coordinators_sql, &key).await?;
    let collaborators = db.fetch_all(&collaborators_sql, &key).await?;
    let action_lines = db
        .fetch_all(
            "SELECT l.id, l.code, l.text FROM action_line l JOIN action_action_line x ON x.action_line = l.id \
             WHERE x.action = $1 ORDER BY l.code",
            &key,
        )
        .await?;
    let instruments = db
        .fetch_all(
            "SELECT i.id, i.name FROM instrument i JOIN action_instrument x ON x.instrument = i.id \
             WHERE x.action = $1 ORDER BY i.id",
            &key,
        )
        .await?;
    let meetings = db.fetch_all(&meetings_sql, &key).await?;
    let recommendations = db
        .fetch_all(
            "SELECT r.id, r.meeting, r.number, r.text FROM recommendation r \
             JOIN recommendation_action x ON x.recommendation = r.id \
             WHERE x.action = $1 ORDER BY r.meeting, r.position",
            &key,
        )
        .await?;
    let parent_ref = match &action.parent {
        Some(p) => action_refs(db, "WHERE a.id = $1", p).await?.into_iter().next(),
        None => None,
    };
    let absorbed_into = match &absorbed {
        Some(p) => action_refs(db, "WHERE a.id = $1", p).await?.into_iter().next(),
        None => None,
    };
    let children = action_refs(db, "WHERE a.parent = $1 ORDER BY a.position", id).await?;
    let carries =
        action_refs(db, "JOIN action_carries c ON c.carried = a.id WHERE c.action = $1 ORDER BY a.id", id).await?;
    let carried_by =
        action_refs(db, "JOIN action_carries c ON c.action = a.id WHERE c.carried = $1 ORDER BY a.id", id).await?;
    // The path from the top of the programme down to the action's node.
    let mut path = Vec::new();
    let mut next = action.node.clone();
    while let Some(node_id) = next.take() {
        let Some(n) = nodes.iter().find(|n| n.str("id").ok().as_deref() == Some(node_id.as_str())) else { break };
        path.push(NamedRef { id: n.str("id")?, name: n.str("title")? });
        next = n.opt_str("parent")?;
        if path.len() > nodes.len() {
            break;
        }
    }
    path.reverse();
    Ok(Some(ActionDetail {
        description: row.opt_str("description")?,
        programme_ref: match programme_ref {
            Some(r) => NamedRef::from_row(&r)?,
            None => NamedRef { id: action.programme.clone(), name: action.programme.clone() },
        },
        path,
        parent_ref,
        children,
        coordinators: map_rows(coordinators, PartyView::from_row)?,
        collaborators: map_rows(collaborators, PartyView::from_row)?,
        absorbed_into,
        carries,
        carried_by,
        action_lines: map_rows(action_lines, |r| {
            Ok(ActionLineRef { id: r.str("id")?, code: r.str("code")?, text: r.opt_str("text")? })
        })?,
        instruments: map_rows(instruments, NamedRef::from_row)?,
        meetings: map_rows(meetings, MeetingRef::from_row)?,
        recommendations: map_rows(recommendations, RecommendationRef::from_row)?,
        source: SourceRef::from_row(&row)?,
        action,
    }))
}

/// What the action list leaves out and a programme's page shows beside each
/// action: who coordinates it, and the action that absorbed it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActionAside {
    pub coordinators: Vec<PartyView>,
    pub absorbed_into: Option<ActionRef>,
}

/// The asides of every action of a programme that has one, by action id: two
/// queries for the whole programme rather than two per action.
pub async fn programme_action_asides(
    db: &Db,
    programme: &str,
) -> Result<std::collections::HashMap<String, ActionAside>, StorageError> {
    let mut asides: std::collections::HashMap<String, ActionAside> = std::collections::HashMap::new();
    let parties = db
        .fetch_all(
            "SELECT p.action AS action_id, p.party_kind, COALESCE(p.member_state, p.body, p.partner) AS ref_id, \
             COALESCE(ms.name, b.abbreviation, b.name, pa.abbreviation, pa.name, p.text) AS name \
             FROM action_party p JOIN action a ON a.id = p.action \
             LEFT JOIN member_state ms ON ms.code = p.member_state \
             LEFT JOIN body b ON b.id = p.body \
             LEFT JOIN partner pa ON pa.id = p.partner \
             WHERE a.programme = $1 AND p.role = 'coordinator' ORDER BY p.action, p.position",
            &params![programme],
        )
        .await?;
    for r in &parties {
        asides.entry(r.str("action_id")?).or_default().coordinators.push(PartyView::from_row(r)?);
    }
    let absorbed = db
        .fetch_all(
            &format!(
                "SELECT x.id AS action_id, {ACTION_REF_COLUMNS} FROM action x JOIN action a ON a.id = x.absorbed_into \
                 WHERE x.programme = $1"
            ),
            &params![programme],
        )
        .await?;
    for r in &absorbed {
        asides.entry(r.str("action_id")?).or_default().absorbed_into = Some(ActionRef::from_row(r)?);
    }
    Ok(asides)
}
