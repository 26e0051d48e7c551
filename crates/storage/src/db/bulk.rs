//! Bulk inserts ([`Tx::insert_columns`]): many rows given column by column, sent a statement
//! of many rows at a time, with every value moved into the statement rather than copied.
//!
//! A column whose values are all the same within a statement (the submission a revision
//! belongs to, the source of a country's file, a note repeated on every row, a column left
//! empty) is bound once for the statement rather than once per row. Binding is most of what a
//! bulk insert costs outside the database engine (SQLite copies every text it is given), and
//! in the files member states send, most columns repeat within a few thousand rows.

use super::{Tx, Value};
use crate::StorageError;
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments as _;

/// One column of a bulk insert ([`Tx::insert_columns`]): every row's value, in row order.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::Real(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    /// Two rows or more, all with the same value.
    fn is_constant(&self) -> bool {
        fn same<T: PartialEq>(v: &[T]) -> bool {
            v.len() > 1 && v.iter().all(|x| *x == v[0])
        }
        match self {
            Column::Int(v) => same(v),
            Column::Real(v) => same(v),
            Column::Text(v) => same(v),
        }
    }

    /// The first value, the one a constant column binds.
    fn into_first(self) -> Value {
        match self {
            Column::Int(v) => Value::Int(v.into_iter().next().flatten()),
            Column::Real(v) => Value::Real(v.into_iter().next().flatten()),
            Column::Text(v) => Value::Text(v.into_iter().next().flatten()),
        }
    }

    /// PostgreSQL's name of the column's type.
    fn pg_type(&self) -> &'static str {
        match self {
            Column::Int(_) => "BIGINT",
            Column::Real(_) => "DOUBLE PRECISION",
            Column::Text(_) => "TEXT",
        }
    }
}

/// A column's values handed out a statement's worth at a time.
enum Cells {
    Int(std::vec::IntoIter<Option<i64>>),
    Real(std::vec::IntoIter<Option<f64>>),
    Text(std::vec::IntoIter<Option<String>>),
}

impl From<Column> for Cells {
    fn from(c: Column) -> Self {
        match c {
            Column::Int(v) => Cells::Int(v.into_iter()),
            Column::Real(v) => Cells::Real(v.into_iter()),
            Column::Text(v) => Cells::Text(v.into_iter()),
        }
    }
}

impl Cells {
    fn take(&mut self, n: usize) -> Column {
        match self {
            Cells::Int(i) => Column::Int(i.by_ref().take(n).collect()),
            Cells::Real(i) => Column::Real(i.by_ref().take(n).collect()),
            Cells::Text(i) => Column::Text(i.by_ref().take(n).collect()),
        }
    }

    /// Adds the next value to a SQLite statement's arguments.
    fn add_next(&mut self, args: &mut SqliteArguments<'static>) -> Result<(), StorageError> {
        let added = match self {
            Cells::Int(i) => args.add(i.next().flatten()),
            Cells::Real(i) => args.add(i.next().flatten()),
            Cells::Text(i) => args.add(i.next().flatten()),
        };
        added.map_err(bind_error)
    }
}

fn bind_error(e: sqlx::error::BoxDynError) -> StorageError {
    StorageError::Corrupt(format!("a value could not be bound: {e}"))
}

