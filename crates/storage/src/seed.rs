//! Loads the validated catalogue into the database, idempotently: an entry whose
//! content has not changed since it was last applied is left alone, a changed entry
//! updates its record, and a record edited through the application
//! (`locally_edited`) is never overwritten. The whole load is one transaction.

use crate::audit;
use crate::db::{Backend, Tx, Value};
use crate::{params, Db, StorageError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use tripart_catalogue::{Catalogue, Party, Source};
use tripart_domain::access::Actor;

/// What a seed run did, per kind of record.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct SeedReport {
    pub inserted: BTreeMap<String, u64>,
    pub updated: BTreeMap<String, u64>,
    pub unchanged: BTreeMap<String, u64>,
    /// Records edited through the application since they were seeded: kept as edited.
    pub kept_local_edits: BTreeMap<String, u64>,
}

impl SeedReport {
    pub fn total(map: &BTreeMap<String, u64>) -> u64 {
        map.values().sum()
    }
    pub fn changed_anything(&self) -> bool {
        Self::total(&self.inserted) + Self::total(&self.updated) > 0
    }
}

/// Rows that belong to a record and are replaced with it.
struct Children {
    table: &'static str,
    parent_column: &'static str,
    rows: Vec<Vec<(&'static str, Value)>>,
}

/// One catalogue record to write.
struct Record {
    kind: &'static str,
    table: &'static str,
    key: Vec<(&'static str, Value)>,
    columns: Vec<(&'static str, Value)>,
    /// References to records of the same table, set once every record exists.
    deferred: Vec<(&'static str, Value)>,
    children: Vec<Children>,
    hash: String,
}

fn hash_of<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    hex::encode(Sha256::digest(json))
}

fn source_columns(s: &Source) -> Vec<(&'static str, Value)> {
    vec![
        ("source_document", s.document.as_str().into()),
        ("source_section", s.section.as_str().into()),
        ("source_file", s.file.as_str().into()),
        ("source_reference", s.reference.clone().into()),
        ("notes", s.notes.clone().into()),
    ]
}

fn with_source(mut columns: Vec<(&'static str, Value)>, s: &Source) -> Vec<(&'static str, Value)> {
    columns.extend(source_columns(s));
    columns
}

fn party_row(position: usize, p: &Party) -> Vec<(&'static str, Value)> {
    let (ms, body, partner, text) = match p {
        Party::MemberState(c) => (Some(c.clone()), None, None, None),
        Party::Body(b) => (None, Some(b.clone()), None, None),
        Party::Partner(x) => (None, None, Some(x.clone()), None),
        Party::Text(t) => (None, None, None, Some(t.clone())),
        Party::Secretariat | Party::AllMemberStates | Party::ToBeConfirmed => (None, None, None, None),
    };
    vec![
        ("position", (position as i64).into()),
        ("party_kind", p.kind().into()),
        ("member_state", ms.into()),
        ("body", body.into()),
        ("partner", partner.into()),
        ("text", text.into()),
    ]
}

fn links(table: &'static str, parent: &'static str, column: &'static str, ids: &[String]) -> Children {
    Children { table, parent_column: parent, rows: ids.iter().map(|id| vec![(column, id.into())]).collect() }
}

/// The records of the catalogue, in an order that satisfies foreign keys.
fn records(cat: &Catalogue) -> Vec<Record> {
    let mut out = Vec::new();
    for m in &cat.member_states {
        out.push(Record {
            kind: "member_state",
            table: "member_state",
            key: vec![("code", m.code.as_str().into())],
            columns: with_source(
                vec![
                    ("iso2", m.iso2.as_str().into()),
                    ("name", m.name.as_str().into()),
                    ("joined_on", m.joined.as_str().into()),
                ],
                &m.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(m),
        });
    }
    for b in &cat.bodies {
        out.push(Record {
            kind: "body",
            table: "body",
            key: vec![("id", b.id.as_str().into())],
            columns: with_source(
                vec![
                    ("abbreviation", b.abbreviation.clone().into()),
                    ("name", b.name.as_str().into()),
                    ("kind", b.kind.as_str().into()),
                    ("established", b.established.clone().into()),
                    ("description", b.description.clone().into()),
                ],
                &b.source,
            ),
            deferred: vec![("reports_to", b.reports_to.clone().into())],
            children: vec![],
            hash: hash_of(b),
        });
    }
    for p in &cat.partners {
        out.push(Record {
            kind: "partner",
            table: "partner",
            key: vec![("id", p.id.as_str().into())],
            columns: with_source(
                vec![
                    ("abbreviation", p.abbreviation.clone().into()),
                    ("name", p.name.as_str().into()),
                    ("kind", p.kind.as_str().into()),
                    ("description", p.description.clone().into()),
                ],
                &p.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(p),
        });
    }
    for g in &cat.glossary {
        out.push(Record {
            kind: "glossary",
            table: "glossary_term",
            key: vec![("term", g.term.as_str().into())],
            columns: with_source(vec![("expansion", g.expansion.as_str().into())], &g.source),
            deferred: vec![],
            children: vec![Children {
                table: "glossary_citation",
                parent_column: "term",
                rows: g
                    .also
                    .iter()
                    .map(|(d, s)| vec![("source_document", d.as_str().into()), ("source_section", s.as_str().into())])
                    .collect(),
            }],
            hash: hash_of(g),
        });
    }
    for i in &cat.instruments {
        out.push(Record {
            kind: "instrument",
            table: "instrument",
            key: vec![("id", i.id.as_str().into())],
            columns: with_source(
                vec![
                    ("name", i.name.as_str().into()),
                    ("short_name", i.short_name.clone().into()),
                    ("kind", i.kind.as_str().into()),
                    ("date_text", i.date.clone().into()),
                    ("description", i.description.clone().into()),
                ],
                &i.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(i),
        });
    }
    for a in &cat.action_lines {
        out.push(Record {
            kind: "action_line",
            table: "action_line",
            key: vec![("id", a.id.as_str().into())],
            columns: with_source(
                vec![
                    ("instrument", a.instrument.as_str().into()),
                    ("code", a.code.as_str().into()),
                    ("text", a.text.clone().into()),
                ],
                &a.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(a),
        });
    }
    for p in &cat.pillar_concerns {
        out.push(Record {
            kind: "pillar_concern",
            table: "pillar_concern",
            key: vec![("id", p.id.as_str().into())],
            columns: with_source(
                vec![
                    ("pillar", p.pillar.as_str().into()),
                    ("text", p.text.as_str().into()),
                    ("position", p.position.into()),
                ],
                &p.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(p),
        });
    }
    for c in &cat.conventions {
        out.push(Record {
            kind: "convention",
            table: "convention",
            key: vec![("id", c.id.as_str().into())],
            columns: with_source(
                vec![
                    ("number", c.number.into()),
                    ("kind", c.kind.as_str().into()),
                    ("title", c.title.as_str().into()),
                    ("short_title", c.short_title.clone().into()),
                    ("adopted_year", c.adopted.into()),
                ],
                &c.source,
            ),
            deferred: vec![],
            children: vec![Children {
                table: "convention_category",
                parent_column: "convention",
                rows: c
                    .categories
                    .iter()
                    .map(|s| {
                        vec![
                            ("category", s.category.as_str().into()),
                            ("valid_from", s.from.as_str().into()),
                            ("valid_to", s.to.clone().into()),
                        ]
                    })
                    .collect(),
            }],
            hash: hash_of(c),
        });
    }
    for r in &cat.ratifications {
        out.push(Record {
            kind: "ratification",
            table: "ratification_event",
            key: vec![("id", r.id.as_str().into())],
            columns: with_source(
                vec![
                    ("member_state", r.member_state.as_str().into()),
                    ("convention", r.convention.as_str().into()),
                    ("event", r.event.as_str().into()),
                    ("event_date", r.date.as_str().into()),
                ],
                &r.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(r),
        });
    }
    for s in &cat.snapshots {
        out.push(Record {
            kind: "ratification_snapshot",
            table: "ratification_snapshot",
            key: vec![
                ("as_of", s.as_of.as_str().into()),
                ("member_state", s.member_state.as_str().into()),
                ("convention", s.convention.as_str().into()),
            ],
            columns: with_source(vec![("status", s.status.as_str().into())], &s.source),
            deferred: vec![],
            children: vec![],
            hash: hash_of(s),
        });
    }
    // "Annual" and "on-going" span the programme; a programme with no end year
    // spans its start year only, as far as filtering by year goes.
    let programme_years: BTreeMap<&str, (i64, i64)> =
        cat.programmes.iter().map(|p| (p.id.as_str(), (p.start_year, p.end_year.unwrap_or(p.start_year)))).collect();
    for p in &cat.programmes {
        out.push(Record {
            kind: "programme",
            table: "programme",
            key: vec![("id", p.id.as_str().into())],
            columns: with_source(
                vec![
                    ("name", p.name.as_str().into()),
                    ("kind", p.kind.as_str().into()),
                    ("owner", p.owner.as_str().into()),
                    ("start_year", p.start_year.into()),
                    ("end_year", p.end_year.into()),
                    ("objective", p.objective.clone().into()),
                    ("description", p.description.clone().into()),
                ],
                &p.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(p),
        });
    }
    for n in &cat.nodes {
        out.push(Record {
            kind: "node",
            table: "programme_node",
            key: vec![("id", n.id.as_str().into())],
            columns: with_source(
                vec![
                    ("programme", n.programme.as_str().into()),
                    ("node_key", n.key.as_str().into()),
                    ("kind", n.kind.as_str().into()),
                    ("label", n.label.clone().into()),
                    ("title", n.title.as_str().into()),
                    ("description", n.description.clone().into()),
                    ("position", n.position.into()),
                ],
                &n.source,
            ),
            deferred: vec![("parent", n.parent.clone().into())],
            children: vec![links("node_body", "node", "body", &n.bodies)],
            hash: hash_of(n),
        });
    }
    for a in &cat.actions {
        use tripart_domain::Calendar;
        let years = a.calendar.years().map(|(s, e)| (i64::from(s), i64::from(e))).or_else(|| {
            matches!(a.calendar, Calendar::Annual | Calendar::Ongoing)
                .then(|| programme_years.get(a.programme.as_str()).copied())
                .flatten()
        });
        let mut parties = Vec::new();
        for (role, list) in [("coordinator", &a.coordinators), ("collaborator", &a.collaborators)] {
            for (i, p) in list.iter().enumerate() {
                let mut row = vec![("role", Value::from(role))];
                row.extend(party_row(i, p));
                parties.push(row);
            }
        }
        out.push(Record {
            kind: "action",
            table: "action",
            key: vec![("id", a.id.as_str().into())],
            columns: with_source(
                vec![
                    ("programme", a.programme.as_str().into()),
                    ("action_key", a.key.as_str().into()),
                    ("label", a.label.clone().into()),
                    ("kind", a.kind.as_str().into()),
                    ("title", a.title.as_str().into()),
                    ("description", a.description.clone().into()),
                    ("node", a.node.clone().into()),
                    ("calendar_text", a.calendar_text.clone().into()),
                    ("calendar_kind", a.calendar.kind().into()),
                    ("start_year", years.map(|y| y.0).into()),
                    ("end_year", years.map(|y| y.1).into()),
                    ("status", a.status.as_str().into()),
                    ("status_stated", a.status_stated.into()),
                    ("position", a.position.into()),
                ],
                &a.source,
            ),
            deferred: vec![("parent", a.parent.clone().into()), ("absorbed_into", a.absorbed_into.clone().into())],
            children: vec![
                links("action_body", "action", "body", &a.bodies),
                Children { table: "action_party", parent_column: "action", rows: parties },
                links("action_carries", "action", "carried", &a.carries),
                links("action_action_line", "action", "action_line", &a.action_lines),
                links("action_instrument", "action", "instrument", &a.instruments),
            ],
            hash: hash_of(a),
        });
    }
    for m in &cat.meetings {
        out.push(Record {
            kind: "meeting",
            table: "meeting",
            key: vec![("id", m.id.as_str().into())],
            columns: with_source(
                vec![
                    ("series", m.series.clone().into()),
                    ("number", m.number.into()),
                    ("title", m.title.as_str().into()),
                    ("kind", m.kind.as_str().into()),
                    ("body", m.body.clone().into()),
                    ("host", m.host.clone().into()),
                    ("city", m.city.clone().into()),
                    ("start_date", m.start.clone().into()),
                    ("end_date", m.end.clone().into()),
                    ("date_text", m.date_text.clone().into()),
                    ("theme", m.theme.clone().into()),
                    ("description", m.description.clone().into()),
                ],
                &m.source,
            ),
            deferred: vec![],
            children: vec![
                Children {
                    table: "meeting_party",
                    parent_column: "meeting",
                    rows: m.participants.iter().enumerate().map(|(i, p)| party_row(i, p)).collect(),
                },
                links("meeting_action", "meeting", "action", &m.implements),
                links("meeting_instrument", "meeting", "instrument", &m.instruments),
            ],
            hash: hash_of(m),
        });
    }
    for r in &cat.recommendations {
        out.push(Record {
            kind: "recommendation",
            table: "recommendation",
            key: vec![("id", r.id.as_str().into())],
            columns: with_source(
                vec![
                    ("meeting", r.meeting.as_str().into()),
                    ("number", r.number.as_str().into()),
                    ("heading", r.heading.clone().into()),
                    ("text", r.text.as_str().into()),
                    ("position", r.position.into()),
                ],
                &r.source,
            ),
            deferred: vec![("parent", r.parent.clone().into())],
            children: vec![
                links("recommendation_action", "recommendation", "action", &r.actions),
                links("recommendation_instrument", "recommendation", "instrument", &r.instruments),
            ],
            hash: hash_of(r),
        });
    }
    for (i, ind) in cat.indicators.iter().enumerate() {
        out.push(Record {
            kind: "indicator",
            table: "indicator",
            key: vec![("code", ind.code.as_str().into())],
            columns: with_source(
                vec![
                    ("name", ind.name.as_str().into()),
                    ("indicator_set", ind.set.as_str().into()),
                    ("kind", ind.kind.as_str().into()),
                    ("group_name", ind.group.clone().into()),
                    ("label", ind.label.clone().into()),
                    ("ilostat_code", ind.ilostat.clone().into()),
                    ("definition", ind.definition.as_str().into()),
                    ("unit", ind.unit.clone().into()),
                    ("adopted_by", ind.adopted_by.clone().into()),
                    ("position", (i as i64).into()),
                ],
                &ind.source,
            ),
            deferred: vec![],
            children: vec![],
            hash: hash_of(ind),
        });
    }
    out
}

fn where_key(key: &[(&'static str, Value)], first_param: usize) -> String {
    key.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", first_param + i)).collect::<Vec<_>>().join(" AND ")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Inserted,
    Updated,
    Unchanged,
    KeptEdit,
}

/// The record's values as JSON, for the audit trail.
fn record_json(r: &Record) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> =
        r.key.iter().chain(&r.columns).chain(&r.deferred).map(|(c, v)| ((*c).to_string(), v.to_json())).collect();
    serde_json::Value::Object(map)
}

fn record_id(r: &Record) -> String {
    r.key
        .iter()
        .map(|(_, v)| match v {
            Value::Text(Some(t)) => t.clone(),
            Value::Int(Some(i)) => i.to_string(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

async fn apply_main(tx: &mut Tx, r: &Record) -> Result<Outcome, StorageError> {
    let key_values: Vec<Value> = r.key.iter().map(|(_, v)| v.clone()).collect();
    let existing =
        tx.fetch_optional(&format!("SELECT * FROM {} WHERE {}", r.table, where_key(&r.key, 1)), &key_values).await?;
    match existing {
        None => {
            let mut cols: Vec<&str> = r.key.iter().map(|(c, _)| *c).collect();
            let mut values = key_values;
            for (c, v) in &r.columns {
                cols.push(c);
                values.push(v.clone());
            }
            cols.push("seed_hash");
            values.push(r.hash.as_str().into());
            let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {} ({}) VALUES ({})", r.table, cols.join(", "), placeholders.join(", "));
            tx.execute(&sql, &values).await?;
            let after = record_json(r);
            audit::record(tx, &Actor::System, "create", r.kind, &record_id(r), None, Some(&after), Some("catalogue"))
                .await?;
            Ok(Outcome::Inserted)
        }
        Some(row) if row.bool("locally_edited")? => Ok(Outcome::KeptEdit),
        Some(row) if row.opt_str("seed_hash")?.as_deref() == Some(r.hash.as_str()) => Ok(Outcome::Unchanged),
        Some(before) => {
            let mut values: Vec<Value> = r.columns.iter().map(|(_, v)| v.clone()).collect();
            let sets: Vec<String> =
                r.columns.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect();
            values.push(r.hash.as_str().into());
            let hash_param = values.len();
            values.extend(r.key.iter().map(|(_, v)| v.clone()));
            let sql = format!(
                "UPDATE {} SET {}, seed_hash = ${hash_param}, version = version + 1 WHERE {}",
                r.table,
                sets.join(", "),
                where_key(&r.key, hash_param + 1)
            );
            tx.execute(&sql, &values).await?;
            let (before, after) = (audit::row_json(&before), record_json(r));
            audit::record(
                tx,
                &Actor::System,
                "update",
                r.kind,
                &record_id(r),
                Some(&before),
                Some(&after),
                Some("catalogue"),
            )
            .await?;
            Ok(Outcome::Updated)
        }
    }
}

async fn apply_links(tx: &mut Tx, r: &Record) -> Result<(), StorageError> {
    let key_values: Vec<Value> = r.key.iter().map(|(_, v)| v.clone()).collect();
    if !r.deferred.is_empty() {
        let sets: Vec<String> = r.deferred.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect();
        let mut values: Vec<Value> = r.deferred.iter().map(|(_, v)| v.clone()).collect();
        let sql = format!("UPDATE {} SET {} WHERE {}", r.table, sets.join(", "), where_key(&r.key, values.len() + 1));
        values.extend(key_values.iter().cloned());
        tx.execute(&sql, &values).await?;
    }
    for child in &r.children {
        let Some(parent_value) = key_values.first() else { continue };
        tx.execute(
            &format!("DELETE FROM {} WHERE {} = $1", child.table, child.parent_column),
            std::slice::from_ref(parent_value),
        )
        .await?;
        for row in &child.rows {
            let mut cols = vec![child.parent_column];
            let mut values = vec![parent_value.clone()];
            for (c, v) in row {
                cols.push(c);
                values.push(v.clone());
            }
            let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {} ({}) VALUES ({})", child.table, cols.join(", "), placeholders.join(", "));
            tx.execute(&sql, &values).await?;
        }
    }
    Ok(())
}

/// Seeds the catalogue in one transaction.
pub async fn seed(db: &Db, catalogue: &Catalogue) -> Result<SeedReport, StorageError> {
    let mut tx = db.begin().await?;
    if tx.backend() == Backend::Postgres {
        // Several servers may start at once: one seeds, the others wait and then
        // find nothing to do.
        tx.execute("SELECT pg_advisory_xact_lock(7242018)", &[]).await?;
    }
    let records = records(catalogue);
    let mut report = SeedReport::default();
    let mut to_link = Vec::new();
    for r in &records {
        let outcome = apply_main(&mut tx, r).await?;
        let map = match outcome {
            Outcome::Inserted => &mut report.inserted,
            Outcome::Updated => &mut report.updated,
            Outcome::Unchanged => &mut report.unchanged,
            Outcome::KeptEdit => &mut report.kept_local_edits,
        };
        *map.entry(r.kind.to_string()).or_default() += 1;
        if matches!(outcome, Outcome::Inserted | Outcome::Updated) {
            to_link.push(r);
        }
    }
    for r in to_link {
        apply_links(&mut tx, r).await?;
    }
    for f in &catalogue.files {
        let exists = tx.fetch_optional("SELECT path FROM catalogue_file WHERE path = $1", &params![&f.path]).await?;
        if exists.is_some() {
            tx.execute(
                "UPDATE catalogue_file SET document = $2, title = $3, notes = $4 WHERE path = $1",
                &params![&f.path, &f.document, &f.title, &f.notes],
            )
            .await?;
        } else {
            tx.execute(
                "INSERT INTO catalogue_file (path, document, title, notes) VALUES ($1, $2, $3, $4)",
                &params![&f.path, &f.document, &f.title, &f.notes],
            )
            .await?;
        }
    }
    if crate::monitoring::checklists::install_starter(&mut tx).await? {
        *report.inserted.entry("checklist_template".into()).or_default() += 1;
    }
    tx.commit().await?;
    Ok(report)
}
