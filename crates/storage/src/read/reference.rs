//! Indicators, instruments, glossary, pillar concerns, and what the database holds
//! at a glance.

use super::*;
use crate::params;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Indicator {
    pub code: String,
    pub name: String,
    /// lmis-common or oshnet-scorecard.
    pub set: String,
    /// quantitative or qualitative.
    pub kind: String,
    pub group: Option<String>,
    pub label: Option<String>,
    /// The ILOSTAT indicator code, where one exists.
    pub ilostat: Option<String>,
    pub definition: String,
    pub unit: Option<String>,
    /// The recommendation that adopted it.
    pub adopted_by: Option<String>,
    pub source: SourceRef,
}

impl Indicator {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Indicator {
            code: r.str("code")?,
            name: r.str("name")?,
            set: r.str("indicator_set")?,
            kind: r.str("kind")?,
            group: r.opt_str("group_name")?,
            label: r.opt_str("label")?,
            ilostat: r.opt_str("ilostat_code")?,
            definition: r.str("definition")?,
            unit: r.opt_str("unit")?,
            adopted_by: r.opt_str("adopted_by")?,
            source: SourceRef::from_row(r)?,
        })
    }
}

pub async fn indicators(db: &Db, set: Option<&str>, kind: Option<&str>) -> Result<Vec<Indicator>, StorageError> {
    let mut f = Filter::default();
    if let Some(s) = set {
        let p = f.param(s);
        f.clause(format!("indicator_set = {p}"));
    }
    if let Some(k) = kind {
        let p = f.param(k);
        f.clause(format!("kind = {p}"));
    }
    let (rows, _) = f.page(db, "*", "indicator", "indicator_set, position", Paging { limit: 1000, offset: 0 }).await?;
    map_rows(rows, Indicator::from_row)
}

pub async fn indicator(db: &Db, code: &str) -> Result<Option<Indicator>, StorageError> {
    db.fetch_optional("SELECT * FROM indicator WHERE code = $1", &params![code])
        .await?
        .map(|r| Indicator::from_row(&r))
        .transpose()
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    /// As precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: Option<String>,
    pub description: Option<String>,
    pub source: SourceRef,
}

