//! Schema migrations, one folder per backend with the same version numbers, run at
//! start-up. On PostgreSQL sqlx holds an advisory lock while migrating, so several
//! servers starting together do not race.

use crate::{Db, StorageError};
use sqlx::migrate::Migrator;

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

pub async fn run(db: &Db) -> Result<(), StorageError> {
    match db {
        Db::Sqlite(pool) => SQLITE.run(pool).await?,
        Db::Postgres(pool) => POSTGRES.run(pool).await?,
    }
    Ok(())
}

/// The newest migration version this build knows.
pub fn latest_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}
