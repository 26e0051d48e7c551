//! The `tripart` binary as a user runs it: the embedded default, checking the
//! catalogue, seeding, exporting, and several servers on one PostgreSQL.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tripart");

fn catalogue() -> String {
    format!("{}/../../catalogue", env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// A server process that is killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(dir: &Path, port: u16, envs: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env_remove("TRIPART_DATABASE_URL")
        .env_remove("TRIPART_CATALOGUE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Server(cmd.spawn().unwrap_or_else(|e| panic!("cannot start tripart: {e}")))
}

async fn wait_healthy(port: u16) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            if r.status().is_success() {
                return r.json().await.unwrap_or_default();
            }
        }
        assert!(Instant::now() < deadline, "server on {port} never became healthy");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn overview(port: u16) -> serde_json::Value {
    reqwest::get(format!("http://127.0.0.1:{port}/api/v1/overview"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn serve_with_no_configuration_creates_tripart_db_and_serves_the_catalogue() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let _server = start_server(dir.path(), port, &[]);
    let health = wait_healthy(port).await;
    assert_eq!(health["database"], "sqlite");
    assert!(dir.path().join("tripart.db").exists(), "tripart.db created in the working directory");
    let o = overview(port).await;
    assert!(o["actions"].as_i64().unwrap_or(0) > 100, "{o}");
    assert_eq!(o["member_states"], 11);
}

#[test]
fn check_accepts_the_shipped_catalogue() {
    let out = Command::new(BIN).args(["check", "--catalogue", &catalogue()]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("catalogue OK"));
}

#[test]
fn check_names_the_file_and_entry_of_every_mistake() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("bad.toml"),
        r#"
[file]
document = "000_7a35ce5f71f1b248.txt"
title = "A broken file"

[[meeting]]
id = "afml-5"
title = "5th ASEAN Forum on Migrant Labour"
kind = "party"
start = "2012-10-32"
section = "5th AFML"

[[recommendation]]
meeting = "afml-6"
number = "1"
text = "A recommendation of a meeting that does not exist"
section = "5th AFML"
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(BIN)
        .args(["check", "--catalogue", &dir.path().display().to_string()])
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml: meeting afml-5: kind: `party` is not one of"), "{err}");
    assert!(err.contains("bad.toml: meeting afml-5: start: `2012-10-32` is not a date"), "{err}");
    assert!(err.contains("bad.toml: recommendation afml-6.1: meeting: no meeting `afml-6`"), "{err}");
}

#[test]
fn seed_is_idempotent_and_export_writes_every_table() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .current_dir(dir.path())
            .args(args)
            .args(["--catalogue", &catalogue()])
            .env_remove("TRIPART_DATABASE_URL")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let first = run(&["seed"]);
    assert!(!first.contains(" 0 inserted"), "{first}");
    let second = run(&["seed"]);
    assert!(second.contains(" 0 inserted, 0 updated"), "{second}");
    run(&["export", "--output", "export.json"]);
    let text = std::fs::read_to_string(dir.path().join("export.json")).unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["format"], "tripart-export");
    assert!(json["tables"]["action"].as_array().is_some_and(|a| a.len() > 100));
}

#[tokio::test]
async fn several_servers_share_one_postgresql() {
    let Some(test_db) = tripart_storage::testkit::postgres().await.unwrap_or_else(|e| panic!("{e}")) else {
        eprintln!("NOTE: {} is not set: this PostgreSQL test was SKIPPED", tripart_storage::testkit::PG_URL_VAR);
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let catalogue = catalogue();
    let envs = [("TRIPART_DATABASE_URL", test_db.url.as_str()), ("TRIPART_CATALOGUE", catalogue.as_str())];
    let (p1, p2) = (free_port(), free_port());
    // Both start at once: both migrate and seed the same empty database.
    let s1 = start_server(dir.path(), p1, &envs);
    let s2 = start_server(dir.path(), p2, &envs);
    assert_eq!(wait_healthy(p1).await["database"], "postgres");
    wait_healthy(p2).await;
    let (o1, o2) = (overview(p1).await, overview(p2).await);
    assert_eq!(o1, o2, "both servers read the same data");
    assert!(o1["actions"].as_i64().unwrap_or(0) > 100);
    drop((s1, s2));
    test_db.cleanup().await;
}
