//! `tripart backup` and `tripart restore`: every table of `export::TABLES`, secrets
//! included, in a versioned, self-describing JSON Lines file that restores into an
//! empty database of either backend. This module reads and writes whole tables; it
//! must not know what any table means, so that a table appended to `TABLES` is
//! backed up without a change here.
//!
//! The file (format version 1) holds one JSON value per line:
//! 1. a header: `{"format":"tripart-backup","format_version":1,"schema_version":2,
//!    "backend":"sqlite","created_at":"…Z","tables":["catalogue_file",…]}`;
//! 2. per table, in the order of `tables` (dependency order): `{"table":"body",
//!    "columns":[{"name":"id","type":"text"},…],"rows":N}`, then N lines, each a
//!    JSON array of the row's values in column order: integers as JSON integers,
//!    reals as JSON numbers, text as strings, null as null;
//! 3. a trailer: `{"end":"tripart-backup","tables":…,"rows":…,"sha256":"…"}`, the
//!    SHA-256 of every byte before it, so that a truncated or altered file is
//!    refused rather than half restored.
//!
//! A backup reads every table in one read transaction (`Db::begin_read`), so it is
//! one consistent snapshot even while the server writes. A restore runs in one
//! write transaction: it checks that the database is at the backup's schema
//! version and empty, inserts every row, and commits only once the trailer's
//! checksum matches; any error drops the transaction and leaves the database empty.
//!
//! Self-references (`body.reports_to`, `programme_node.parent`, `action.parent`,
//! `action.absorbed_into`, `recommendation.parent`, …) are satisfied by inserting a
//! table's rows parents first, found by walking the table's own foreign keys as the
//! target's schema declares them (such a table's rows are held in memory while
//! they are ordered; other tables stream). Deferring the checks instead was rejected:
//! PostgreSQL defers only constraints declared `DEFERRABLE`, and ours are not. A
//! row may reference itself; a longer cycle cannot be ordered and is refused.
//! References between tables are satisfied by the order of `TABLES`.
//!
//! Reading a table's columns and foreign keys is the one thing here that branches
//! on the backend: SQLite and PostgreSQL describe their schemas differently.

use crate::db::{Backend, Value};
use crate::export::TABLES;
use crate::{params, Db, StorageError, Tx};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// The `format` every backup names in its header and trailer.
pub const FORMAT: &str = "tripart-backup";
/// The version of the file layout this build writes and reads.
pub const FORMAT_VERSION: i64 = 1;
/// Rows read per query while backing up, to bound memory on large tables.
const PAGE: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("reading or writing the backup: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a valid backup: line {line}: {message}")]
    Invalid { line: u64, message: String },
    #[error("restore refused, nothing was written: {0}")]
    Refused(String),
    #[error("restoring table `{table}`, row {row} (line {line}): {source}")]
    Insert {
        table: String,
        row: u64,
        line: u64,
        #[source]
        source: StorageError,
    },
    #[error("table `{table}`: {message}")]
    Schema { table: String, message: String },
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Storage(e.into())
    }
}

/// What a backup holds, or what a restore loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub schema_version: i64,
    /// The backend the backup was taken from.
    pub backend: String,
    pub created_at: String,
    pub tables: usize,
    pub rows: u64,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: i64,
    schema_version: i64,
    backend: String,
    created_at: String,
    tables: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<ColumnSpec>,
    rows: u64,
}

#[derive(Serialize, Deserialize)]
struct ColumnSpec {
    name: String,
    #[serde(rename = "type")]
    ty: String,
}

#[derive(Serialize, Deserialize)]
struct Trailer {
    end: String,
    tables: u64,
    rows: u64,
    sha256: String,
}

/// The three kinds of value a backup carries; every column is one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Integer,
    Real,
    Text,
}

