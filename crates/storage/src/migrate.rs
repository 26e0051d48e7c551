//! Schema migrations, run at start-up. The SQL is written to be accepted by both
//! SQLite and PostgreSQL (text ids, integer flags, ISO 8601 text dates), so one
//! folder serves both and the two schemas cannot drift. A migration that must
//! differ goes into per-backend folders with the same version number. On
//! PostgreSQL sqlx holds an advisory lock while migrating, so several servers
//! starting together do not race.

use crate::{Db, StorageError};
use sqlx::migrate::Migrator;

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

pub async fn run(db: &Db) -> Result<(), StorageError> {
    match db {
        Db::Sqlite(pool) => MIGRATIONS.run(pool).await?,
        Db::Postgres(pool) => MIGRATIONS.run(pool).await?,
    }
    Ok(())
}

/// The newest migration version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}
