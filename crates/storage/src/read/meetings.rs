//! Meetings and the recommendations they adopt.

use super::*;
use crate::params;

#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub series: Option<String>,
    pub body: Option<String>,
    /// Host member state.
    pub member_state: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i64>,
    /// Meetings that implement this action.
    pub action: Option<String>,
    pub q: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Meeting {
    pub id: String,
    pub series: Option<String>,
    pub number: Option<i64>,
    pub title: String,
    pub kind: String,
    pub body: Option<String>,
    pub host: Option<String>,
    pub city: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// The date as the document gives it, when it is not a day.
    pub date_text: Option<String>,
    pub recommendation_count: i64,
}

impl Meeting {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Meeting {
            id: r.str("id")?,
            series: r.opt_str("series")?,
            number: r.opt_i64("number")?,
            title: r.str("title")?,
            kind: r.str("kind")?,
            body: r.opt_str("body")?,
            host: r.opt_str("host")?,
            city: r.opt_str("city")?,
            start: r.opt_str("start_date")?,
            end: r.opt_str("end_date")?,
            date_text: r.opt_str("date_text")?,
            recommendation_count: r.i64("recommendation_count")?,
        })
    }
}

const MEETING_COLUMNS: &str =
    "m.*, (SELECT COUNT(*) FROM recommendation r WHERE r.meeting = m.id) AS recommendation_count";