impl Instrument {
    fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(Instrument {
            id: r.str("id")?,
            name: r.str("name")?,
            short_name: r.opt_str("short_name")?,
            kind: r.str("kind")?,
            date: r.opt_str("date_text")?,
            description: r.opt_str("description")?,
            source: SourceRef::from_row(r)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InstrumentDetail {
    #[serde(flatten)]
    pub instrument: Instrument,
    pub action_lines: Vec<ActionLineRef>,
    /// Actions that cite it or one of its action lines.
    pub actions: Vec<ActionRef>,
    pub meetings: Vec<MeetingRef>,
    pub recommendations: Vec<RecommendationRef>,
}

pub async fn instruments(db: &Db, kind: Option<&str>) -> Result<Vec<Instrument>, StorageError> {
    let mut f = Filter::default();
    if let Some(k) = kind {
        let p = f.param(k);
        f.clause(format!("kind = {p}"));
    }
    let (rows, _) =
        f.page(db, "*", "instrument", "COALESCE(date_text, ''), id", Paging { limit: 1000, offset: 0 }).await?;
    map_rows(rows, Instrument::from_row)
}

pub async fn instrument(db: &Db, id: &str) -> Result<Option<InstrumentDetail>, StorageError> {
    let Some(row) = db.fetch_optional("SELECT * FROM instrument WHERE id = $1", &params![id]).await? else {
        return Ok(None);
    };
    let lines = db
        .fetch_all("SELECT id, code, text FROM action_line WHERE instrument = $1 ORDER BY code", &params![id])
        .await?;
    let actions = db
        .fetch_all(
            &format!(
                "SELECT {ACTION_REF_COLUMNS} FROM action a WHERE \
                 EXISTS (SELECT 1 FROM action_instrument x WHERE x.action = a.id AND x.instrument = $1) \
                 OR EXISTS (SELECT 1 FROM action_action_line x JOIN action_line l ON l.id = x.action_line \
                            WHERE x.action = a.id AND l.instrument = $1) ORDER BY a.programme, a.position"
            ),
            &params![id],
        )
        .await?;
    let meetings = db
        .fetch_all(
            &format!("SELECT {MEETING_REF_COLUMNS} FROM meeting m JOIN meeting_instrument x ON x.meeting = m.id WHERE x.instrument = $1 ORDER BY m.start_date"),
            &params![id],
        )
        .await?;
    let recs = db
        .fetch_all(
            "SELECT r.id, r.meeting, r.number, r.text FROM recommendation r JOIN recommendation_instrument x ON x.recommendation = r.id \
             WHERE x.instrument = $1 ORDER BY r.meeting, r.position",
            &params![id],
        )
        .await?;
    Ok(Some(InstrumentDetail {
        instrument: Instrument::from_row(&row)?,
        action_lines: map_rows(lines, |r| {
            Ok(ActionLineRef { id: r.str("id")?, code: r.str("code")?, text: r.opt_str("text")? })
        })?,
        actions: map_rows(actions, ActionRef::from_row)?,
        meetings: map_rows(meetings, MeetingRef::from_row)?,
        recommendations: map_rows(recs, RecommendationRef::from_row)?,
    }))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GlossaryTerm {
    pub term: String,
    pub expansion: String,
    pub source: SourceRef,
}

pub async fn glossary(db: &Db) -> Result<Vec<GlossaryTerm>, StorageError> {
    let rows = db.fetch_all("SELECT * FROM glossary_term ORDER BY term", &[]).await?;
    map_rows(rows, |r| {
        Ok(GlossaryTerm { term: r.str("term")?, expansion: r.str("expansion")?, source: SourceRef::from_row(r)? })
    })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PillarConcern {
    pub id: String,
    /// political_security, economic or socio_cultural.
    pub pillar: String,
    pub text: String,
    pub source: SourceRef,
}

pub async fn pillar_concerns(db: &Db) -> Result<Vec<PillarConcern>, StorageError> {
    let rows = db.fetch_all("SELECT * FROM pillar_concern ORDER BY source_document, pillar, position", &[]).await?;
    map_rows(rows, |r| {
        Ok(PillarConcern {
            id: r.str("id")?,
            pillar: r.str("pillar")?,
            text: r.str("text")?,
            source: SourceRef::from_row(r)?,
        })
    })
}

/// How many records of each kind the database holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Overview {
    pub member_states: i64,
    pub bodies: i64,
    pub partners: i64,
    pub programmes: i64,
    pub actions: i64,
    pub meetings: i64,
    pub recommendations: i64,
    pub conventions: i64,
    pub ratification_events: i64,
    pub indicators: i64,
    pub instruments: i64,
    pub glossary_terms: i64,
}

pub async fn overview(db: &Db) -> Result<Overview, StorageError> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM member_state) AS member_states, (SELECT COUNT(*) FROM body) AS bodies, \
        (SELECT COUNT(*) FROM partner) AS partners, (SELECT COUNT(*) FROM programme) AS programmes, \
        (SELECT COUNT(*) FROM action) AS actions, (SELECT COUNT(*) FROM meeting) AS meetings, \
        (SELECT COUNT(*) FROM recommendation) AS recommendations, (SELECT COUNT(*) FROM convention) AS conventions, \
        (SELECT COUNT(*) FROM ratification_event) AS ratification_events, (SELECT COUNT(*) FROM indicator) AS indicators, \
        (SELECT COUNT(*) FROM instrument) AS instruments, (SELECT COUNT(*) FROM glossary_term) AS glossary_terms";
    let r = db.fetch_optional(sql, &[]).await?.ok_or_else(|| StorageError::Corrupt("no overview row".into()))?;
    Ok(Overview {
        member_states: r.i64("member_states")?,
        bodies: r.i64("bodies")?,
        partners: r.i64("partners")?,
        programmes: r.i64("programmes")?,
        actions: r.i64("actions")?,
        meetings: r.i64("meetings")?,
        recommendations: r.i64("recommendations")?,
        conventions: r.i64("conventions")?,
        ratification_events: r.i64("ratification_events")?,
        indicators: r.i64("indicators")?,
        instruments: r.i64("instruments")?,
        glossary_terms: r.i64("glossary_terms")?,
    })
}