impl ColumnType {
    fn name(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Real => "real",
            ColumnType::Text => "text",
        }
    }

    /// A declared SQLite type, by SQLite's own affinity rules.
    fn from_sqlite(declared: &str) -> Option<ColumnType> {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") || t == "BOOLEAN" {
            Some(ColumnType::Integer)
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Some(ColumnType::Text)
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Some(ColumnType::Real)
        } else {
            None
        }
    }

    /// A PostgreSQL `information_schema.columns.data_type`.
    fn from_postgres(data_type: &str) -> Option<ColumnType> {
        match data_type {
            "smallint" | "integer" | "bigint" => Some(ColumnType::Integer),
            "real" | "double precision" => Some(ColumnType::Real),
            "text" | "character varying" | "character" => Some(ColumnType::Text),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    ty: ColumnType,
}

/// Writes a backup of every table to `out`, from one read snapshot.
pub async fn backup<W: Write>(db: &Db, out: W) -> Result<Summary, BackupError> {
    let mut out = HashingWriter { inner: out, hasher: Sha256::new() };
    let mut tx = db.begin_read().await?;
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: schema_version(&mut tx).await?,
        backend: db.backend().name().into(),
        created_at: tripart_domain::time::now(),
        tables: TABLES.iter().map(|t| t.to_string()).collect(),
    };
    out.line(&header)?;
    let mut total = 0;
    for table in TABLES {
        let columns = columns(&mut tx, table).await?;
        let expected = tx
            .fetch_optional(&format!("SELECT COUNT(*) AS n FROM {}", quote(table)), &[])
            .await?
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let specs = columns.iter().map(|c| ColumnSpec { name: c.name.clone(), ty: c.ty.name().into() }).collect();
        out.line(&TableHeader { table: table.to_string(), columns: specs, rows: expected as u64 })?;
        // Ordered by every column: deterministic for any table, with or without a key.
        let select = format!(
            "SELECT {} FROM {} ORDER BY {}",
            columns.iter().map(|c| quote(&c.name)).collect::<Vec<_>>().join(", "),
            quote(table),
            (1..=columns.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
        );
        let mut written = 0usize;
        loop {
            let page = tx.fetch_all(&format!("{select} LIMIT {PAGE} OFFSET {written}"), &[]).await?;
            for row in &page {
                let values = row
                    .values()
                    .iter()
                    .zip(&columns)
                    .map(|(v, c)| {
                        to_json(v).ok_or_else(|| {
                            schema_error(table, format!("column `{}` holds a real that is not finite", c.name))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                out.line(&values)?;
            }
            written += page.len();
            if page.len() < PAGE {
                break;
            }
        }
        if written as i64 != expected {
            return Err(StorageError::Corrupt(format!(
                "table `{table}` counted {expected} rows but read {written} in the same snapshot"
            ))
            .into());
        }
        total += written as u64;
    }
    tx.commit().await?;
    let sha256 = hex::encode(out.hasher.clone().finalize());
    out.line(&Trailer { end: FORMAT.into(), tables: TABLES.len() as u64, rows: total, sha256 })?;
    out.inner.flush()?;
    Ok(Summary {
        schema_version: header.schema_version,
        backend: header.backend,
        created_at: header.created_at,
        tables: TABLES.len(),
        rows: total,
    })
}

/// Writes a backup to `path`: into a temporary file beside it, renamed into place
/// once complete, so that a failed backup never leaves a file that looks like one.
pub async fn backup_to_file(db: &Db, path: &Path) -> Result<Summary, BackupError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let summary = backup(db, BufWriter::new(tmp.as_file())).await?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(summary)
}

/// Restores a backup from `path` (see `restore`).
pub async fn restore_from_file(db: &Db, path: &Path) -> Result<Summary, BackupError> {
    restore(db, BufReader::new(File::open(path)?)).await
}

/// Loads a backup into `db`, which must be migrated to the backup's schema version
/// and hold no row in any table. Everything is inserted in one transaction that
/// commits only if the whole file is valid.
pub async fn restore<R: BufRead>(db: &Db, input: R) -> Result<Summary, BackupError> {
    let mut lines = Lines { input, number: 0, current: String::new(), hasher: Sha256::new() };
    let header = read_header(&mut lines)?;

    let mut tx = db.begin().await?;
    let version = schema_version(&mut tx)
        .await
        .map_err(|e| BackupError::Refused(format!("cannot read the database's schema version ({e})")))?;
    if version != header.schema_version {
        return Err(BackupError::Refused(format!(
            "the backup is of schema version {}, the database is at version {version}: restore with a build \
             whose migrations end at version {}",
            header.schema_version, header.schema_version
        )));
    }
    let mut not_empty = Vec::new();
    for table in TABLES {
        if tx.fetch_optional(&format!("SELECT 1 AS one FROM {} LIMIT 1", quote(table)), &[]).await?.is_some() {
            not_empty.push(format!("`{table}`"));
        }
    }
    if !not_empty.is_empty() {
        return Err(BackupError::Refused(format!(
            "the database is not empty (rows in {}): restore only into a freshly migrated database",
            not_empty.join(", ")
        )));
    }

    let mut total = 0;
    for table in TABLES {
        total += restore_table(&mut tx, &mut lines, table).await?;
    }

    let trailer: Trailer = lines.next_json("the end marker (the backup is truncated)")?;
    let digest = hex::encode(lines.hasher.clone().finalize());
    let at = lines.number;
    let invalid = |message: String| BackupError::Invalid { line: at, message };
    if trailer.end != FORMAT || trailer.tables != TABLES.len() as u64 || trailer.rows != total {
        return Err(invalid(format!(
            "the end marker does not match the file: it counts {} tables and {} rows, the file holds {} and {total}",
            trailer.tables,
            trailer.rows,
            TABLES.len()
        )));
    }
    if trailer.sha256 != digest {
        return Err(invalid("the checksum does not match: the file was altered or damaged".into()));
    }
    if lines.next_line()? {
        return Err(BackupError::Invalid { line: lines.number, message: "data after the end marker".into() });
    }
    tx.commit().await?;
    Ok(Summary {
        schema_version: header.schema_version,
        backend: header.backend,
        created_at: header.created_at,
        tables: TABLES.len(),
        rows: total,
    })
}

fn read_header<R: BufRead>(lines: &mut Lines<R>) -> Result<Header, BackupError> {
    let invalid = |message: String| BackupError::Invalid { line: 1, message };
    let first: Json = lines.next_json("the backup header").map_err(|e| match e {
        BackupError::Invalid { message, .. } if lines.number == 1 => {
            invalid(format!("not a Tripart backup: the first line is not a JSON header ({message})"))
        }
        e => e,
    })?;
    match first.get("format").and_then(Json::as_str) {
        Some(FORMAT) => {}
        Some(other) => return Err(invalid(format!("not a Tripart backup: its format is `{other}`, not `{FORMAT}`"))),
        None => return Err(invalid(format!("not a Tripart backup: the first line names no format `{FORMAT}`"))),
    }
    let header: Header = serde_json::from_value(first).map_err(|e| invalid(format!("the header is malformed: {e}")))?;
    if header.format_version != FORMAT_VERSION {
        return Err(invalid(format!(
            "format version {} is not supported: this build reads version {FORMAT_VERSION}",
            header.format_version
        )));
    }
    if let Some(unknown) = header.tables.iter().find(|t| !TABLES.contains(&t.as_str())) {
        return Err(invalid(format!("unknown table `{unknown}`: the schema has no such table")));
    }
    if let Some(missing) = TABLES.iter().find(|t| !header.tables.iter().any(|h| h == *t)) {
        return Err(invalid(format!("the backup lacks table `{missing}`")));
    }
    if header.tables.len() != TABLES.len() || header.tables.iter().zip(TABLES).any(|(h, t)| h != t) {
        return Err(invalid(format!(
            "the tables are not listed once each in dependency order ({})",
            TABLES.join(", ")
        )));
    }
    Ok(header)
}

/// Restores one table's section; returns the number of rows inserted.
async fn restore_table<R: BufRead>(tx: &mut Tx, lines: &mut Lines<R>, table: &str) -> Result<u64, BackupError> {
    let section: TableHeader = lines.next_json(&format!("the header of table `{table}`"))?;
    let line = lines.number;
    let invalid = |message: String| BackupError::Invalid { line, message };
    if section.table != table {
        return Err(invalid(format!("expected table `{table}`, found table `{}`", section.table)));
    }
    let schema = columns(tx, table).await?;
    let mut columns = Vec::with_capacity(section.columns.len());
    for spec in &section.columns {
        let Some(column) = schema.iter().find(|c| c.name == spec.name) else {
            return Err(invalid(format!("table `{table}`: column `{}` is not in the database's schema", spec.name)));
        };
        if spec.ty != column.ty.name() {
            return Err(invalid(format!(
                "table `{table}`: column `{}` is of type {} in the backup, {} in the database",
                spec.name,
                spec.ty,
                column.ty.name()
            )));
        }
        if columns.iter().any(|c: &Column| c.name == spec.name) {
            return Err(invalid(format!("table `{table}`: column `{}` is listed twice", spec.name)));
        }
        columns.push(column.clone());
    }
    if let Some(missing) = schema.iter().find(|c| !columns.iter().any(|b| b.name == c.name)) {
        return Err(invalid(format!("table `{table}`: the backup lacks column `{}`", missing.name)));
    }
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(table),
        columns.iter().map(|c| quote(&c.name)).collect::<Vec<_>>().join(", "),
        (1..=columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    );
    let references = self_references(tx, table, &columns).await?;
    let mut rows = Vec::new();
    for n in 1..=section.rows {
        let values: Vec<Json> = lines.next_json(&format!("row {n} of {} of table `{table}`", section.rows))?;
        let line = lines.number;
        let values = typed_row(&values, &columns).map_err(|message| BackupError::Invalid {
            line,
            message: format!("table `{table}`, row {n}: {message}"),
        })?;
        if references.is_empty() {
            insert_row(tx, &insert, table, n, line, &values).await?;
        } else {
            rows.push((n, line, values));
        }
    }
    for i in parents_first(table, &rows, &references)? {
        let (n, line, values) = &rows[i];
        insert_row(tx, &insert, table, *n, *line, values).await?;
    }
    Ok(section.rows)
}

async fn insert_row(
    tx: &mut Tx,
    sql: &str,
    table: &str,
    row: u64,
    line: u64,
    values: &[Value],
) -> Result<(), BackupError> {
    tx.execute(sql, values).await.map_err(|source| BackupError::Insert { table: table.into(), row, line, source })?;
    Ok(())
}

/// A row's JSON values as typed parameters, each checked against its column.
fn typed_row(values: &[Json], columns: &[Column]) -> Result<Vec<Value>, String> {
    if values.len() != columns.len() {
        return Err(format!("{} values for {} columns", values.len(), columns.len()));
    }
    values
        .iter()
        .zip(columns)
        .map(|(v, c)| {
            let typed = match (c.ty, v) {
                (ColumnType::Integer, Json::Null) => Some(Value::Int(None)),
                (ColumnType::Integer, Json::Number(n)) => n.as_i64().map(|i| Value::Int(Some(i))),
                (ColumnType::Real, Json::Null) => Some(Value::Real(None)),
                (ColumnType::Real, Json::Number(n)) => n.as_f64().map(|f| Value::Real(Some(f))),
                (ColumnType::Text, Json::Null) => Some(Value::Text(None)),
                (ColumnType::Text, Json::String(s)) => Some(Value::Text(Some(s.clone()))),
                _ => None,
            };
            typed.ok_or_else(|| {
                let shown: String = v.to_string().chars().take(60).collect();
                format!("column `{}`: expected {}, found {shown}", c.name, c.ty.name())
            })
        })
        .collect()
}

fn to_json(v: &Value) -> Option<Json> {
    Some(match v {
        Value::Int(Some(i)) => Json::from(*i),
        Value::Real(Some(f)) => Json::Number(serde_json::Number::from_f64(*f)?),
        Value::Text(Some(s)) => Json::from(s.as_str()),
        Value::Int(None) | Value::Real(None) | Value::Text(None) => Json::Null,
    })
}

/// A foreign key from a table to itself, as positions in the restored columns.
struct SelfReference {
    from: Vec<usize>,
    to: Vec<usize>,
    label: String,
}

/// The order in which to insert buffered rows so that every row a row references
/// through a self-reference comes before it. A row referencing a row the table
/// lacks is left for the database to refuse, naming it.
fn parents_first(
    table: &str,
    rows: &[(u64, u64, Vec<Value>)],
    references: &[SelfReference],
) -> Result<Vec<usize>, BackupError> {
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for reference in references {
        let by_key: HashMap<String, usize> =
            rows.iter().enumerate().filter_map(|(i, r)| Some((key(&r.2, &reference.to)?, i))).collect();
        for (i, r) in rows.iter().enumerate() {
            if let Some(&p) = key(&r.2, &reference.from).and_then(|k| by_key.get(&k)) {
                if p != i {
                    parents[i].push(p);
                }
            }
        }
    }
    // Depth-first, iteratively: chains can be as long as the table.
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; rows.len()];
    let mut order = Vec::with_capacity(rows.len());
    for start in 0..rows.len() {
        if state[start] != NEW {
            continue;
        }
        state[start] = OPEN;
        let mut stack = vec![(start, 0usize)];
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&parent) = parents[node].get(top.1) {
                top.1 += 1;
                match state[parent] {
                    NEW => {
                        state[parent] = OPEN;
                        stack.push((parent, 0));
                    }
                    OPEN => {
                        let labels = references.iter().map(|r| r.label.as_str()).collect::<Vec<_>>().join(", ");
                        return Err(BackupError::Invalid {
                            line: rows[parent].1,
                            message: format!(
                                "table `{table}`, row {}: rows reference each other in a cycle through {labels}, \
                                 which cannot be inserted parents first",
                                rows[parent].0
                            ),
                        });
                    }
                    _ => {}
                }
            } else {
                state[node] = DONE;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}

/// The values at `positions` as one comparable key, or `None` if any is null (a
/// foreign key with a null column references nothing).
fn key(values: &[Value], positions: &[usize]) -> Option<String> {
    let mut parts = Vec::with_capacity(positions.len());
    for &p in positions {
        parts.push(match values.get(p)? {
            Value::Int(Some(i)) => format!("i{i}"),
            Value::Real(Some(f)) => format!("r{f:?}"),
            Value::Text(Some(s)) => format!("t{s}"),
            _ => return None,
        });
    }
    Some(parts.join("\u{1f}"))
}

/// The schema version the database was migrated to.
async fn schema_version(tx: &mut Tx) -> Result<i64, StorageError> {
    let row = tx.fetch_optional("SELECT MAX(version) AS v FROM _sqlx_migrations WHERE success", &[]).await?;
    Ok(row.map(|r| r.opt_i64("v")).transpose()?.flatten().unwrap_or(0))
}

/// A table's columns in their declared order, as the database describes them.
async fn columns(tx: &mut Tx, table: &str) -> Result<Vec<Column>, BackupError> {
    let (sql, parse): (&str, fn(&str) -> Option<ColumnType>) = match tx.backend() {
        Backend::Sqlite => {
            ("SELECT name, type AS column_type FROM pragma_table_info($1) ORDER BY cid", ColumnType::from_sqlite)
        }
        Backend::Postgres => (
            "SELECT column_name::text AS name, data_type::text AS column_type FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            ColumnType::from_postgres,
        ),
    };
    let rows = tx.fetch_all(sql, &params![table]).await?;
    if rows.is_empty() {
        return Err(schema_error(table, "the database has no such table (is it migrated?)".into()));
    }
    rows.iter()
        .map(|r| {
            let (name, declared) = (r.str("name")?, r.opt_str("column_type")?.unwrap_or_default());
            let ty = parse(&declared).ok_or_else(|| {
                schema_error(table, format!("column `{name}` is of type `{declared}`, which backups do not support"))
            })?;
            Ok(Column { name, ty })
        })
        .collect()
}

/// The table's foreign keys to itself, mapped onto `columns` (the restored order).
async fn self_references(tx: &mut Tx, table: &str, columns: &[Column]) -> Result<Vec<SelfReference>, BackupError> {
    let sql = match tx.backend() {
        // `to` is null when the key references the primary key implicitly.
        Backend::Sqlite => {
            "SELECT f.id AS id, f.\"from\" AS from_col, COALESCE(f.\"to\", p.name) AS to_col \
             FROM pragma_foreign_key_list($1) AS f \
             LEFT JOIN pragma_table_info($1) AS p ON f.\"to\" IS NULL AND p.pk = f.seq + 1 \
             WHERE lower(f.\"table\") = lower($1) ORDER BY f.id, f.seq"
        }
        Backend::Postgres => {
            "SELECT c.conname::text AS id, a.attname::text AS from_col, af.attname::text AS to_col \
             FROM pg_constraint c \
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(from_num, to_num, seq) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.from_num \
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.to_num \
             WHERE c.contype = 'f' AND c.conrelid = c.confrelid AND c.conrelid = to_regclass($1) \
             ORDER BY c.conname, k.seq"
        }
    };
    let position = |name: &str| {
        columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| schema_error(table, format!("a foreign key names column `{name}`, which the table lacks")))
    };
    let mut out: Vec<(String, SelfReference)> = Vec::new();
    for row in tx.fetch_all(sql, &params![table]).await? {
        let (id, from, to) = (row.str("id")?, row.str("from_col")?, row.str("to_col")?);
        let (from_at, to_at) = (position(&from)?, position(&to)?);
        match out.last_mut() {
            Some((last, reference)) if *last == id => {
                reference.from.push(from_at);
                reference.to.push(to_at);
                reference.label.push_str(&format!(", {from}"));
            }
            _ => out.push((id, SelfReference { from: vec![from_at], to: vec![to_at], label: format!("`{from}`") })),
        }
    }
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

fn schema_error(table: &str, message: String) -> BackupError {
    BackupError::Schema { table: table.into(), message }
}

/// An identifier quoted for both backends.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes JSON lines, hashing every byte written.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    fn line<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BackupError> {
        let mut bytes = serde_json::to_vec(value).map_err(std::io::Error::from)?;
        bytes.push(b'\n');
        self.hasher.update(&bytes);
        self.inner.write_all(&bytes)?;
        Ok(())
    }
}

/// Reads JSON lines, counting them and hashing every line before the current one.
struct Lines<R> {
    input: R,
    number: u64,
    current: String,
    hasher: Sha256,
}

impl<R: BufRead> Lines<R> {
    /// Moves to the next line; `false` at the end of the file.
    fn next_line(&mut self) -> Result<bool, BackupError> {
        self.hasher.update(self.current.as_bytes());
        self.current.clear();
        let read = self.input.read_line(&mut self.current).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => {
                BackupError::Invalid { line: self.number + 1, message: "the line is not UTF-8 text".into() }
            }
            _ => BackupError::Io(e),
        })?;
        if read == 0 {
            return Ok(false);
        }
        self.number += 1;
        Ok(true)
    }

    /// The next line parsed as `what`.
    fn next_json<T: serde::de::DeserializeOwned>(&mut self, what: &str) -> Result<T, BackupError> {
        if !self.next_line()? {
            return Err(BackupError::Invalid {
                line: self.number + 1,
                message: format!("the file ends early (truncated?): expected {what}"),
            });
        }
        serde_json::from_str(self.current.trim_end_matches(['\n', '\r']))
            .map_err(|e| BackupError::Invalid { line: self.number, message: format!("expected {what}: {e}") })
    }
}
