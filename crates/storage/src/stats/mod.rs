//! Labour-market and OSH data (issue 5): imports that are all or nothing and keep every
//! revision (`import`), the validation workflow and published vintages (`workflow`), and the
//! reads the API, the pages and the reports share, the ASEAN figure included (`query`). What a
//! code or a rule means is `tripart_stats`'s business; this module keeps the data.

pub mod import;
pub mod query;
pub mod workflow;

use crate::edit::EditError;
use crate::{Db, Row, StorageError};
use tripart_stats::obs::Key;
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

/// The key of a row that holds the series' columns and the period (`time`).
fn row_key(r: &Row) -> Result<Key, StorageError> {
    Ok(Key {
        ref_area: r.str("ref_area")?,
        indicator: r.str("indicator")?,
        sex: r.str("sex")?,
        classif1: r.str("classif1")?,
        classif2: r.str("classif2")?,
        time: r.str("time")?,
    })
}
