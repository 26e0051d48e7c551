//! Schema migrations, run at start-up. The SQL is written to be accepted by both
//! SQLite and PostgreSQL (text ids, integer flags, ISO 8601 text dates), so one
//! folder serves both and the two schemas cannot drift. A migration that must
//! differ may use one SQLite-only clause, `WITHOUT ROWID`, which PostgreSQL's copy
//! of the migration leaves out (its tables are heaps whatever their key). On
//! PostgreSQL sqlx holds an advisory lock while migrating, so several servers
//! starting together do not race.

use crate::{Db, StorageError};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, Migrator};
use std::future::Future;
use std::pin::Pin;

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

pub async fn run(db: &Db) -> Result<(), StorageError> {
    run_until(db, i64::MAX).await
}

/// A migration as `backend` runs it. The checksum stays that of the file, so a database
/// records the same one whichever backend it is on.
fn for_backend(m: &Migration, backend: crate::Backend) -> Migration {
    match backend {
        crate::Backend::Sqlite => m.clone(),
        crate::Backend::Postgres => {
            Migration { sql: std::borrow::Cow::Owned(m.sql.replace(" WITHOUT ROWID", "")), ..m.clone() }
        }
    }
}

/// Runs the migrations up to `version` only: for the tests of a migration that converts the
/// data of an older schema. `run` afterwards applies the rest.
pub async fn run_until(db: &Db, version: i64) -> Result<(), StorageError> {
    #[derive(Debug)]
    struct UpTo(i64, crate::Backend);
    impl<'s> MigrationSource<'s> for UpTo {
        fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
            Box::pin(async move {
                Ok(MIGRATIONS.iter().filter(|m| m.version <= self.0).map(|m| for_backend(m, self.1)).collect())
            })
        }
    }
    let older = Migrator::new(UpTo(version, db.backend())).await?;
    match db {
        Db::Sqlite(pool) => older.run(pool).await?,
        Db::Postgres(pool) => older.run(pool).await?,
    }
    Ok(())
}

/// The newest migration version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}
