//! Read queries shared by the JSON API and the pages: lists with filters and
//! single records with their relations expanded. Filters arrive as parsed domain
//! values; the SQL is the same on both backends.

mod bodies;
mod conventions;
mod meetings;
mod programmes;
mod reference;

pub use bodies::*;
pub use conventions::*;
pub use meetings::*;
pub use programmes::*;
pub use reference::*;

use crate::db::{Row, Value};
use crate::{Db, StorageError};
use serde::Serialize;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: i64,
    pub offset: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Paging { limit: 50, offset: 0 }
    }
}

/// A slice of a list and the size of the whole list.
#[derive(Debug, Clone)]
pub struct Slice<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// Collects WHERE clauses and their parameters, numbering placeholders.
#[derive(Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    /// Adds a parameter and returns its placeholder.
    pub fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("${}", self.params.len())
    }
    pub fn clause(&mut self, clause: String) {
        self.clauses.push(clause);
    }
    /// Adds a case-insensitive substring match on the given columns.
    pub fn text_search(&mut self, q: &Option<String>, columns: &[&str]) {
        if let Some(q) = q {
            let p = self.param(format!("%{}%", q.to_lowercase()));
            let ors: Vec<String> = columns.iter().map(|c| format!("LOWER(COALESCE({c}, '')) LIKE {p}")).collect();
            self.clause(format!("({})", ors.join(" OR ")));
        }
    }
    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// Runs `SELECT columns FROM from_sql WHERE … ORDER BY …` with paging, and the count.
    pub async fn page(
        mut self,
        db: &Db,
        columns: &str,
        from_sql: &str,
        order: &str,
        paging: Paging,
    ) -> Result<(Vec<Row>, i64), StorageError> {
        let where_sql = self.where_sql();
        let total = db
            .fetch_optional(&format!("SELECT COUNT(*) AS n FROM {from_sql}{where_sql}"), &self.params)
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let limit = self.param(paging.limit);
        let offset = self.param(paging.offset);
        let rows = db
            .fetch_all(
                &format!("SELECT {columns} FROM {from_sql}{where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}"),
                &self.params,
            )
            .await?;
        Ok((rows, total))
    }
}

/// Where a record comes from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SourceRef {
    /// The seed document's file name, or the public source for added data.
    pub document: String,
    /// The section, table or paragraph in that document.
    pub section: String,
    /// The catalogue file that transcribes it.
    pub file: String,
    /// A public record used where the document gives no such detail.
    pub reference: Option<String>,
    /// The curator's notes: fixes, doubts, reconstructions.
    pub notes: Option<String>,
}

impl SourceRef {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(SourceRef {
            document: r.str("source_document")?,
            section: r.str("source_section")?,
            file: r.str("source_file")?,
            reference: r.opt_str("source_reference")?,
            notes: r.opt_str("notes")?,
        })
    }
}

/// Maps every row with a fallible constructor.
pub(crate) fn map_rows<T>(rows: Vec<Row>, f: impl Fn(&Row) -> Result<T, StorageError>) -> Result<Vec<T>, StorageError> {
    rows.iter().map(f).collect()
}

/// A short reference to an action.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActionRef {
    pub id: String,
    pub programme: String,
    pub label: Option<String>,
    pub title: String,
    pub status: String,
}

pub(crate) const ACTION_REF_COLUMNS: &str = "a.id, a.programme, a.label, a.title, a.status";

impl ActionRef {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(ActionRef {
            id: r.str("id")?,
            programme: r.str("programme")?,
            label: r.opt_str("label")?,
            title: r.str("title")?,
            status: r.str("status")?,
        })
    }
}

/// A short reference to a meeting.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MeetingRef {
    pub id: String,
    pub title: String,
    pub start: Option<String>,
    pub date_text: Option<String>,
}

pub(crate) const MEETING_REF_COLUMNS: &str = "m.id, m.title, m.start_date, m.date_text";

impl MeetingRef {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(MeetingRef {
            id: r.str("id")?,
            title: r.str("title")?,
            start: r.opt_str("start_date")?,
            date_text: r.opt_str("date_text")?,
        })
    }
}

/// A short reference to a body, partner, member state or programme.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

impl NamedRef {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        Ok(NamedRef { id: r.str("id")?, name: r.str("name")? })
    }
}

/// Who coordinates, collaborates or takes part: a link to a record, or text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyView {
    /// member_state, body, partner, secretariat, all_member_states, tbc or text.
    pub kind: String,
    /// The id of the member state, body or partner, where it is one.
    pub id: Option<String>,
    /// What to show.
    pub name: String,
}

/// The SQL that reads parties of `table` (action_party or meeting_party).
pub(crate) fn party_sql(table: &str, parent_column: &str, extra_where: &str) -> String {
    format!(
        "SELECT p.party_kind, COALESCE(p.member_state, p.body, p.partner) AS ref_id, \
         COALESCE(ms.name, b.abbreviation, b.name, pa.abbreviation, pa.name, p.text) AS name \
         FROM {table} p \
         LEFT JOIN member_state ms ON ms.code = p.member_state \
         LEFT JOIN body b ON b.id = p.body \
         LEFT JOIN partner pa ON pa.id = p.partner \
         WHERE p.{parent_column} = $1 {extra_where} ORDER BY p.position"
    )
}

impl PartyView {
    pub(crate) fn from_row(r: &Row) -> Result<Self, StorageError> {
        let kind = r.str("party_kind")?;
        let name = match kind.as_str() {
            "secretariat" => "ASEAN Secretariat".to_string(),
            "all_member_states" => "All ASEAN Member States".to_string(),
            "tbc" => "To be confirmed".to_string(),
            _ => r.opt_str("name")?.unwrap_or_default(),
        };
        Ok(PartyView { kind, id: r.opt_str("ref_id")?, name })
    }
}