pub async fn meetings(db: &Db, filter: &MeetingFilter, paging: Paging) -> Result<Slice<Meeting>, StorageError> {
    let mut f = Filter::default();
    for (column, value) in [
        ("m.series", &filter.series),
        ("m.body", &filter.body),
        ("m.host", &filter.member_state),
        ("m.kind", &filter.kind),
    ] {
        if let Some(v) = value {
            let p = f.param(v);
            f.clause(format!("{column} = {p}"));
        }
    }
    if let Some(y) = filter.year {
        // A meeting belongs to a year by its start date, or by the year its
        // date text names when it has no day.
        let p = f.param(format!("{y:04}"));
        f.clause(format!(
            "(SUBSTR(m.start_date, 1, 4) = {p} OR (m.start_date IS NULL AND m.date_text LIKE '%' || {p} || '%'))"
        ));
    }
    if let Some(a) = &filter.action {
        let p = f.param(a);
        f.clause(format!("EXISTS (SELECT 1 FROM meeting_action x WHERE x.meeting = m.id AND x.action = {p})"));
    }
    f.text_search(&filter.q, &["m.title", "m.theme", "m.city"]);
    let (rows, total) =
        f.page(db, MEETING_COLUMNS, "meeting m", "COALESCE(m.start_date, m.date_text, ''), m.id", paging).await?;
    Ok(Slice { items: map_rows(rows, Meeting::from_row)?, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recommendation {
    pub id: String,
    pub meeting: String,
    /// The document's numbering: `1`, `a`, `8.a`.
    pub number: String,
    pub parent: Option<String>,
    /// The heading it stands under, as written.
    pub heading: Option<String>,
    pub text: String,
}

impl Recommendation {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Recommendation {
            id: r.str("id")?,
            meeting: r.str("meeting")?,
            number: r.str("number")?,
            parent: r.opt_str("parent")?,
            heading: r.opt_str("heading")?,
            text: r.str("text")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecommendationItem {
    #[serde(flatten)]
    pub recommendation: Recommendation,
    /// Actions that carry it out.
    pub actions: Vec<ActionRef>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeetingDetail {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub participants: Vec<PartyView>,
    /// Actions the meeting implements.
    pub implements: Vec<ActionRef>,
    pub instruments: Vec<NamedRef>,
    /// In the document's order.
    pub recommendations: Vec<RecommendationItem>,
    pub source: SourceRef,
}

async fn recommendation_actions(db: &Db, recommendation: &str) -> Result<Vec<ActionRef>, StorageError> {
    let rows = db
        .fetch_all(
            &format!(
                "SELECT {ACTION_REF_COLUMNS} FROM action a JOIN recommendation_action x ON x.action = a.id \
                 WHERE x.recommendation = $1 ORDER BY a.id"
            ),
            &params![recommendation],
        )
        .await?;
    map_rows(rows, ActionRef::from_row)
}

pub async fn meeting(db: &Db, id: &str) -> Result<Option<MeetingDetail>, StorageError> {
    let Some(row) =
        db.fetch_optional(&format!("SELECT {MEETING_COLUMNS} FROM meeting m WHERE m.id = $1"), &params![id]).await?
    else {
        return Ok(None);
    };
    // One query per relation, in sequence: a request holds one pooled connection
    // at a time, which keeps latency steady under load.
    let participants_sql = party_sql("meeting_party", "meeting", "");
    let implements_sql = format!(
        "SELECT {ACTION_REF_COLUMNS} FROM action a JOIN meeting_action x ON x.action = a.id WHERE x.meeting = $1 ORDER BY a.id"
    );
    // The actions of all the meeting's recommendations in one query, not one each.
    let links_sql = format!(
        "SELECT x.recommendation AS rec, {ACTION_REF_COLUMNS} FROM action a \
         JOIN recommendation_action x ON x.action = a.id \
         JOIN recommendation r ON r.id = x.recommendation WHERE r.meeting = $1 ORDER BY a.id"
    );
    let key = params![id];
    let participants = db.fetch_all(&participants_sql, &key).await?;
    let implements = db.fetch_all(&implements_sql, &key).await?;
    let instruments = db
        .fetch_all(
            "SELECT i.id, i.name FROM instrument i JOIN meeting_instrument x ON x.instrument = i.id \
             WHERE x.meeting = $1 ORDER BY i.id",
            &key,
        )
        .await?;
    let recs = db.fetch_all("SELECT * FROM recommendation WHERE meeting = $1 ORDER BY position", &key).await?;
    let links = db.fetch_all(&links_sql, &key).await?;
    let mut by_recommendation: std::collections::HashMap<String, Vec<ActionRef>> = std::collections::HashMap::new();
    for l in &links {
        by_recommendation.entry(l.str("rec")?).or_default().push(ActionRef::from_row(l)?);
    }
    let mut recommendations = Vec::new();
    for r in &recs {
        let recommendation = Recommendation::from_row(r)?;
        let actions = by_recommendation.remove(&recommendation.id).unwrap_or_default();
        recommendations.push(RecommendationItem { recommendation, actions });
    }
    Ok(Some(MeetingDetail {
        meeting: Meeting::from_row(&row)?,
        theme: row.opt_str("theme")?,
        description: row.opt_str("description")?,
        participants: map_rows(participants, PartyView::from_row)?,
        implements: map_rows(implements, ActionRef::from_row)?,
        instruments: map_rows(instruments, NamedRef::from_row)?,
        recommendations,
        source: SourceRef::from_row(&row)?,
    }))
}

#[derive(Debug, Clone, Default)]
pub struct RecommendationFilter {
    pub meeting: Option<String>,
    pub action: Option<String>,
    pub series: Option<String>,
    pub q: Option<String>,
}

pub async fn recommendations(
    db: &Db,
    filter: &RecommendationFilter,
    paging: Paging,
) -> Result<Slice<Recommendation>, StorageError> {
    let mut f = Filter::default();
    if let Some(v) = &filter.meeting {
        let p = f.param(v);
        f.clause(format!("r.meeting = {p}"));
    }
    if let Some(v) = &filter.action {
        let p = f.param(v);
        f.clause(format!(
            "EXISTS (SELECT 1 FROM recommendation_action x WHERE x.recommendation = r.id AND x.action = {p})"
        ));
    }
    if let Some(v) = &filter.series {
        let p = f.param(v);
        f.clause(format!("EXISTS (SELECT 1 FROM meeting m WHERE m.id = r.meeting AND m.series = {p})"));
    }
    f.text_search(&filter.q, &["r.text", "r.heading"]);
    let (rows, total) = f.page(db, "r.*", "recommendation r", "r.meeting, r.position", paging).await?;
    Ok(Slice { items: map_rows(rows, Recommendation::from_row)?, total })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecommendationDetail {
    #[serde(flatten)]
    pub recommendation: Recommendation,
    pub meeting_ref: MeetingRef,
    pub items: Vec<Recommendation>,
    pub actions: Vec<ActionRef>,
    pub instruments: Vec<NamedRef>,
    pub source: SourceRef,
}

pub async fn recommendation(db: &Db, id: &str) -> Result<Option<RecommendationDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM recommendation WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let recommendation = Recommendation::from_row(&row)?;
    let meeting = db
        .fetch_optional(
            &format!("SELECT {MEETING_REF_COLUMNS} FROM meeting m WHERE m.id = $1"),
            &params![&recommendation.meeting],
        )
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("recommendation {id} has no meeting")))?;
    let items = db.fetch_all("SELECT * FROM recommendation WHERE parent = $1 ORDER BY position", &params![id]).await?;
    let instruments = db
        .fetch_all(
            "SELECT i.id, i.name FROM instrument i JOIN recommendation_instrument x ON x.instrument = i.id \
             WHERE x.recommendation = $1 ORDER BY i.id",
            &params![id],
        )
        .await?;
    Ok(Some(RecommendationDetail {
        meeting_ref: MeetingRef::from_row(&meeting)?,
        items: map_rows(items, Recommendation::from_row)?,
        actions: recommendation_actions(db, id).await?,
        instruments: map_rows(instruments, NamedRef::from_row)?,
        source: SourceRef::from_row(&row)?,
        recommendation,
    }))
}
