//! Turns raw entries into validated records: first each entry on its own (ids,
//! vocabularies, dates), then every cross-reference once all files are read.

use crate::load::CatalogueError;
use crate::model::*;
use crate::raw::*;
use std::collections::{HashMap, HashSet};
use tripart_domain::vocab::*;
use tripart_domain::{Calendar, IsoDate, MemberStateCode, Slug};

#[derive(Default)]
pub struct Builder {
    cat: Catalogue,
    errors: Vec<CatalogueError>,
    /// The file and entry label of each record, for reference errors found later.
    origin: HashMap<(&'static str, String), (String, String)>,
    position: i64,
}

/// Reports problems for one entry of one file.
struct At<'a> {
    file: &'a str,
    entry: String,
    errors: &'a mut Vec<CatalogueError>,
}

impl At<'_> {
    fn err(&mut self, message: impl Into<String>) {
        self.errors.push(CatalogueError {
            file: self.file.to_string(),
            entry: self.entry.clone(),
            message: message.into(),
        });
    }
    fn slug(&mut self, field: &str, value: &str) -> String {
        if let Err(e) = Slug::parse(value) {
            self.err(format!("{field}: {e}"));
        }
        value.to_string()
    }
    fn date(&mut self, field: &str, value: &str) -> String {
        if let Err(e) = IsoDate::parse(value) {
            self.err(format!("{field}: {e}"));
        }
        value.to_string()
    }
    fn vocab<T>(
        &mut self,
        field: &str,
        value: &str,
        parse: fn(&str) -> Result<T, tripart_domain::ParseError>,
    ) -> Option<T> {
        match parse(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(format!("{field}: {e}"));
                None
            }
        }
    }
    fn text(&mut self, field: &str, value: &str) -> String {
        if value.trim().is_empty() {
            self.err(format!("{field} is empty"));
        }
        value.trim().to_string()
    }
}

fn opt_text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A date as precise as the source: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn partial_date(at: &mut At, field: &str, value: &Option<toml::Value>) -> Option<String> {
    let text = match value.as_ref()? {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            at.err(format!("{field}: expected a date as text, found {}", other.type_str()));
            return None;
        }
    };
    let ok = match text.len() {
        4 => text.parse::<i32>().is_ok(),
        7 => IsoDate::parse(&format!("{text}-01")).is_ok(),
        10 => IsoDate::parse(&text).is_ok(),
        _ => false,
    };
    if !ok {
        at.err(format!("{field}: `{text}` is not YYYY, YYYY-MM or YYYY-MM-DD"));
    }
    Some(text)
}

impl Builder {
    fn at<'a>(errors: &'a mut Vec<CatalogueError>, file: &'a str, entry: String) -> At<'a> {
        At { file, entry, errors }
    }

    fn source(file: &str, header: &RawHeader, e: &dyn Cited) -> Source {
        Source {
            document: e.document().unwrap_or(&header.document).to_string(),
            section: e.section().trim().to_string(),
            file: file.to_string(),
            reference: e.source().map(str::to_string),
            notes: e.notes().map(str::to_string),
        }
    }

    fn remember(&mut self, kind: &'static str, id: &str, file: &str, label: &str) -> bool {
        let key = (kind, id.to_string());
        if let Some((other_file, _)) = self.origin.get(&key) {
            let msg = format!("duplicate {kind} id `{id}` (also in {other_file})");
            self.errors.push(CatalogueError { file: file.into(), entry: label.into(), message: msg });
            return false;
        }
        self.origin.insert(key, (file.to_string(), label.to_string()));
        true
    }

    fn next_position(&mut self) -> i64 {
        self.position += 1;
        self.position
    }

