//! Backup and restore: a backup of the seeded catalogue restores, on the same and on
//! the other backend, to the same rows in every table; a backup taken during writes
//! is one snapshot; a restore that cannot be complete writes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tripart_storage::backup::{self, BackupError};
use tripart_storage::testkit::{self, all_backends, TestDb};
use tripart_storage::{export, params, seed, Db, Value};

fn catalogue() -> tripart_catalogue::Catalogue {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue");
    match tripart_catalogue::load_dir(&dir) {
        Ok(r) => r.catalogue,
        Err(errors) => panic!("catalogue invalid: {} problem(s)", errors.len()),
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

/// Fresh, empty databases: one SQLite, and one PostgreSQL when enabled.
async fn fresh_targets() -> Vec<TestDb> {
    let mut out = vec![testkit::sqlite().await.unwrap_or_else(|e| panic!("{e}"))];
    if let Some(pg) = testkit::postgres().await.unwrap_or_else(|e| panic!("{e}")) {
        out.push(pg);
    }
    out
}

/// Every row of every table in `export::TABLES`, secrets included, each row as its
/// typed values in column order (nulls untyped, since SQLite does not type them),
/// rows sorted so that backends with different orders compare equal.
async fn every_row(db: &Db) -> BTreeMap<&'static str, Vec<String>> {
    let mut out = BTreeMap::new();
    for table in export::TABLES {
        let rows = db.fetch_all(&format!("SELECT * FROM {table}"), &[]).await.unwrap_or_else(|e| panic!("{e}"));
        let mut rows: Vec<String> = rows
            .iter()
            .map(|r| {
                let values: Vec<String> = r
                    .columns()
                    .iter()
                    .zip(r.values())
                    .map(|(c, v)| match v {
                        Value::Int(Some(i)) => format!("{c}=int {i}"),
                        Value::Real(Some(f)) => format!("{c}=real {f:?}"),
                        Value::Text(Some(s)) => format!("{c}=text {s:?}"),
                        _ => format!("{c}=null"),
                    })
                    .collect();
                values.join(" | ")
            })
            .collect();
        rows.sort();
        out.insert(*table, rows);
    }
    out
}

async fn total_rows(db: &Db) -> usize {
    every_row(db).await.values().map(Vec::len).sum()
}

async fn take_backup(db: &Db) -> String {
    let mut out = Vec::new();
    backup::backup(db, &mut out).await.unwrap_or_else(|e| panic!("backup: {e}"));
    String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
}

async fn restore_text(db: &Db, text: &str) -> Result<backup::Summary, BackupError> {
    backup::restore(db, text.as_bytes()).await
}

#[tokio::test]
async fn a_backup_restores_every_row_of_every_table_on_either_backend() {
    for source in seeded_backends().await {
        let text = take_backup(&source.db).await;
        let expected = every_row(&source.db).await;
        assert!(expected["action"].len() > 100 && expected["programme_node"].len() > 10);
        let header: serde_json::Value =
            serde_json::from_str(text.lines().next().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(header["format"], "tripart-backup");
        assert_eq!(header["backend"], source.name());
        assert_eq!(header["schema_version"], tripart_storage::migrate::latest_version());
        for target in fresh_targets().await {
            let summary = restore_text(&target.db, &text)
                .await
                .unwrap_or_else(|e| panic!("{} -> {}: {e}", source.name(), target.name()));
            assert_eq!(summary.tables, export::TABLES.len());
            assert_eq!(summary.rows as usize, expected.values().map(Vec::len).sum::<usize>());
            let restored = every_row(&target.db).await;
            for table in export::TABLES {
                assert_eq!(restored[table], expected[table], "{} -> {}: table {table}", source.name(), target.name());
            }
            target.cleanup().await;
        }
        source.cleanup().await;
    }
}

#[tokio::test]
async fn rows_that_reference_rows_of_their_own_table_restore_parents_first() {
    for source in all_backends().await {
        let db = &source.db;
        // Each body reports to one that sorts after it, so the file lists children first.
        for (id, reports_to) in [("z-top", Some("z-top")), ("m-middle", Some("z-top")), ("a-child", Some("m-middle"))] {
            db.execute(
                "INSERT INTO body (id, name, kind, reports_to, source_document, source_section, source_file) \
                 VALUES ($1, $1, 'ministerial', $2, 'd', 's', 'f')",
                &params![id, reports_to],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let text = take_backup(db).await;
        let a_child = text.find("\"a-child\"").unwrap_or(0);
        assert!(a_child < text.find("[\"z-top\"").unwrap_or(0), "the file lists the child first");
        for target in fresh_targets().await {
            restore_text(&target.db, &text)
                .await
                .unwrap_or_else(|e| panic!("{} -> {}: {e}", source.name(), target.name()));
            assert_eq!(every_row(&target.db).await, every_row(db).await);
            target.cleanup().await;
        }
        source.cleanup().await;
    }
}

/// A sink that, when the backup reaches the glossary citations (after it has read
/// the glossary terms), waits until the writer has committed more pairs.
struct WaitForWrites {
    out: Vec<u8>,
    committed: Arc<AtomicU64>,
    waited: bool,
}

impl Write for WaitForWrites {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.waited && buf.starts_with(b"{\"table\":\"glossary_citation\"") {
            self.waited = true;
            let target = self.committed.load(Ordering::SeqCst) + 5;
            let deadline = Instant::now() + Duration::from_secs(60);
            while self.committed.load(Ordering::SeqCst) < target {
                assert!(Instant::now() < deadline, "the writer made no progress during the backup");
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_go_on_is_one_consistent_snapshot() {
    for source in all_backends().await {
        let committed = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        // Each transaction adds a glossary term and its citation: a snapshot holds
        // both or neither.
        let writer = {
            let (db, committed, stop) = (source.db.clone(), committed.clone(), stop.clone());
            tokio::spawn(async move {
                let mut i = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    let mut tx = db.begin().await.unwrap_or_else(|e| panic!("{e}"));
                    let term = format!("TERM-{i:06}");
                    tx.execute(
                        "INSERT INTO glossary_term (term, expansion, source_document, source_section, source_file) \
                         VALUES ($1, 'x', 'loop', 'loop', 'loop')",
                        &params![&term],
                    )
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                    tx.execute(
                        "INSERT INTO glossary_citation (term, source_document, source_section) VALUES ($1, 'loop', 'loop')",
                        &params![&term],
                    )
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
                    committed.fetch_add(1, Ordering::SeqCst);
                    i += 1;
                }
            })
        };
        while committed.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut sink = WaitForWrites { out: Vec::new(), committed: committed.clone(), waited: false };
        backup::backup(&source.db, &mut sink).await.unwrap_or_else(|e| panic!("{}: backup: {e}", source.name()));
        assert!(sink.waited, "the backup reached the glossary citations");
        stop.store(true, Ordering::SeqCst);
        writer.await.unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(sink.out).unwrap_or_else(|e| panic!("{e}"));

        let target = testkit::sqlite().await.unwrap_or_else(|e| panic!("{e}"));
        restore_text(&target.db, &text).await.unwrap_or_else(|e| panic!("{}: restore: {e}", source.name()));
        let count = |sql: &'static str| {
            let db = target.db.clone();
            async move { db.fetch_optional(sql, &[]).await.ok().flatten().and_then(|r| r.i64("n").ok()).unwrap_or(-1) }
        };
        let terms = count("SELECT COUNT(*) AS n FROM glossary_term").await;
        let citations = count("SELECT COUNT(*) AS n FROM glossary_citation").await;
        let total = committed.load(Ordering::SeqCst) as i64;
        assert!(terms >= 3, "{}: the backup holds the pairs committed before it began", source.name());
        assert!(terms + 5 <= total, "{}: pairs were committed during the backup ({terms} of {total})", source.name());
        assert_eq!(terms, citations, "{}: every term in the backup has its citation", source.name());
        target.cleanup().await;
        source.cleanup().await;
    }
}

#[tokio::test]
async fn restore_into_a_database_that_holds_rows_is_refused_and_writes_nothing() {
    let cat = catalogue();
    let source = testkit::sqlite().await.unwrap_or_else(|e| panic!("{e}"));
    seed::seed(&source.db, &cat).await.unwrap_or_else(|e| panic!("{e}"));
    let text = take_backup(&source.db).await;
    for target in fresh_targets().await {
        target
            .db
            .execute(
                "INSERT INTO glossary_term (term, expansion, source_document, source_section, source_file) \
                 VALUES ('ONE', 'one row', 'd', 's', 'f')",
                &[],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let before = every_row(&target.db).await;
        let err = restore_text(&target.db, &text).await.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("not empty") && err.contains("`glossary_term`"), "{}: {err}", target.name());
        assert_eq!(every_row(&target.db).await, before, "{}: the refused restore wrote rows", target.name());
        target.cleanup().await;
    }
    source.cleanup().await;
}

/// The backup's lines with the first line starting with `prefix` passed to `edit`.
fn edit_line(text: &str, prefix: &str, edit: impl Fn(&str) -> String) -> String {
    let mut done = false;
    let mut out = String::new();
    for line in text.lines() {
        if !done && line.starts_with(prefix) {
            done = true;
            out.push_str(&edit(line));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    assert!(done, "no line starts with {prefix}");
    out
}

/// The line after the header of `table`: its first row.
fn first_row_of(text: &str, table: &str) -> String {
    let header = format!("{{\"table\":\"{table}\"");
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&header));
    lines.next();
    lines.next().unwrap_or_else(|| panic!("table {table} has no rows")).to_string()
}

fn column_index(text: &str, table: &str, column: &str) -> usize {
    let header = format!("{{\"table\":\"{table}\"");
    let line = text.lines().find(|l| l.starts_with(&header)).unwrap_or_else(|| panic!("no table {table}"));
    let json: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
    json["columns"]
        .as_array()
        .and_then(|cols| cols.iter().position(|c| c["name"] == column))
        .unwrap_or_else(|| panic!("no column {column} in {table}"))
}

fn with_value(text: &str, table: &str, column: &str, value: serde_json::Value) -> String {
    let row = first_row_of(text, table);
    let at = column_index(text, table, column);
    edit_line(text, &row, |line| {
        let mut values: Vec<serde_json::Value> = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
        values[at] = value.clone();
        serde_json::to_string(&values).unwrap_or_default()
    })
}

#[tokio::test]
async fn a_damaged_or_foreign_backup_is_refused_naming_the_problem_and_writes_nothing() {
    let cat = catalogue();
    let source = testkit::sqlite().await.unwrap_or_else(|e| panic!("{e}"));
    seed::seed(&source.db, &cat).await.unwrap_or_else(|e| panic!("{e}"));
    let text = take_backup(&source.db).await;
    let export = serde_json::to_string_pretty(&export::export(&source.db).await.unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_default();
    let mut middle = text.len() / 2;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    let without_trailer: String = text.lines().take(text.lines().count() - 1).map(|l| format!("{l}\n")).collect();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("cut mid-line", text[..middle].to_string(), vec!["not a valid backup: line"]),
        ("cut before the end marker", without_trailer, vec!["ends early", "end marker"]),
        ("an export", export, vec!["not a Tripart backup"]),
        ("empty", String::new(), vec!["line 1", "ends early"]),
        (
            "a newer format",
            edit_line(&text, "{\"format\"", |l| l.replace("\"format_version\":1", "\"format_version\":9")),
            vec!["format version 9 is not supported"],
        ),
        (
            "another schema version",
            edit_line(&text, "{\"format\"", |l| l.replace("\"schema_version\":", "\"schema_version\":9")),
            vec!["refused", "schema version 9"],
        ),
        (
            "an unknown table",
            edit_line(&text, "{\"format\"", |l| l.replace("\"body\"", "\"bodies\"")),
            vec!["unknown table `bodies`"],
        ),
        (
            "a column the schema lacks",
            edit_line(&text, "{\"table\":\"convention\"", |l| l.replace("\"short_title\"", "\"subtitle\"")),
            vec!["table `convention`: column `subtitle` is not in the database's schema"],
        ),
        (
            "text in an integer column",
            with_value(&text, "convention", "number", "eighty-seven".into()),
            vec!["table `convention`, row 1: column `number`: expected integer, found \"eighty-seven\""],
        ),
        (
            "a reference to a missing row",
            with_value(&text, "programme", "owner", "no-such-body".into()),
            vec!["restoring table `programme`, row 1"],
        ),
        ("an altered value", with_value(&text, "indicator", "name", "altered".into()), vec!["checksum does not match"]),
        ("data after the end", format!("{text}[]\n"), vec!["data after the end marker"]),
    ];
    for target in fresh_targets().await {
        for (case, damaged, expected) in &cases {
            let err = restore_text(&target.db, damaged).await.err().map(|e| e.to_string());
            let err = err.unwrap_or_else(|| panic!("{}: {case}: the restore succeeded", target.name()));
            for part in expected {
                assert!(err.contains(part), "{}: {case}: `{err}` does not say `{part}`", target.name());
            }
            assert_eq!(total_rows(&target.db).await, 0, "{}: {case}: the refused restore wrote rows", target.name());
        }
        // The same target still takes the intact backup.
        restore_text(&target.db, &text).await.unwrap_or_else(|e| panic!("{}: {e}", target.name()));
        assert_eq!(every_row(&target.db).await, every_row(&source.db).await);
        target.cleanup().await;
    }
    source.cleanup().await;
}
