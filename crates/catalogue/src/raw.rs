//! The shapes of the catalogue files as people write them (see catalogue/README.md).
//! Unknown fields are refused, so that a misspelt field name is an error, not a loss.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub file: RawHeader,
    #[serde(default)]
    pub member_state: Vec<RawMemberState>,
    #[serde(default)]
    pub body: Vec<RawBody>,
    #[serde(default)]
    pub partner: Vec<RawPartner>,
    #[serde(default)]
    pub glossary: Vec<RawGlossary>,
    #[serde(default)]
    pub instrument: Vec<RawInstrument>,
    #[serde(default)]
    pub action_line: Vec<RawActionLine>,
    #[serde(default)]
    pub pillar_concern: Vec<RawPillarConcern>,
    #[serde(default)]
    pub convention: Vec<RawConvention>,
    #[serde(default)]
    pub ratification: Vec<RawRatification>,
    #[serde(default)]
    pub ratification_snapshot: Vec<RawSnapshot>,
    #[serde(default)]
    pub programme: Vec<RawProgramme>,
    #[serde(default)]
    pub node: Vec<RawNode>,
    #[serde(default)]
    pub action: Vec<RawAction>,
    #[serde(default)]
    pub meeting: Vec<RawMeeting>,
    #[serde(default)]
    pub recommendation: Vec<RawRecommendation>,
    #[serde(default)]
    pub indicator: Vec<RawIndicator>,
    #[serde(default)]
    pub count: Vec<RawCount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub document: String,
    pub title: String,
    pub notes: Option<String>,
}

/// A member state, body or partner id, or free text for anything else.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawParty {
    Id(String),
    Text { text: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMemberState {
    pub code: String,
    pub iso2: String,
    pub name: String,
    pub joined: String,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    pub kind: String,
    pub reports_to: Option<String>,
    pub established: Option<toml::Value>,
    pub description: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartner {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGlossary {
    pub term: String,
    pub expansion: String,
    /// Other documents whose abbreviation lists hold the same term.
    #[serde(default)]
    pub also: Vec<RawAlso>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstrument {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub date: Option<toml::Value>,
    pub description: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionLine {
    pub id: String,
    pub instrument: String,
    pub code: String,
    pub text: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPillarConcern {
    pub id: String,
    pub pillar: String,
    pub text: String,
    pub position: Option<i64>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub category: String,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConvention {
    pub id: String,
    pub number: i64,
    pub kind: String,
    pub title: String,
    pub short_title: Option<String>,
    pub adopted: Option<i64>,
    #[serde(default)]
    pub categories: Vec<RawCategory>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRatification {
    pub member_state: String,
    pub convention: String,
    pub event: String,
    pub date: String,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSnapshot {
    pub as_of: String,
    pub member_state: String,
    pub convention: String,
    pub status: String,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgramme {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub owner: String,
    pub start_year: i64,
    pub end_year: Option<i64>,
    pub objective: Option<String>,
    pub description: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub programme: String,
    pub key: String,
    pub kind: String,
    pub label: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub parent: Option<String>,
    #[serde(default)]
    pub bodies: Vec<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub programme: String,
    pub key: String,
    pub label: Option<String>,
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub node: Option<String>,
    pub parent: Option<String>,
    #[serde(default)]
    pub bodies: Vec<String>,
    #[serde(default)]
    pub coordinators: Vec<RawParty>,
    #[serde(default)]
    pub collaborators: Vec<RawParty>,
    pub calendar: Option<String>,
    pub status: Option<String>,
    pub absorbed_into: Option<String>,
    #[serde(default)]
    pub carries: Vec<String>,
    #[serde(default)]
    pub action_lines: Vec<String>,
    #[serde(default)]
    pub instruments: Vec<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeeting {
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
    pub date_text: Option<String>,
    pub theme: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub participants: Vec<RawParty>,
    #[serde(default)]
    pub implements: Vec<String>,
    #[serde(default)]
    pub instruments: Vec<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecommendation {
    pub meeting: String,
    pub number: String,
    pub heading: Option<String>,
    pub text: String,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub instruments: Vec<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub code: String,
    pub name: String,
    pub set: String,
    pub kind: String,
    pub group: Option<String>,
    pub label: Option<String>,
    pub ilostat: Option<String>,
    pub definition: String,
    pub unit: Option<String>,
    pub adopted_by: Option<String>,
    pub section: String,
    pub document: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlso {
    pub document: String,
    pub section: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCount {
    pub document: String,
    pub section: String,
    pub kind: String,
    pub count: i64,
    pub notes: Option<String>,
}

/// Where an entry comes from, for every kind of entry.
pub trait Cited {
    fn section(&self) -> &str;
    fn document(&self) -> Option<&str>;
    fn notes(&self) -> Option<&str>;
    fn source(&self) -> Option<&str>;
}

macro_rules! cited {
    ($($t:ty),+) => {$(
        impl Cited for $t {
            fn section(&self) -> &str { &self.section }
            fn document(&self) -> Option<&str> { self.document.as_deref() }
            fn notes(&self) -> Option<&str> { self.notes.as_deref() }
            fn source(&self) -> Option<&str> { self.source.as_deref() }
        }
    )+};
}

cited!(
    RawMemberState,
    RawBody,
    RawPartner,
    RawGlossary,
    RawInstrument,
    RawActionLine,
    RawPillarConcern,
    RawConvention,
    RawRatification,
    RawSnapshot,
    RawProgramme,
    RawNode,
    RawAction,
    RawMeeting,
    RawRecommendation,
    RawIndicator
);