    pub fn add_file(&mut self, file: &str, raw: RawFile) {
        let h = &raw.file;
        self.cat.files.push(CatalogueFile {
            path: file.to_string(),
            document: h.document.clone(),
            title: h.title.clone(),
            notes: h.notes.clone(),
        });
        if h.document.trim().is_empty() {
            self.errors.push(CatalogueError {
                file: file.into(),
                entry: "[file]".into(),
                message: "document is empty".into(),
            });
        }
        for e in &raw.member_state {
            let label = format!("member_state {}", e.code);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            if let Err(err) = MemberStateCode::parse(&e.code) {
                at.err(format!("code: {err}"));
            }
            let joined = at.date("joined", &e.joined);
            let rec = MemberState {
                code: e.code.trim().to_uppercase(),
                iso2: at.text("iso2", &e.iso2),
                name: at.text("name", &e.name),
                joined,
                source: Self::source(file, h, e),
            };
            if self.remember("member_state", &rec.code, file, &label) {
                self.cat.member_states.push(rec);
            }
        }
        for e in &raw.body {
            let label = format!("body {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let kind = at.vocab("kind", &e.kind, BodyKind::parse);
            let established = partial_date(&mut at, "established", &e.established);
            let rec = kind.map(|kind| Body {
                id,
                abbreviation: opt_text(&e.abbreviation),
                name: at.text("name", &e.name),
                kind,
                reports_to: opt_text(&e.reports_to),
                established,
                description: opt_text(&e.description),
                source: Self::source(file, h, e),
            });
            if let Some(rec) = rec {
                if self.remember("body", &rec.id, file, &label) {
                    self.cat.bodies.push(rec);
                }
            }
        }
        for e in &raw.partner {
            let label = format!("partner {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let name = at.text("name", &e.name);
            if let Some(kind) = at.vocab("kind", &e.kind, PartnerKind::parse) {
                let rec = Partner {
                    id,
                    abbreviation: opt_text(&e.abbreviation),
                    name,
                    kind,
                    description: opt_text(&e.description),
                    source: Self::source(file, h, e),
                };
                if self.remember("partner", &rec.id, file, &label) {
                    self.cat.partners.push(rec);
                }
            }
        }
        for e in &raw.glossary {
            let label = format!("glossary {}", e.term);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let source = Self::source(file, h, e);
            for a in &e.also {
                self.cat.glossary_also.push(Source {
                    document: a.document.clone(),
                    section: a.section.trim().to_string(),
                    ..source.clone()
                });
            }
            let rec = GlossaryTerm {
                term: at.text("term", &e.term),
                expansion: at.text("expansion", &e.expansion),
                also: e.also.iter().map(|a| (a.document.clone(), a.section.clone())).collect(),
                source,
            };
            if self.remember("glossary", &rec.term, file, &label) {
                self.cat.glossary.push(rec);
            }
        }
        for e in &raw.instrument {
            let label = format!("instrument {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let date = partial_date(&mut at, "date", &e.date);
            let name = at.text("name", &e.name);
            if let Some(kind) = at.vocab("kind", &e.kind, InstrumentKind::parse) {
                let rec = Instrument {
                    id,
                    name,
                    short_name: opt_text(&e.short_name),
                    kind,
                    date,
                    description: opt_text(&e.description),
                    source: Self::source(file, h, e),
                };
                if self.remember("instrument", &rec.id, file, &label) {
                    self.cat.instruments.push(rec);
                }
            }
        }
        for e in &raw.action_line {
            let label = format!("action_line {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let rec = ActionLine {
                id: at.slug("id", &e.id),
                instrument: e.instrument.clone(),
                code: at.text("code", &e.code),
                text: opt_text(&e.text),
                source: Self::source(file, h, e),
            };
            if self.remember("action_line", &rec.id, file, &label) {
                self.cat.action_lines.push(rec);
            }
        }
        for e in &raw.pillar_concern {
            let label = format!("pillar_concern {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let text = at.text("text", &e.text);
            let position = e.position.unwrap_or_else(|| self.position + 1);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            if let Some(pillar) = at.vocab("pillar", &e.pillar, Pillar::parse) {
                let rec = PillarConcern { id, pillar, text, position, source: Self::source(file, h, e) };
                if self.remember("pillar_concern", &rec.id, file, &label) {
                    self.cat.pillar_concerns.push(rec);
                }
            }
        }
        for e in &raw.convention {
            let label = format!("convention {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let title = at.text("title", &e.title);
            let mut categories = Vec::new();
            for c in &e.categories {
                let from = at.date("categories.from", &c.from);
                let to = c.to.as_deref().map(|t| at.date("categories.to", t));
                if let Some(category) = at.vocab("categories.category", &c.category, ConventionCategory::parse) {
                    categories.push(CategorySpan { category, from, to });
                }
            }
            if let Some(kind) = at.vocab("kind", &e.kind, ConventionKind::parse) {
                let rec = Convention {
                    id,
                    number: e.number,
                    kind,
                    title,
                    short_title: opt_text(&e.short_title),
                    adopted: e.adopted,
                    categories,
                    source: Self::source(file, h, e),
                };
                if self.remember("convention", &rec.id, file, &label) {
                    self.cat.conventions.push(rec);
                }
            }
        }
        for e in &raw.ratification {
            let id = format!("{}.{}.{}.{}", e.member_state, e.convention, e.event, e.date);
            let label = format!("ratification {id}");
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let date = at.date("date", &e.date);
            if let Some(event) = at.vocab("event", &e.event, RatificationEvent::parse) {
                let rec = Ratification {
                    id: id.clone(),
                    member_state: e.member_state.clone(),
                    convention: e.convention.clone(),
                    event,
                    date,
                    source: Self::source(file, h, e),
                };
                if self.remember("ratification", &id, file, &label) {
                    self.cat.ratifications.push(rec);
                }
            }
        }
        for e in &raw.ratification_snapshot {
            let id = format!("{}.{}.{}", e.as_of, e.member_state, e.convention);
            let label = format!("ratification_snapshot {id}");
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let as_of = at.date("as_of", &e.as_of);
            if let Some(status) = at.vocab("status", &e.status, RatificationStatus::parse) {
                let rec = Snapshot {
                    as_of,
                    member_state: e.member_state.clone(),
                    convention: e.convention.clone(),
                    status,
                    source: Self::source(file, h, e),
                };
                if self.remember("ratification_snapshot", &id, file, &label) {
                    self.cat.snapshots.push(rec);
                }
            }
        }
        for e in &raw.programme {
            let label = format!("programme {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let name = at.text("name", &e.name);
            if e.end_year.is_some_and(|end| end < e.start_year) {
                at.err("end_year is before start_year");
            }
            if let Some(kind) = at.vocab("kind", &e.kind, ProgrammeKind::parse) {
                let rec = Programme {
                    id,
                    name,
                    kind,
                    owner: e.owner.clone(),
                    start_year: e.start_year,
                    end_year: e.end_year,
                    objective: opt_text(&e.objective),
                    description: opt_text(&e.description),
                    source: Self::source(file, h, e),
                };
                if self.remember("programme", &rec.id, file, &label) {
                    self.cat.programmes.push(rec);
                }
            }
        }
        for e in &raw.node {
            let id = format!("{}.{}", e.programme, e.key);
            let label = format!("node {id}");
            let position = self.next_position();
            let mut at = Self::at(&mut self.errors, file, label.clone());
            at.slug("key", &e.key);
            at.slug("id", &id);
            let title = at.text("title", &e.title);
            if let Some(kind) = at.vocab("kind", &e.kind, NodeKind::parse) {
                let rec = Node {
                    id: id.clone(),
                    programme: e.programme.clone(),
                    key: e.key.clone(),
                    kind,
                    label: opt_text(&e.label),
                    title,
                    description: opt_text(&e.description),
                    parent: e.parent.as_ref().map(|p| format!("{}.{}", e.programme, p)),
                    bodies: e.bodies.clone(),
                    position,
                    source: Self::source(file, h, e),
                };
                if self.remember("node", &id, file, &label) {
                    self.cat.nodes.push(rec);
                }
            }
        }
        for e in &raw.action {
            let id = format!("{}.{}", e.programme, e.key);
            let label = format!("action {id}");
            let position = self.next_position();
            let mut at = Self::at(&mut self.errors, file, label.clone());
            at.slug("key", &e.key);
            at.slug("id", &id);
            let title = at.text("title", &e.title);
            let status = match e.status.as_deref() {
                Some(s) => at.vocab("status", s, ActionStatus::parse),
                None => Some(ActionStatus::Planned),
            };
            if status == Some(ActionStatus::Absorbed) && e.absorbed_into.is_none() {
                at.err("status `absorbed` needs absorbed_into");
            }
            if e.absorbed_into.is_some() && status != Some(ActionStatus::Absorbed) {
                at.err("absorbed_into is set but status is not `absorbed`");
            }
            let kind = at.vocab("kind", &e.kind, ActionKind::parse);
            let calendar_text = opt_text(&e.calendar);
            let calendar = calendar_text.as_deref().map(Calendar::parse).unwrap_or(Calendar::Unparsed);
            let coordinators = e.coordinators.iter().map(coordinator).collect();
            let collaborators = e.collaborators.iter().map(party).collect();
            if let (Some(kind), Some(status)) = (kind, status) {
                let rec = Action {
                    id: id.clone(),
                    programme: e.programme.clone(),
                    key: e.key.clone(),
                    label: opt_text(&e.label),
                    kind,
                    title,
                    description: opt_text(&e.description),
                    node: e.node.as_ref().map(|n| format!("{}.{}", e.programme, n)),
                    parent: e.parent.as_ref().map(|p| format!("{}.{}", e.programme, p)),
                    bodies: e.bodies.clone(),
                    coordinators,
                    collaborators,
                    calendar_text,
                    calendar,
                    status,
                    status_stated: e.status.is_some(),
                    absorbed_into: e.absorbed_into.clone(),
                    carries: e.carries.clone(),
                    action_lines: e.action_lines.clone(),
                    instruments: e.instruments.clone(),
                    position,
                    source: Self::source(file, h, e),
                };
                if self.remember("action", &id, file, &label) {
                    self.cat.actions.push(rec);
                }
            }
        }
        for e in &raw.meeting {
            let label = format!("meeting {}", e.id);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let id = at.slug("id", &e.id);
            let title = at.text("title", &e.title);
            let start = e.start.as_deref().map(|d| at.date("start", d));
            let end = e.end.as_deref().map(|d| at.date("end", d));
            if let (Some(s), Some(en)) = (&start, &end) {
                if en < s {
                    at.err("end is before start");
                }
            }
            if let Some(kind) = at.vocab("kind", &e.kind, MeetingKind::parse) {
                let rec = Meeting {
                    id,
                    series: opt_text(&e.series),
                    number: e.number,
                    title,
                    kind,
                    body: opt_text(&e.body),
                    host: opt_text(&e.host),
                    city: opt_text(&e.city),
                    start,
                    end,
                    date_text: opt_text(&e.date_text),
                    theme: opt_text(&e.theme),
                    description: opt_text(&e.description),
                    participants: e.participants.iter().map(party).collect(),
                    implements: e.implements.clone(),
                    instruments: e.instruments.clone(),
                    source: Self::source(file, h, e),
                };
                if self.remember("meeting", &rec.id, file, &label) {
                    self.cat.meetings.push(rec);
                }
            }
        }
        for e in &raw.recommendation {
            let id = format!("{}.{}", e.meeting, e.number);
            let label = format!("recommendation {id}");
            let position = self.next_position();
            let mut at = Self::at(&mut self.errors, file, label.clone());
            at.slug("id", &id);
            let rec = Recommendation {
                id: id.clone(),
                meeting: e.meeting.clone(),
                number: e.number.clone(),
                parent: None,
                heading: opt_text(&e.heading),
                text: at.text("text", &e.text),
                actions: e.actions.clone(),
                instruments: e.instruments.clone(),
                position,
                source: Self::source(file, h, e),
            };
            if self.remember("recommendation", &id, file, &label) {
                self.cat.recommendations.push(rec);
            }
        }
        for e in &raw.indicator {
            let label = format!("indicator {}", e.code);
            let mut at = Self::at(&mut self.errors, file, label.clone());
            let code = at.slug("code", &e.code);
            let name = at.text("name", &e.name);
            let definition = at.text("definition", &e.definition);
            if let Some(kind) = at.vocab("kind", &e.kind, IndicatorKind::parse) {
                let rec = Indicator {
                    code,
                    name,
                    set: e.set.clone(),
                    kind,
                    group: opt_text(&e.group),
                    label: opt_text(&e.label),
                    ilostat: opt_text(&e.ilostat),
                    definition,
                    unit: opt_text(&e.unit),
                    adopted_by: opt_text(&e.adopted_by),
                    source: Self::source(file, h, e),
                };
                if self.remember("indicator", &rec.code, file, &label) {
                    self.cat.indicators.push(rec);
                }
            }
        }
        for c in &raw.count {
            let mut at = Self::at(&mut self.errors, file, format!("count {} / {}", c.section, c.kind));
            if !is_countable_kind(&c.kind) {
                at.err(format!(
                    "kind `{}` is neither an entry kind ({}) nor a kind of node or action",
                    c.kind,
                    ENTRY_KINDS.join(", ")
                ));
            }
            if c.count < 0 {
                at.err("count is negative");
            }
            self.cat.expected_counts.push(ExpectedCount {
                document: c.document.clone(),
                section: c.section.trim().to_string(),
                kind: c.kind.clone(),
                count: c.count,
                file: file.to_string(),
                notes: c.notes.clone(),
            });
        }
    }

    /// Resolves every reference; returns the catalogue or all the problems found.
    pub fn finish(mut self) -> Result<Catalogue, Vec<CatalogueError>> {
        self.link_recommendation_parents();
        self.resolve_parties();
        self.check_references();
        if self.errors.is_empty() {
            Ok(self.cat)
        } else {
            Err(self.errors)
        }
    }

    fn link_recommendation_parents(&mut self) {
        let ids: HashSet<String> = self.cat.recommendations.iter().map(|r| r.id.clone()).collect();
        for r in &mut self.cat.recommendations {
            // The nearest enclosing number that is itself a recommendation: `17.a.2`
            // belongs to `17.a`, or to `17` when `17.a` is only a heading.
            let mut number = r.number.as_str();
            while let Some((head, _)) = number.rsplit_once('.') {
                let candidate = format!("{}.{}", r.meeting, head);
                if ids.contains(&candidate) {
                    r.parent = Some(candidate);
                    break;
                }
                number = head;
            }
        }
    }

    fn check_references(&mut self) {
        let has = |o: &HashMap<(&'static str, String), (String, String)>, kind: &'static str, id: &str| {
            o.contains_key(&(kind, id.to_string()))
        };
        let mut problems: Vec<(&'static str, String, String)> = Vec::new();
        let o = &self.origin;
        let mut need = |kind_of_entry: &'static str, entry: &str, field: &str, target: &'static str, id: &str| {
            if !has(o, target, id) {
                problems.push((kind_of_entry, entry.to_string(), format!("{field}: no {target} `{id}`")));
            }
        };
        let party_ok = |p: &Party| match p {
            Party::MemberState(c) => has(o, "member_state", c),
            Party::Body(b) => has(o, "body", b),
            Party::Partner(x) => has(o, "partner", x),
            _ => true,
        };
        for b in &self.cat.bodies {
            if let Some(r) = &b.reports_to {
                need("body", &b.id, "reports_to", "body", r);
            }
        }
        for a in &self.cat.action_lines {
            need("action_line", &a.id, "instrument", "instrument", &a.instrument);
        }
        for r in &self.cat.ratifications {
            need("ratification", &r.id, "member_state", "member_state", &r.member_state);
            need("ratification", &r.id, "convention", "convention", &r.convention);
        }
        for s in &self.cat.snapshots {
            let id = format!("{}.{}.{}", s.as_of, s.member_state, s.convention);
            need("ratification_snapshot", &id, "member_state", "member_state", &s.member_state);
            need("ratification_snapshot", &id, "convention", "convention", &s.convention);
        }
        for p in &self.cat.programmes {
            need("programme", &p.id, "owner", "body", &p.owner);
        }
        for n in &self.cat.nodes {
            need("node", &n.id, "programme", "programme", &n.programme);
            if let Some(p) = &n.parent {
                need("node", &n.id, "parent", "node", p);
            }
            for b in &n.bodies {
                need("node", &n.id, "bodies", "body", b);
            }
        }
        let mut unresolved_parties = Vec::new();
        for a in &self.cat.actions {
            need("action", &a.id, "programme", "programme", &a.programme);
            if let Some(n) = &a.node {
                need("action", &a.id, "node", "node", n);
            }
            if let Some(p) = &a.parent {
                need("action", &a.id, "parent", "action", p);
            }
            if let Some(x) = &a.absorbed_into {
                need("action", &a.id, "absorbed_into", "action", x);
            }
            for b in &a.bodies {
                need("action", &a.id, "bodies", "body", b);
            }
            for c in &a.carries {
                need("action", &a.id, "carries", "action", c);
            }
            for l in &a.action_lines {
                need("action", &a.id, "action_lines", "action_line", l);
            }
            for i in &a.instruments {
                need("action", &a.id, "instruments", "instrument", i);
            }
            for p in a.coordinators.iter().chain(&a.collaborators) {
                if !party_ok(p) {
                    unresolved_parties.push(("action", a.id.clone(), p.clone()));
                }
            }
        }
        for m in &self.cat.meetings {
            if let Some(b) = &m.body {
                need("meeting", &m.id, "body", "body", b);
            }
            if let Some(hst) = &m.host {
                need("meeting", &m.id, "host", "member_state", hst);
            }
            for x in &m.implements {
                need("meeting", &m.id, "implements", "action", x);
            }
            for i in &m.instruments {
                need("meeting", &m.id, "instruments", "instrument", i);
            }
            for p in &m.participants {
                if !party_ok(p) {
                    unresolved_parties.push(("meeting", m.id.clone(), p.clone()));
                }
            }
        }
        for r in &self.cat.recommendations {
            need("recommendation", &r.id, "meeting", "meeting", &r.meeting);
            for x in &r.actions {
                need("recommendation", &r.id, "actions", "action", x);
            }
            for i in &r.instruments {
                need("recommendation", &r.id, "instruments", "instrument", i);
            }
        }
        for i in &self.cat.indicators {
            if let Some(r) = &i.adopted_by {
                need("indicator", &i.code, "adopted_by", "recommendation", r);
            }
        }
        for (kind, id, p) in unresolved_parties {
            problems.push((kind, id, format!("unknown party `{}`", p.reference().unwrap_or_default())));
        }
        for (kind, id, message) in problems {
            let (file, entry) = self
                .origin
                .get(&(kind, id.clone()))
                .cloned()
                .unwrap_or_else(|| (String::from("?"), format!("{kind} {id}")));
            self.errors.push(CatalogueError { file, entry, message });
        }
    }

    /// Ids in party lists are written bare; decide here whether each names a member
    /// state, a body or a partner.
    fn resolve_parties(&mut self) {
        let kinds: HashMap<String, &'static str> = self
            .origin
            .keys()
            .filter(|(k, _)| matches!(*k, "member_state" | "body" | "partner"))
            .map(|(k, id)| (id.clone(), *k))
            .collect();
        let fix = |p: &mut Party| {
            if let Party::Partner(id) = p {
                match kinds.get(id.as_str()) {
                    Some(&"member_state") => *p = Party::MemberState(id.clone()),
                    Some(&"body") => *p = Party::Body(id.clone()),
                    _ => {}
                }
            }
        };
        for a in &mut self.cat.actions {
            a.coordinators.iter_mut().chain(a.collaborators.iter_mut()).for_each(fix);
        }
        for m in &mut self.cat.meetings {
            m.participants.iter_mut().for_each(fix);
        }
    }
}

/// A coordinator: a member state code, `asec`, `all`, `tbc`, another id, or text.
fn coordinator(raw: &RawParty) -> Party {
    match raw {
        RawParty::Id(id) => match id.as_str() {
            "asec" => Party::Secretariat,
            "all" => Party::AllMemberStates,
            "tbc" => Party::ToBeConfirmed,
            _ => party(raw),
        },
        RawParty::Text { text } => Party::Text(text.clone()),
    }
}

/// A bare id is taken as a partner until `resolve_parties` knows better.
fn party(raw: &RawParty) -> Party {
    match raw {
        RawParty::Id(id) if id == "asec" => Party::Body("asec".into()),
        RawParty::Id(id) => Party::Partner(id.clone()),
        RawParty::Text { text } => Party::Text(text.clone()),
    }
}
