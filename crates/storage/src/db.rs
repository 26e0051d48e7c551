//! The one storage interface: a connection pool on SQLite or PostgreSQL, chosen by
//! the URL scheme, that runs SQL written once for both (`$1` placeholders, text
//! dates, integer flags) and returns backend-neutral rows. Everything above this
//! module is backend-agnostic; nothing below it knows the domain.

use crate::StorageError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Column as _, Row as _, TypeInfo, ValueRef};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

mod bulk;
pub use bulk::Column;

/// A parameter or a column value. Nulls carry their type, because PostgreSQL needs
/// to know the type of every parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(Some(i64::from(v)))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(Some(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_string))
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::Text(v.clone())
    }
}

impl Value {
    /// A number, whether the database handed it back as a real or an integer.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Real(v) => *v,
            Value::Int(v) => v.map(|x| x as f64),
            Value::Text(_) => None,
        }
    }

    /// The value as JSON: integers and reals as numbers, text as strings, null as null.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Int(Some(i)) => serde_json::Value::from(*i),
            Value::Real(Some(f)) => serde_json::Value::from(*f),
            Value::Text(Some(s)) => serde_json::Value::from(s.clone()),
            Value::Int(None) | Value::Real(None) | Value::Text(None) => serde_json::Value::Null,
        }
    }
}

/// Builds a parameter array: `&params![id, name, year]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { [$($crate::db::Value::from($v)),*] };
}

/// A result row: column names shared by all rows of a result, and values.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<Vec<String>>,
    values: Vec<Value>,
}

impl Row {
    fn value(&self, column: &str) -> Result<&Value, StorageError> {
        self.columns
            .iter()
            .position(|c| c == column)
            .map(|i| &self.values[i])
            .ok_or_else(|| StorageError::Corrupt(format!("no column `{column}` in result")))
    }
    pub fn opt_str(&self, column: &str) -> Result<Option<String>, StorageError> {
        match self.value(column)? {
            Value::Text(v) => Ok(v.clone()),
            Value::Int(v) => Ok(v.map(|i| i.to_string())),
            Value::Real(v) => Ok(v.map(|f| f.to_string())),
        }
    }
    pub fn str(&self, column: &str) -> Result<String, StorageError> {
        self.opt_str(column)?.ok_or_else(|| StorageError::Corrupt(format!("column `{column}` is null")))
    }
    pub fn opt_i64(&self, column: &str) -> Result<Option<i64>, StorageError> {
        match self.value(column)? {
            Value::Int(v) => Ok(*v),
            Value::Real(v) => Ok(v.map(|f| f as i64)),
            Value::Text(None) => Ok(None),
            Value::Text(Some(s)) => {
                s.parse().map(Some).map_err(|_| StorageError::Corrupt(format!("column `{column}` is not a number")))
            }
        }
    }
    pub fn i64(&self, column: &str) -> Result<i64, StorageError> {
        self.opt_i64(column)?.ok_or_else(|| StorageError::Corrupt(format!("column `{column}` is null")))
    }
    pub fn bool(&self, column: &str) -> Result<bool, StorageError> {
        Ok(self.i64(column)? != 0)
    }
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
    pub fn values(&self) -> &[Value] {
        &self.values
    }
}

/// Which backend a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool of connections to one database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// An open transaction; dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut q = $query;
        for p in $params {
            q = match p {
                Value::Int(v) => q.bind(*v),
                Value::Real(v) => q.bind(*v),
                Value::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }};
}

