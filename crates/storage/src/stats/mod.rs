//! Labour-market and OSH data (issue 5): imports that are all or nothing and keep every
//! revision (`import`), the validation workflow and published vintages (`workflow`), and the
//! reads the API, the pages and the reports share, the ASEAN figure included (`query`). What a
//! code or a rule means is `tripart_stats`'s business; this module keeps the data.

pub mod import;
pub mod query;
pub mod workflow;

use crate::edit::EditError;
use crate::{Db, StorageError, Tx, Value};
use tripart_stats::Problem;

/// Why data were not taken.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file or form has problems; nothing was stored.
    #[error("{} problem(s); nothing was stored", .0.len())]
    Rejected(Vec<Problem>),
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl From<StorageError> for DataError {
    fn from(e: StorageError) -> Self {
        DataError::Edit(EditError::Storage(e))
    }
}

/// The member states, in the catalogue's order.
pub async fn member_states(db: &Db) -> Result<Vec<String>, StorageError> {
    let rows = db.fetch_all("SELECT code FROM member_state ORDER BY code", &[]).await?;
    rows.iter().map(|r| r.str("code")).collect()
}

/// Inserts rows in multi-row statements: one round trip per few hundred rows instead of one
/// per row, which is what makes a million-row import take seconds.
pub(crate) async fn insert_many(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), StorageError> {
    // Both backends allow at least 32,766 parameters per statement.
    let per = (30_000 / columns.len()).clamp(1, 1000);
    // SQLite finds a numbered parameter's name by a linear search, and sqlx asks for every
    // parameter's name: with thousands of `$n` per statement that is quadratic (it was 85% of
    // an import's time). Anonymous `?` parameters are bound by position without the search.
    let numbered = tx.backend() == crate::Backend::Postgres;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut params = Vec::with_capacity(chunk.len() * columns.len());
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for j in 0..columns.len() {
                if j > 0 {
                    sql.push(',');
                }
                if numbered {
                    sql.push_str(&format!("${}", params.len() + j + 1));
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
            params.extend(row);
        }
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}
