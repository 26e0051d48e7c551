//! Validated catalogue records. Ids are checked, references resolved, vocabularies
//! parsed; what reaches the storage layer is known to be consistent.

use serde::Serialize;
use tripart_domain::vocab::*;
use tripart_domain::Calendar;

/// Where a record comes from: the document, the section in it, and the catalogue
/// file that transcribes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    pub document: String,
    pub section: String,
    pub file: String,
    /// A public record the data comes from when the document gives no such detail.
    pub reference: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberState {
    pub code: String,
    pub iso2: String,
    pub name: String,
    pub joined: String,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    pub kind: BodyKind,
    pub reports_to: Option<String>,
    pub established: Option<String>,
    pub description: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    pub id: String,
    pub abbreviation: Option<String>,
    pub name: String,
    pub kind: PartnerKind,
    pub description: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct GlossaryTerm {
    pub term: String,
    pub expansion: String,
    pub source: Source,
    /// Other (document, section) pairs that list the same term.
    pub also: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: InstrumentKind,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the source is.
    pub date: Option<String>,
    pub description: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionLine {
    pub id: String,
    pub instrument: String,
    pub code: String,
    pub text: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct PillarConcern {
    pub id: String,
    pub pillar: Pillar,
    pub text: String,
    pub position: i64,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorySpan {
    pub category: ConventionCategory,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Convention {
    pub id: String,
    pub number: i64,
    pub kind: ConventionKind,
    pub title: String,
    pub short_title: Option<String>,
    pub adopted: Option<i64>,
    pub categories: Vec<CategorySpan>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ratification {
    /// `MS.CONV.event.date`: one event per member state, convention, kind and day.
    pub id: String,
    pub member_state: String,
    pub convention: String,
    pub event: RatificationEvent,
    pub date: String,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub as_of: String,
    pub member_state: String,
    pub convention: String,
    pub status: RatificationStatus,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub owner: String,
    pub start_year: i64,
    /// None where the document sets no end.
    pub end_year: Option<i64>,
    pub objective: Option<String>,
    pub description: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub programme: String,
    pub key: String,
    pub kind: NodeKind,
    pub label: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub parent: Option<String>,
    pub bodies: Vec<String>,
    pub position: i64,
    pub source: Source,
}

/// Who coordinates or collaborates on an action, or takes part in a meeting.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", content = "ref", rename_all = "snake_case")]
pub enum Party {
    MemberState(String),
    Body(String),
    Partner(String),
    /// The ASEAN Secretariat, which the work plans name as a coordinator.
    Secretariat,
    AllMemberStates,
    ToBeConfirmed,
    Text(String),
}

impl Party {
    /// The kind name stored in the database.
    pub fn kind(&self) -> &'static str {
        match self {
            Party::MemberState(_) => "member_state",
            Party::Body(_) => "body",
            Party::Partner(_) => "partner",
            Party::Secretariat => "secretariat",
            Party::AllMemberStates => "all_member_states",
            Party::ToBeConfirmed => "tbc",
            Party::Text(_) => "text",
        }
    }
    /// The referenced id or the free text.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Party::MemberState(s) | Party::Body(s) | Party::Partner(s) | Party::Text(s) => Some(s),
            Party::Secretariat | Party::AllMemberStates | Party::ToBeConfirmed => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: String,
    pub programme: String,
    pub key: String,
    pub label: Option<String>,
    pub kind: ActionKind,
    pub title: String,
    pub description: Option<String>,
    pub node: Option<String>,
    pub parent: Option<String>,
    pub bodies: Vec<String>,
    pub coordinators: Vec<Party>,
    pub collaborators: Vec<Party>,
    pub calendar_text: Option<String>,
    #[serde(skip)]
    pub calendar: Calendar,
    pub status: ActionStatus,
    /// Whether the document states the status (otherwise it is `planned` by default).
    pub status_stated: bool,
    pub absorbed_into: Option<String>,
    pub carries: Vec<String>,
    pub action_lines: Vec<String>,
    pub instruments: Vec<String>,
    pub position: i64,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub id: String,
    pub series: Option<String>,
    pub number: Option<i64>,
    pub title: String,
    pub kind: MeetingKind,
    pub body: Option<String>,
    pub host: Option<String>,
    pub city: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub date_text: Option<String>,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub participants: Vec<Party>,
    pub implements: Vec<String>,
    pub instruments: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub id: String,
    pub meeting: String,
    pub number: String,
    /// The recommendation this one is an item of (`8.a` belongs to `8`), when the
    /// document gives the parent as a recommendation of its own.
    pub parent: Option<String>,
    pub heading: Option<String>,
    pub text: String,
    pub actions: Vec<String>,
    pub instruments: Vec<String>,
    pub position: i64,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub set: String,
    pub kind: IndicatorKind,
    pub group: Option<String>,
    pub label: Option<String>,
    pub ilostat: Option<String>,
    pub definition: String,
    pub unit: Option<String>,
    pub adopted_by: Option<String>,
    pub source: Source,
}

/// What a document section holds, counted by a person reading it.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectedCount {
    pub document: String,
    pub section: String,
    pub kind: String,
    pub count: i64,
    pub file: String,
    pub notes: Option<String>,
}

/// One catalogue file: what it transcribes.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueFile {
    pub path: String,
    pub document: String,
    pub title: String,
    pub notes: Option<String>,
}

/// A document section's stated count beside what the catalogue holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CountLine {
    pub document: String,
    pub section: String,
    pub kind: String,
    /// What the document holds, as counted by the curator.
    pub expected: i64,
    /// What the catalogue files hold.
    pub found: i64,
}

/// The whole validated catalogue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Catalogue {
    pub files: Vec<CatalogueFile>,
    pub member_states: Vec<MemberState>,
    pub bodies: Vec<Body>,
    pub partners: Vec<Partner>,
    pub glossary: Vec<GlossaryTerm>,
    pub instruments: Vec<Instrument>,
    pub action_lines: Vec<ActionLine>,
    pub pillar_concerns: Vec<PillarConcern>,
    pub conventions: Vec<Convention>,
    pub ratifications: Vec<Ratification>,
    pub snapshots: Vec<Snapshot>,
    pub programmes: Vec<Programme>,
    pub nodes: Vec<Node>,
    pub actions: Vec<Action>,
    pub meetings: Vec<Meeting>,
    pub recommendations: Vec<Recommendation>,
    pub indicators: Vec<Indicator>,
    pub expected_counts: Vec<ExpectedCount>,
    /// The further citations of merged glossary terms, for counting.
    #[serde(skip)]
    pub glossary_also: Vec<Source>,
}

/// The kinds of entry, by the names the files and the `[[count]]` entries use.
pub const ENTRY_KINDS: &[&str] = &[
    "member_state",
    "body",
    "partner",
    "glossary",
    "instrument",
    "action_line",
    "pillar_concern",
    "convention",
    "ratification",
    "ratification_snapshot",
    "programme",
    "node",
    "action",
    "meeting",
    "recommendation",
    "indicator",
];

/// Whether `kind` may name what a `[[count]]` counts: an entry kind, or a kind of
/// structure node or of action (`thematic_area`, `activity`).
pub fn is_countable_kind(kind: &str) -> bool {
    use tripart_domain::vocab::{ActionKind, NodeKind};
    ENTRY_KINDS.contains(&kind) || NodeKind::names().contains(&kind) || ActionKind::names().contains(&kind)
}

impl Catalogue {
    /// Every (kind, source) pair to count: entries under their entry kind, nodes and
    /// actions also under their own kind (`thematic_area`, `activity`).
    pub fn countable(&self) -> Vec<(String, &Source)> {
        let mut out: Vec<(String, &Source)> = self.sources().into_iter().map(|(k, s)| (k.to_string(), s)).collect();
        out.extend(self.nodes.iter().map(|n| (n.kind.as_str().to_string(), &n.source)));
        out.extend(self.actions.iter().map(|a| (a.kind.as_str().to_string(), &a.source)));
        out
    }

    /// Each `[[count]]` beside the number of entries the files hold for it.
    pub fn count_report(&self) -> Vec<CountLine> {
        let countable = self.countable();
        self.expected_counts
            .iter()
            .map(|c| CountLine {
                document: c.document.clone(),
                section: c.section.clone(),
                kind: c.kind.clone(),
                expected: c.count,
                found: countable
                    .iter()
                    .filter(|(k, s)| *k == c.kind && s.document == c.document && s.section == c.section)
                    .count() as i64,
            })
            .collect()
    }

    /// How many entries of each kind each (document, section) holds, as loaded.
    pub fn sources(&self) -> Vec<(&'static str, &Source)> {
        let mut out: Vec<(&'static str, &Source)> = Vec::new();
        out.extend(self.member_states.iter().map(|x| ("member_state", &x.source)));
        out.extend(self.bodies.iter().map(|x| ("body", &x.source)));
        out.extend(self.partners.iter().map(|x| ("partner", &x.source)));
        out.extend(self.glossary.iter().map(|x| ("glossary", &x.source)));
        out.extend(self.glossary_also.iter().map(|s| ("glossary", s)));
        out.extend(self.instruments.iter().map(|x| ("instrument", &x.source)));
        out.extend(self.action_lines.iter().map(|x| ("action_line", &x.source)));
        out.extend(self.pillar_concerns.iter().map(|x| ("pillar_concern", &x.source)));
        out.extend(self.conventions.iter().map(|x| ("convention", &x.source)));
        out.extend(self.ratifications.iter().map(|x| ("ratification", &x.source)));
        out.extend(self.snapshots.iter().map(|x| ("ratification_snapshot", &x.source)));
        out.extend(self.programmes.iter().map(|x| ("programme", &x.source)));
        out.extend(self.nodes.iter().map(|x| ("node", &x.source)));
        out.extend(self.actions.iter().map(|x| ("action", &x.source)));
        out.extend(self.meetings.iter().map(|x| ("meeting", &x.source)));
        out.extend(self.recommendations.iter().map(|x| ("recommendation", &x.source)));
        out.extend(self.indicators.iter().map(|x| ("indicator", &x.source)));
        out
    }
}