/// One statement's rows, split into the columns that vary from row to row and those with one
/// value for all; each keeps its column name.
struct Chunk<'n> {
    rows: usize,
    varying: Vec<(&'n str, Column)>,
    constant: Vec<(&'n str, Value)>,
}

impl<'n> Chunk<'n> {
    /// The next `rows` rows of every column.
    fn take(names: &[&'n str], cells: &mut [Cells], rows: usize) -> Chunk<'n> {
        let mut chunk = Chunk { rows, varying: Vec::new(), constant: Vec::new() };
        for (name, cells) in names.iter().zip(cells) {
            let column = cells.take(rows);
            if column.is_constant() {
                chunk.constant.push((name, column.into_first()));
            } else {
                chunk.varying.push((name, column));
            }
        }
        // A statement needs one column of rows to say how many rows it inserts.
        if chunk.varying.is_empty() {
            let (name, value) = chunk.constant.remove(0);
            let column = match value {
                Value::Int(v) => Column::Int(vec![v; rows]),
                Value::Real(v) => Column::Real(vec![v; rows]),
                Value::Text(v) => Column::Text(vec![v; rows]),
            };
            chunk.varying.push((name, column));
        }
        chunk
    }

    /// The target columns: the varying ones, then the constant ones.
    fn column_list(&self) -> String {
        let names: Vec<&str> =
            self.varying.iter().map(|(n, _)| *n).chain(self.constant.iter().map(|(n, _)| *n)).collect();
        names.join(", ")
    }

    /// The SQLite statement and its arguments. The varying values come as rows of anonymous
    /// parameters; constants follow as numbered ones after them, which sqlx's SQLite binding
    /// (anonymous parameters counted in order, numbered ones by their number) and SQLite's
    /// numbering (an anonymous parameter is one past the largest number before it) agree on
    /// only when the numbered ones come last in the text.
    fn into_sqlite(self, table: &str) -> Result<(String, SqliteArguments<'static>), StorageError> {
        let row = format!("({})", vec!["?"; self.varying.len()].join(","));
        let values = vec![row.as_str(); self.rows].join(",");
        let sql = if self.constant.is_empty() {
            format!("INSERT INTO {table} ({}) VALUES {values}", self.column_list())
        } else {
            let anonymous = self.rows * self.varying.len();
            let varying: Vec<&str> = self.varying.iter().map(|(n, _)| *n).collect();
            let constants: Vec<String> = (1..=self.constant.len()).map(|i| format!("?{}", anonymous + i)).collect();
            format!(
                "WITH v ({names}) AS (VALUES {values}) INSERT INTO {table} ({}) SELECT {names}, {} FROM v",
                self.column_list(),
                constants.join(", "),
                names = varying.join(", "),
            )
        };
        let mut args = SqliteArguments::default();
        let mut cells: Vec<Cells> = self.varying.into_iter().map(|(_, c)| c.into()).collect();
        for _ in 0..self.rows {
            for c in cells.iter_mut() {
                c.add_next(&mut args)?;
            }
        }
        for (_, value) in self.constant {
            match value {
                Value::Int(v) => args.add(v),
                Value::Real(v) => args.add(v),
                Value::Text(v) => args.add(v),
            }
            .map_err(bind_error)?;
        }
        Ok((sql, args))
    }

    /// The PostgreSQL statement: each varying column as one array parameter (`UNNEST`), each
    /// constant as one value.
    async fn run_postgres(
        self,
        table: &str,
        tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    ) -> Result<u64, StorageError> {
        let arrays: Vec<String> =
            self.varying.iter().enumerate().map(|(i, (_, c))| format!("${}::{}[]", i + 1, c.pg_type())).collect();
        let constants: Vec<String> = self
            .constant
            .iter()
            .enumerate()
            .map(|(i, (_, v))| {
                let ty = match v {
                    Value::Int(_) => "BIGINT",
                    Value::Real(_) => "DOUBLE PRECISION",
                    Value::Text(_) => "TEXT",
                };
                format!(", ${}::{ty}", arrays.len() + i + 1)
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT *{} FROM UNNEST({})",
            self.column_list(),
            constants.concat(),
            arrays.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (_, c) in self.varying {
            q = match c {
                Column::Int(v) => q.bind(v),
                Column::Real(v) => q.bind(v),
                Column::Text(v) => q.bind(v),
            };
        }
        for (_, v) in self.constant {
            q = match v {
                Value::Int(v) => q.bind(v),
                Value::Real(v) => q.bind(v),
                Value::Text(v) => q.bind(v),
            };
        }
        Ok(q.execute(&mut **tx).await?.rows_affected())
    }
}

impl Tx {
    /// Inserts many rows given column by column. PostgreSQL receives each column as one array
    /// parameter (`INSERT … SELECT * FROM UNNEST($1, $2, …)`), 50,000 rows per statement
    /// whatever the number of columns. SQLite, which has no arrays, receives up to a thousand
    /// rows of parameters per statement, and the next statement is prepared while SQLite runs
    /// the current one. Constant columns are bound once per statement (see the module).
    pub async fn insert_columns(
        &mut self,
        table: &str,
        names: &[&str],
        columns: Vec<Column>,
    ) -> Result<u64, StorageError> {
        let rows = columns.first().map_or(0, Column::len);
        if names.len() != columns.len() || columns.iter().any(|c| c.len() != rows) {
            return Err(StorageError::Corrupt(format!("insert into {table}: columns of unequal length")));
        }
        let mut cells: Vec<Cells> = columns.into_iter().map(Cells::from).collect();
        let mut inserted = 0;
        let mut done = 0;
        match self {
            Tx::Postgres(tx) => {
                const PER: usize = 50_000;
                while done < rows {
                    let n = PER.min(rows - done);
                    inserted += Chunk::take(names, &mut cells, n).run_postgres(table, tx).await?;
                    done += n;
                }
            }
            Tx::Sqlite(tx) => {
                // SQLite allows 32,766 parameters per statement; more rows per statement than
                // a thousand gain nothing.
                let per = (30_000 / names.len().max(1)).clamp(1, 1000);
                let mut prepared = if rows > 0 {
                    Some(Chunk::take(names, &mut cells, per.min(rows)).into_sqlite(table)?)
                } else {
                    None
                };
                while let Some((sql, args)) = prepared.take() {
                    let n = per.min(rows - done);
                    let next = per.min(rows - done - n);
                    // SQLite runs a statement on sqlx's worker thread: the next statement is
                    // prepared here meanwhile (`biased` sends this one first).
                    let (result, following) = tokio::join!(
                        biased;
                        sqlx::query_with(&sql, args).execute(&mut **tx),
                        async { (next > 0).then(|| Chunk::take(names, &mut cells, next).into_sqlite(table)) },
                    );
                    inserted += result?.rows_affected();
                    done += n;
                    prepared = following.transpose()?;
                }
            }
        }
        Ok(inserted)
    }
}