impl Db {
    /// Connects by URL: `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, StorageError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                // 64 MiB of page cache per connection instead of SQLite's 2 MiB: a large import
                // otherwise spills its index pages to the WAL again and again.
                .pragma("cache_size", "-65536")
                // The statement journal of a many-row INSERT (kept so that the statement can be
                // undone alone) in memory rather than in a temporary file.
                .pragma("temp_store", "memory");
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(options).await
        } else {
            Err(StorageError::Config(format!(
                "database URL must start with sqlite:// or postgres:// (got `{}`)",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    /// Connects to PostgreSQL with explicit options (tests use this to pin a schema).
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Db, StorageError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn fetch_all(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        match self {
            Db::Sqlite(pool) => {
                let rows = bind_all!(sqlx::query(sql), params).fetch_all(pool).await?;
                sqlite_rows(rows)
            }
            Db::Postgres(pool) => {
                let rows = bind_all!(sqlx::query(sql), params).fetch_all(pool).await?;
                pg_rows(rows)
            }
        }
    }

    pub async fn fetch_optional(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, StorageError> {
        Ok(self.fetch_all(sql, params).await?.into_iter().next())
    }

    pub async fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        match self {
            Db::Sqlite(pool) => Ok(bind_all!(sqlx::query(sql), params).execute(pool).await?.rows_affected()),
            Db::Postgres(pool) => Ok(bind_all!(sqlx::query(sql), params).execute(pool).await?.rows_affected()),
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so that two writers queue behind the busy timeout
    /// instead of one failing when it upgrades a read lock.
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        match self {
            Db::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Postgres(pool) => Ok(Tx::Postgres(pool.begin().await?)),
        }
    }

    /// Begins a read-only snapshot: every read in it sees the same state.
    pub async fn begin_read(&self) -> Result<Tx, StorageError> {
        match self {
            Db::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin().await?)),
            Db::Postgres(pool) => {
                Ok(Tx::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?))
            }
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn fetch_all(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StorageError> {
        match self {
            Tx::Sqlite(tx) => {
                let rows = bind_all!(sqlx::query(sql), params).fetch_all(&mut **tx).await?;
                sqlite_rows(rows)
            }
            Tx::Postgres(tx) => {
                let rows = bind_all!(sqlx::query(sql), params).fetch_all(&mut **tx).await?;
                pg_rows(rows)
            }
        }
    }

    pub async fn fetch_optional(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StorageError> {
        Ok(self.fetch_all(sql, params).await?.into_iter().next())
    }

    pub async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StorageError> {
        match self {
            Tx::Sqlite(tx) => Ok(bind_all!(sqlx::query(sql), params).execute(&mut **tx).await?.rows_affected()),
            Tx::Postgres(tx) => Ok(bind_all!(sqlx::query(sql), params).execute(&mut **tx).await?.rows_affected()),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), StorageError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

fn sqlite_rows(rows: Vec<sqlx::sqlite::SqliteRow>) -> Result<Vec<Row>, StorageError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let columns = Arc::new(first.columns().iter().map(|c| c.name().to_string()).collect::<Vec<_>>());
    rows.iter()
        .map(|row| {
            let values = (0..columns.len())
                .map(|i| {
                    let raw = row.try_get_raw(i)?;
                    if raw.is_null() {
                        return Ok(Value::Text(None));
                    }
                    let type_name = raw.type_info().name().to_string();
                    Ok(match type_name.as_str() {
                        "INTEGER" | "BOOLEAN" | "INT" | "BIGINT" => Value::Int(row.try_get(i)?),
                        "REAL" | "NUMERIC" => Value::Real(row.try_get(i)?),
                        _ => Value::Text(row.try_get(i)?),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(Row { columns: columns.clone(), values })
        })
        .collect()
}

fn pg_rows(rows: Vec<sqlx::postgres::PgRow>) -> Result<Vec<Row>, StorageError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let columns = Arc::new(first.columns().iter().map(|c| c.name().to_string()).collect::<Vec<_>>());
    let types: Vec<String> = first.columns().iter().map(|c| c.type_info().name().to_string()).collect();
    rows.iter()
        .map(|row| {
            let values = types
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Ok(match t.as_str() {
                        "INT8" => Value::Int(row.try_get::<Option<i64>, _>(i)?),
                        "INT4" => Value::Int(row.try_get::<Option<i32>, _>(i)?.map(i64::from)),
                        "INT2" => Value::Int(row.try_get::<Option<i16>, _>(i)?.map(i64::from)),
                        "BOOL" => Value::Int(row.try_get::<Option<bool>, _>(i)?.map(i64::from)),
                        "FLOAT8" => Value::Real(row.try_get::<Option<f64>, _>(i)?),
                        "FLOAT4" => Value::Real(row.try_get::<Option<f32>, _>(i)?.map(f64::from)),
                        _ => Value::Text(row.try_get::<Option<String>, _>(i)?),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(Row { columns: columns.clone(), values })
        })
        .collect()
}
