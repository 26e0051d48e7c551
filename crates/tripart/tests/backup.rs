//! `tripart backup` and `tripart restore` as an operator runs them: a seeded
//! database backed up, restored into a new SQLite file, and exported from both.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_tripart");

fn tripart(dir: &Path, database: &str, args: &[&str]) -> Output {
    let catalogue = format!("{}/../../catalogue", env!("CARGO_MANIFEST_DIR"));
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .args(["--database-url", &format!("sqlite://{database}"), "--catalogue", &catalogue])
        .env_remove("TRIPART_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tripart: {e}"))
}

fn succeeds(dir: &Path, database: &str, args: &[&str]) -> String {
    let out = tripart(dir, database, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn restoring_a_backup_into_a_new_database_gives_the_same_export() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path();
    succeeds(path, "original.db", &["seed"]);
    let said = succeeds(path, "original.db", &["backup", "tripart.backup"]);
    assert!(said.contains("backed up"), "{said}");
    let said = succeeds(path, "restored.db", &["restore", "tripart.backup"]);
    assert!(said.contains("restored") && said.contains("sqlite backup"), "{said}");

    succeeds(path, "original.db", &["export", "--output", "original.json"]);
    succeeds(path, "restored.db", &["export", "--output", "restored.json"]);
    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(path.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (original, restored) = (read("original.json"), read("restored.json"));
    assert!(original["tables"]["action"].as_array().is_some_and(|a| a.len() > 100));
    assert_eq!(original, restored, "the restored database exports differently");

    // A second restore into the now populated database is refused.
    let again = tripart(path, "restored.db", &["restore", "tripart.backup"]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("restore refused") && err.contains("not empty"), "{err}");
}
