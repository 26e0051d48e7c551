//! The storage suite: every test runs on SQLite, and on PostgreSQL whenever
//! TRIPART_TEST_DATABASE_URL is set, each in a fresh database of its own.

use std::collections::BTreeMap;
use std::path::PathBuf;
use tripart_catalogue::Catalogue;
use tripart_storage::read::{self, ActionFilter, MeetingFilter, Paging};
use tripart_storage::testkit::{all_backends, TestDb};
use tripart_storage::{export, params, seed, Db};

fn catalogue() -> Catalogue {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue");
    match tripart_catalogue::load_dir(&dir) {
        Ok(r) => r.catalogue,
        Err(errors) => {
            panic!("catalogue invalid:\n{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
        }
    }
}

async fn seeded_backends() -> Vec<TestDb> {
    let cat = catalogue();
    let dbs = all_backends().await;
    for t in &dbs {
        seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{}: seed: {e}", t.name()));
    }
    dbs
}

async fn count(db: &Db, sql: &str, params: &[tripart_storage::Value]) -> i64 {
    let row = db.fetch_optional(sql, params).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.map(|r| r.i64("n").unwrap_or_else(|e| panic!("{e}"))).unwrap_or(0)
}

/// The table and, for sub-kinds, the kind column that a `[[count]]` kind counts.
fn table_for(kind: &str) -> (&'static str, Option<&'static str>) {
    match kind {
        "member_state" => ("member_state", None),
        "body" => ("body", None),
        "partner" => ("partner", None),
        "glossary" => ("glossary_term", None),
        "instrument" => ("instrument", None),
        "action_line" => ("action_line", None),
        "pillar_concern" => ("pillar_concern", None),
        "convention" => ("convention", None),
        "ratification" => ("ratification_event", None),
        "ratification_snapshot" => ("ratification_snapshot", None),
        "programme" => ("programme", None),
        "node" => ("programme_node", None),
        "action" => ("action", None),
        "meeting" => ("meeting", None),
        "recommendation" => ("recommendation", None),
        "indicator" => ("indicator", None),
        k if tripart_domain::vocab::NodeKind::names().contains(&k) => ("programme_node", Some("kind")),
        _ => ("action", Some("kind")),
    }
}

#[tokio::test]
async fn every_seed_section_loads_as_many_items_as_the_document_holds() {
    let cat = catalogue();
    assert!(cat.expected_counts.len() > 50, "the catalogue states counts for its sections");
    for t in seeded_backends().await {
        let mut mismatches = Vec::new();
        for c in &cat.expected_counts {
            let (table, kind_column) = table_for(&c.kind);
            let mut sql =
                format!("SELECT COUNT(*) AS n FROM {table} WHERE source_document = $1 AND source_section = $2");
            let mut p = params![&c.document, &c.section].to_vec();
            if let Some(col) = kind_column {
                sql.push_str(&format!(" AND {col} = $3"));
                p.push(c.kind.as_str().into());
            }
            let mut loaded = count(&t.db, &sql, &p).await;
            if c.kind == "glossary" {
                loaded += count(
                    &t.db,
                    "SELECT COUNT(*) AS n FROM glossary_citation WHERE source_document = $1 AND source_section = $2",
                    &params![&c.document, &c.section],
                )
                .await;
            }
            if loaded != c.count {
                mismatches.push(format!(
                    "{} / {} / {}: document holds {}, loaded {} ({})",
                    c.document, c.section, c.kind, c.count, loaded, c.file
                ));
            }
        }
        assert!(mismatches.is_empty(), "{}: counts differ:\n{}", t.name(), mismatches.join("\n"));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let cat = catalogue();
    for t in seeded_backends().await {
        let before = export::export(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
        let again = seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !again.changed_anything(),
            "{}: second seed changed {:?} {:?}",
            t.name(),
            again.inserted,
            again.updated
        );
        assert_eq!(
            seed::SeedReport::total(&again.unchanged),
            seed::SeedReport::total(&{
                let mut m = BTreeMap::new();
                m.insert("all".to_string(), cat.sources().len() as u64 - cat.glossary_also.len() as u64);
                m
            })
        );
        let after = export::export(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before, after, "{}: the database changed on a second seed", t.name());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn seeding_never_overwrites_an_edit_made_through_the_application() {
    let mut cat = catalogue();
    for t in seeded_backends().await {
        // What an edit through the application does to a record: change it, mark it.
        let id = "slom-wg-wp-2011-2015.7.2";
        t.db.execute(
            "UPDATE action SET title = $1, locally_edited = 1, version = version + 1 WHERE id = $2",
            &params!["Edited by the SLOM-WG secretariat", id],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        // And the catalogue changes the same record meanwhile.
        if let Some(a) = cat.actions.iter_mut().find(|a| a.id == id) {
            a.title = "Changed in the catalogue".into();
        }
        let report = seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.kept_local_edits.get("action"), Some(&1), "{}", t.name());
        let detail =
            read::action(&t.db, id).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no {id}"));
        assert_eq!(detail.action.title, "Edited by the SLOM-WG secretariat", "{}", t.name());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_changed_catalogue_entry_updates_its_record_and_version() {
    let mut cat = catalogue();
    for t in seeded_backends().await {
        let id = "afml-5";
        if let Some(m) = cat.meetings.iter_mut().find(|m| m.id == id) {
            m.city = Some("Siem Reap (corrected)".into());
        }
        let report = seed::seed(&t.db, &cat).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.updated.get("meeting"), Some(&1), "{}: {:?}", t.name(), report.updated);
        let row =
            t.db.fetch_optional("SELECT city, version FROM meeting WHERE id = $1", &params![id])
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("no meeting"));
        assert_eq!(row.str("city").ok().as_deref(), Some("Siem Reap (corrected)"));
        assert_eq!(row.i64("version").ok(), Some(2));
        // Its recommendations are untouched.
        let recs = count(&t.db, "SELECT COUNT(*) AS n FROM recommendation WHERE meeting = $1", &params![id]).await;
        assert!(recs >= 21, "{}: {recs}", t.name());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_ratification_matrix_of_1_november_2013_matches_annexes_1_and_2() {
    for t in seeded_backends().await {
        let snapshots = read::ratification_snapshots(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            snapshots.iter().filter(|s| s.as_of == "2013-11-01").count(),
            120,
            "Annex 1 has 80 cells, Annex 2 has 40"
        );
        let matrix = read::ratification_matrix(&t.db, "2013-11-01", None).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(matrix.rows.len(), 10, "ten member states in 2013; Timor-Leste joined in 2025");
        let mut differences = Vec::new();
        for s in snapshots.iter().filter(|s| s.as_of == "2013-11-01") {
            let row = matrix.rows.iter().find(|r| r.member_state == s.member_state);
            let col = matrix.conventions.iter().position(|c| c.id == s.convention);
            let derived = match (row, col) {
                (Some(r), Some(i)) => r.cells[i].status.clone(),
                _ => "missing".into(),
            };
            if derived != s.stated {
                differences
                    .push(format!("{} {}: annex {}, events {}", s.member_state, s.convention, s.stated, derived));
            }
        }
        assert!(differences.is_empty(), "{}:\n{}", t.name(), differences.join("\n"));
        // The categories of that date: the eight core conventions were fundamental,
        // C155 and C187 were not yet, and P029 did not exist.
        let fundamental =
            read::ratification_matrix(&t.db, "2013-11-01", Some("fundamental")).await.unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = fundamental.conventions.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["C029", "C087", "C098", "C100", "C105", "C111", "C138", "C182"]);
        let today =
            read::ratification_matrix(&t.db, "2026-11-23", Some("fundamental")).await.unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = today.conventions.iter().map(|c| c.id.as_str()).collect();
        assert!(ids.contains(&"C155") && ids.contains(&"C187") && ids.contains(&"P029"), "{ids:?}");
        assert_eq!(today.rows.len(), 11, "Timor-Leste is in today's matrix");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn action_filters_find_what_the_documents_say() {
    for t in seeded_backends().await {
        let db = &t.db;
        let page = Paging { limit: 500, offset: 0 };
        let by = |f: ActionFilter| async move { read::actions(db, &f, page).await.unwrap_or_else(|e| panic!("{e}")) };
        // SLOM-WG's own work plan, and the ALM Work Programme actions it is responsible for.
        let slom_wg = by(ActionFilter { body: Some("slom-wg".into()), ..Default::default() }).await;
        assert!(slom_wg.items.iter().any(|a| a.id == "alm-wp-2010-2015.t3-01"));
        assert!(slom_wg.items.iter().any(|a| a.id == "slom-wg-wp-2011-2015.1.1"));
        // Viet Nam coordinates the LMIS workshop activity.
        let vnm = by(ActionFilter { member_state: Some("VNM".into()), ..Default::default() }).await;
        assert!(
            vnm.items.iter().any(|a| a.id == "slom-wg-wp-2011-2015.8.1.a"),
            "{:?}",
            vnm.items.iter().map(|a| &a.id).collect::<Vec<_>>()
        );
        // 7.3 and 7.4 were absorbed into the Labour Inspection Conference.
        let absorbed = by(ActionFilter { status: Some("absorbed".into()), ..Default::default() }).await;
        let ids: Vec<&str> = absorbed.items.iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"slom-wg-wp-2011-2015.7.3") && ids.contains(&"slom-wg-wp-2011-2015.7.4"), "{ids:?}");
        // Year filter: every action returned covers 2012.
        let y2012 = by(ActionFilter { year: Some(2012), ..Default::default() }).await;
        assert!(y2012.total > 10);
        assert!(y2012.items.iter().all(|a| a.start_year <= Some(2012) && a.end_year >= Some(2012)));
        // Thematic area includes the activities below it.
        let ta8 =
            by(ActionFilter { thematic_area: Some("slom-wg-wp-2011-2015.ta-8".into()), ..Default::default() }).await;
        assert!(ta8.items.iter().any(|a| a.id == "slom-wg-wp-2011-2015.8.1"));
        // Paging returns slices of the same total.
        let first = read::actions(db, &ActionFilter::default(), Paging { limit: 10, offset: 0 })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let second = read::actions(db, &ActionFilter::default(), Paging { limit: 10, offset: 10 })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.total, second.total);
        assert_eq!(first.items.len(), 10);
        assert!(first.items.iter().all(|a| second.items.iter().all(|b| a.id != b.id)));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn meetings_carry_their_recommendations_in_document_order() {
    for t in seeded_backends().await {
        let afml5 = read::meeting(&t.db, "afml-5")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no afml-5"));
        let top: Vec<&str> = afml5
            .recommendations
            .iter()
            .filter(|r| r.recommendation.parent.is_none())
            .map(|r| r.recommendation.number.as_str())
            .collect();
        let expected: Vec<String> = (1..=21).map(|n| n.to_string()).collect();
        assert_eq!(top, expected.iter().map(String::as_str).collect::<Vec<_>>(), "{}", t.name());
        assert_eq!(afml5.meeting.host.as_deref(), Some("KHM"));
        let forums = read::meetings(
            &t.db,
            &MeetingFilter { series: Some("afml".into()), ..Default::default() },
            Paging::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(forums.total >= 6, "AFML 1-5 and 10: {}", forums.total);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn export_holds_every_table_and_every_row() {
    for t in seeded_backends().await {
        let json = export::export(&t.db).await.unwrap_or_else(|e| panic!("{e}"));
        let tables = json["tables"].as_object().unwrap_or_else(|| panic!("no tables"));
        assert_eq!(tables.len(), export::TABLES.len() - export::PRIVATE_TABLES.len());
        for table in export::TABLES.iter().filter(|t| !export::PRIVATE_TABLES.contains(t)) {
            let n = count(&t.db, &format!("SELECT COUNT(*) AS n FROM {table}"), &[]).await;
            assert_eq!(tables[*table].as_array().map(|a| a.len() as i64), Some(n), "{}: {table}", t.name());
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_safe_to_run_concurrently() {
    for t in all_backends().await {
        let (a, b) = tokio::join!(tripart_storage::migrate::run(&t.db), tripart_storage::migrate::run(&t.db));
        a.unwrap_or_else(|e| panic!("{e}"));
        b.unwrap_or_else(|e| panic!("{e}"));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn concurrent_seeders_leave_one_consistent_catalogue() {
    let cat = catalogue();
    for t in all_backends().await {
        let (a, b) = tokio::join!(seed::seed(&t.db, &cat), seed::seed(&t.db, &cat));
        let (a, b) = (a.unwrap_or_else(|e| panic!("{e}")), b.unwrap_or_else(|e| panic!("{e}")));
        let inserted = seed::SeedReport::total(&a.inserted) + seed::SeedReport::total(&b.inserted);
        // The catalogue's records once, and the starter checklist template once.
        let starter = [&a, &b].iter().filter_map(|r| r.inserted.get("checklist_template")).sum::<u64>();
        assert_eq!(starter, 1, "{}", t.name());
        assert_eq!(inserted as usize, cat.sources().len() - cat.glossary_also.len() + 1, "{}", t.name());
        let actions = count(&t.db, "SELECT COUNT(*) AS n FROM action", &[]).await;
        assert_eq!(actions as usize, cat.actions.len());
        t.cleanup().await;
    }
}

/// The rows `insert_columns` is given come back as given: over several SQLite statements of a
/// thousand rows, with columns constant in one statement and varying in the next, all-null
/// columns, text that needs quoting, and rows that are entirely alike.
#[tokio::test]
async fn bulk_inserts_store_every_row_as_given_whether_columns_vary_or_repeat() {
    use tripart_storage::{Column, Value};
    let rows = 2_345usize;
    let a: Vec<Option<i64>> = (0..rows as i64).map(Some).collect();
    // Constant over the first thousand rows (one SQLite statement), then varying.
    let b: Vec<Option<f64>> = (0..rows).map(|i| Some(if i < 1000 { 0.5 } else { i as f64 / 4.0 })).collect();
    let c: Vec<Option<String>> = vec![None; rows];
    // One value everywhere but in one row of the last statement.
    let d: Vec<Option<String>> = (0..rows)
        .map(|i| Some(if i == 2_222 { "autre".to_string() } else { "Lao 'PDR' — ນະຄອນ".to_string() }))
        .collect();
    let expected: Vec<Vec<Value>> = (0..rows)
        .map(|i| vec![Value::Int(a[i]), Value::Real(b[i]), Value::Text(c[i].clone()), Value::Text(d[i].clone())])
        .collect();
    for t in all_backends().await {
        let mut tx = t.db.begin().await.unwrap_or_else(|e| panic!("{e}"));
        tx.execute("CREATE TABLE bulk_probe (a BIGINT, b DOUBLE PRECISION, c TEXT, d TEXT)", &[])
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", t.name()));
        let columns =
            vec![Column::Int(a.clone()), Column::Real(b.clone()), Column::Text(c.clone()), Column::Text(d.clone())];
        let inserted = tx.insert_columns("bulk_probe", &["a", "b", "c", "d"], columns).await;
        assert_eq!(inserted.unwrap_or_else(|e| panic!("{}: {e}", t.name())), rows as u64, "{}", t.name());
        // Three rows alike in every column, one row alone, and none.
        let alike = vec![
            Column::Int(vec![Some(-1); 3]),
            Column::Real(vec![None; 3]),
            Column::Text(vec![Some("x".into()); 3]),
            Column::Text(vec![None; 3]),
        ];
        let one = vec![
            Column::Int(vec![Some(-2)]),
            Column::Real(vec![Some(1.0)]),
            Column::Text(vec![None]),
            Column::Text(vec![None]),
        ];
        let none = vec![Column::Int(vec![]), Column::Real(vec![]), Column::Text(vec![]), Column::Text(vec![])];
        for (columns, n) in [(alike, 3), (one, 1), (none, 0)] {
            let inserted = tx.insert_columns("bulk_probe", &["a", "b", "c", "d"], columns).await;
            assert_eq!(inserted.unwrap_or_else(|e| panic!("{}: {e}", t.name())), n, "{}", t.name());
        }
        let stored = tx
            .fetch_all("SELECT a, b, c, d FROM bulk_probe WHERE a >= 0 ORDER BY a", &[])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let stored: Vec<Vec<Value>> = stored.iter().map(|r| r.values().to_vec()).collect();
        assert_eq!(stored.len(), rows, "{}", t.name());
        for (got, want) in stored.iter().zip(&expected) {
            assert_eq!(got[0], want[0], "{}", t.name());
            assert_eq!(got[1].as_f64(), want[1].as_f64(), "{}: row {:?}", t.name(), got[0]);
            assert_eq!(got[2].as_f64(), None, "{}", t.name());
            assert_eq!(got[3], want[3], "{}: row {:?}", t.name(), got[0]);
        }
        let alike = tx
            .fetch_all(
                "SELECT COUNT(*) AS n, MIN(c) AS c FROM bulk_probe WHERE a = -1 AND b IS NULL AND d IS NULL",
                &[],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(alike[0].i64("n").ok(), Some(3), "{}", t.name());
        assert_eq!(alike[0].str("c").ok().as_deref(), Some("x"), "{}", t.name());
        drop(tx);
        t.cleanup().await;
    }
}
