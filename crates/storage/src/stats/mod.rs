//! Labour-market and OSH data (issue 5): imports that are all or nothing and keep every
//! revision (`import`), the validation workflow and published vintages (`workflow`), and the
//! reads the API, the pages and the reports share, the ASEAN figure included (`query`). What a
//! code or a rule means is `tripart_stats`'s business; this module keeps the data.

pub mod import;
pub mod query;
pub mod workflow;

use crate::edit::EditError;
use crate::{Db, Row, StorageError};
use tripart_stats::obs::{period_at, period_index, Key, PERIOD_SLOTS};
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

/// An observation's number (the API's `observation_id`): its series and period in one
/// integer, so that no column need hold it and every revision row knows it.
pub fn observation_id(series: i64, time: &str) -> Result<i64, StorageError> {
    let period = period_index(time).ok_or_else(|| StorageError::Corrupt(format!("stored period `{time}`")))?;
    Ok(series * PERIOD_SLOTS + period)
}

/// The series and period an observation number names; None for a number no observation can
/// have.
pub fn observation_of(id: i64) -> Option<(i64, String)> {
    (id >= 0).then_some(())?;
    Some((id / PERIOD_SLOTS, period_at(id % PERIOD_SLOTS)?))
}

/// A condition selecting the observations numbered `ids` among the rows of `table` (an alias
/// with `series` and `time` columns). The pairs are written into the statement: a series is
/// an integer and a period as `period_at` writes it holds only digits, `Q` and `M`, and a
/// page may tick more values than a statement takes parameters.
fn observations_filter(table: &str, ids: &[i64]) -> String {
    let pairs: Vec<String> =
        ids.iter().filter_map(|&id| observation_of(id)).map(|(series, time)| format!("({series}, '{time}')")).collect();
    if pairs.is_empty() {
        return "1 = 0".into();
    }
    format!("({table}.series, {table}.time) IN (VALUES {})", pairs.join(", "))
}
