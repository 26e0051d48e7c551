//! The test kit: starts the real application on a random port over a fresh,
//! migrated and seeded database, on every backend the suite runs on.

#![allow(dead_code)]

pub mod schema;

use std::net::SocketAddr;
use std::path::PathBuf;
use tripart_storage::testkit::{self, TestDb};
use tripart_storage::Db;

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub test_db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub fn db(&self) -> &Db {
        &self.test_db.db
    }
    pub fn backend(&self) -> &'static str {
        self.test_db.name()
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }
    /// GET a path and parse its JSON body, returning the status too.
    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        let body = r.json().await.unwrap_or_else(|e| panic!("{path} did not return JSON: {e}"));
        (status, body)
    }
    pub async fn text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }
    pub async fn stop(self) {
        self.server.abort();
        self.test_db.cleanup().await;
    }
}

/// The catalogue folder of this source tree.
pub fn catalogue_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalogue")
}

/// Seeds `db` with the real catalogue.
pub async fn seed(db: &Db) {
    let report = tripart_catalogue::load_dir(&catalogue_dir()).unwrap_or_else(|errors| {
        panic!("catalogue invalid: {}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
    });
    tripart_storage::seed::seed(db, &report.catalogue).await.unwrap_or_else(|e| panic!("seed failed: {e}"));
}

async fn start(test_db: TestDb) -> TestApp {
    seed(&test_db.db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("addr: {e}"));
    let app = tripart_web::app(test_db.db.clone(), tripart_web::Settings::default());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestApp { addr, base: format!("http://{addr}"), client: reqwest::Client::new(), test_db, server }
}

/// One running app per backend: SQLite always, PostgreSQL when configured.
pub async fn spawn_apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in testkit::all_backends().await {
        apps.push(start(db).await);
    }
    apps
}

/// One running app on SQLite only, for tests about rendering rather than storage.
pub async fn spawn_sqlite_app() -> TestApp {
    start(testkit::sqlite().await.unwrap_or_else(|e| panic!("sqlite: {e}"))).await
}
