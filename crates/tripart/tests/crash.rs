//! Crash safety: a server killed (SIGKILL) in the middle of a stream of writes
//! loses none it acknowledged, and leaves no half-write: every change to a record
//! comes with exactly one audit event, on both backends.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tripart");
const ACTIONS: [&str; 4] =
    ["slom-wg-wp-2011-2015.1.1", "slom-wg-wp-2011-2015.2.1", "slom-wg-wp-2011-2015.3.1", "slom-wg-wp-2011-2015.4.1"];

fn catalogue() -> String {
    format!("{}/../../catalogue", env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn tripart(db_url: &str, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(BIN)
        .args(args)
        .env("TRIPART_DATABASE_URL", db_url)
        .env("TRIPART_CATALOGUE", catalogue())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let _ = pipe.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn serve(db_url: &str, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve", "--no-seed", "--bind", &format!("127.0.0.1:{port}")])
        .env("TRIPART_DATABASE_URL", db_url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn wait_healthy(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server on {port} never became healthy");
}

async fn crash_and_check(db_url: &str, label: &str) {
    tripart(db_url, &["seed"], None);
    tripart(
        db_url,
        &["user", "create", "--email", "admin@asean.org", "--role", "admin"],
        Some("a long enough passphrase\n"),
    );
    let token = tripart(db_url, &["token", "create", "--email", "admin@asean.org"], None);
    let client = reqwest::Client::new();
    let port = free_port();
    let mut server = serve(db_url, port);
    wait_healthy(&client, port).await;

    // Four writers, one per action, each editing in a loop and noting what the
    // server acknowledged.
    let acknowledged: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let mut writers = Vec::new();
    for id in ACTIONS {
        let (client, token, acknowledged) = (client.clone(), token.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            let base = format!("http://127.0.0.1:{port}/api/v1/actions/{id}");
            let mut version = match client.get(&base).send().await {
                Ok(r) => r.json::<serde_json::Value>().await.ok().and_then(|a| a["version"].as_i64()).unwrap_or(1),
                Err(_) => return,
            };
            for n in 1.. {
                let body = serde_json::json!({ "version": version, "title": format!("crash test {n}") });
                let Ok(r) = client.patch(&base).bearer_auth(&token).json(&body).send().await else { return };
                if !r.status().is_success() {
                    return;
                }
                let Ok(v) = r.json::<serde_json::Value>().await else { return };
                version = v["version"].as_i64().unwrap_or(version + 1);
                if let Ok(mut a) = acknowledged.lock() {
                    a.push((id.to_string(), n));
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: no graceful shutdown
    let _ = server.wait();
    for w in writers {
        let _ = w.await;
    }
    let acknowledged = acknowledged.lock().map(|a| a.clone()).unwrap_or_default();
    assert!(acknowledged.len() >= 8, "{label}: only {} writes before the kill", acknowledged.len());

    let port = free_port();
    let mut server = serve(db_url, port);
    wait_healthy(&client, port).await;
    for id in ACTIONS {
        let last_ack = acknowledged.iter().filter(|(a, _)| a == id).map(|(_, n)| *n).max().unwrap_or(0);
        let action: serde_json::Value = client
            .get(format!("http://127.0.0.1:{port}/api/v1/actions/{id}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let title = action["title"].as_str().unwrap_or_default();
        let n: i64 = title.strip_prefix("crash test ").and_then(|n| n.parse().ok()).unwrap_or(0);
        // A write that committed as the server died may be newer than the last
        // acknowledgement, never older.
        assert!(n >= last_ack, "{label}: {id}: acknowledged write {last_ack} lost (now {title:?})");
        // No half-write: one audit event for every change of version.
        let trail: serde_json::Value = client
            .get(format!(
                "http://127.0.0.1:{port}/api/v1/audit?record_type=action&record_id={id}&operation=update&limit=500"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let version = action["version"].as_i64().unwrap_or(0);
        assert_eq!(trail["total"].as_i64(), Some(version - 1), "{label}: {id}: version {version} vs audit {trail}");
        assert_eq!(n, version - 1, "{label}: {id}: title and version disagree");
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn acknowledged_writes_survive_a_killed_server_on_sqlite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_and_check(&url, "sqlite").await;
}

#[tokio::test]
async fn acknowledged_writes_survive_a_killed_server_on_postgres() {
    let Some(db) = tripart_storage::testkit::postgres().await.unwrap_or_else(|e| panic!("{e}")) else {
        eprintln!(
            "NOTE: {} is not set: the PostgreSQL half of this test was SKIPPED",
            tripart_storage::testkit::PG_URL_VAR
        );
        return;
    };
    crash_and_check(&db.url, "postgres").await;
    db.cleanup().await;
}
