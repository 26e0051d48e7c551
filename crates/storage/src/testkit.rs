//! Fresh databases for tests, on both backends: SQLite in a temporary folder, and,
//! when `TRIPART_TEST_DATABASE_URL` is set, PostgreSQL in a new schema of its own.
//! Lives in the library (not behind `cfg(test)`) so that every crate's tests share it.

use crate::{migrate, Db, StorageError};
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that enables the PostgreSQL half of the test suite.
pub const PG_URL_VAR: &str = "TRIPART_TEST_DATABASE_URL";

/// A migrated, empty database that cleans up after itself where it can.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    /// Keeps the SQLite folder alive as long as the database.
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

impl TestDb {
    pub fn name(&self) -> &'static str {
        self.db.backend().name()
    }

    /// Drops the PostgreSQL schema; SQLite's folder goes with the value.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((base_url, schema)) = &self.schema {
            if let Ok(admin) = Db::connect(base_url).await {
                let _ = admin.execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"), &[]).await;
                admin.close().await;
            }
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh SQLite database, migrated.
pub async fn sqlite() -> Result<TestDb, StorageError> {
    sqlite_at(None).await
}

/// Migrated to the newest version, or to `version` only.
async fn migrated(db: &Db, version: Option<i64>) -> Result<(), StorageError> {
    match version {
        Some(v) => migrate::run_until(db, v).await,
        None => migrate::run(db).await,
    }
}

async fn sqlite_at(version: Option<i64>) -> Result<TestDb, StorageError> {
    let dir = tempfile::tempdir().map_err(|e| StorageError::Config(e.to_string()))?;
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = Db::connect(&url).await?;
    migrated(&db, version).await?;
    Ok(TestDb { db, url, _dir: Some(dir), schema: None })
}

/// A fresh PostgreSQL schema, migrated, or `None` when PostgreSQL tests are off.
pub async fn postgres() -> Result<Option<TestDb>, StorageError> {
    postgres_at(None).await
}

async fn postgres_at(version: Option<i64>) -> Result<Option<TestDb>, StorageError> {
    let Ok(base_url) = std::env::var(PG_URL_VAR) else { return Ok(None) };
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
    );
    let admin = Db::connect(&base_url).await?;
    admin.execute(&format!("CREATE SCHEMA {schema}"), &[]).await?;
    admin.close().await;
    let options = PgConnectOptions::from_str(&base_url)?.options([("search_path", schema.as_str())]);
    let db = Db::connect_postgres(options).await?;
    migrated(&db, version).await?;
    let sep = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{sep}options=-c%20search_path%3D{schema}");
    Ok(Some(TestDb { db, url, _dir: None, schema: Some((base_url, schema)) }))
}

/// Every backend the suite runs on: SQLite always, PostgreSQL when configured. Says
/// plainly when the PostgreSQL half is skipped.
pub async fn all_backends() -> Vec<TestDb> {
    all_backends_at(None).await
}

/// Every backend, migrated up to `version` only (for a test of the next migration), or to
/// the newest with `None`.
pub async fn all_backends_at(version: Option<i64>) -> Vec<TestDb> {
    let mut out = Vec::new();
    match sqlite_at(version).await {
        Ok(db) => out.push(db),
        Err(e) => panic!("cannot create a SQLite test database: {e}"),
    }
    match postgres_at(version).await {
        Ok(Some(db)) => out.push(db),
        Ok(None) => eprintln!("NOTE: {PG_URL_VAR} is not set: the PostgreSQL half of this test was SKIPPED"),
        Err(e) => panic!("{PG_URL_VAR} is set but PostgreSQL is not usable: {e}"),
    }
    out
}
