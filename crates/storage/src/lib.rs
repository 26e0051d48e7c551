//! Tripart's storage: one interface over SQLite (the embedded default) and
//! PostgreSQL (production), the migrations of both, seeding the catalogue, and the
//! read queries the API and the pages share. The SQL here is written once for both
//! backends; `db` is the only module that knows which one it talks to.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod db;
pub mod edit;
pub mod export;
pub mod followup;
pub mod migrate;
pub mod monitoring;
pub mod read;
pub mod seed;
pub mod stats;
pub mod testkit;

pub use db::{Backend, Column, Db, Row, Tx, Value};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("unexpected data in the database: {0}")]
    Corrupt(String),
}
