//! Excel workbooks and CSV files from a small, generic table model.
//!
//! The caller describes tables ([`Workbook`], [`Sheet`], [`Column`], [`Cell`]) with labels
//! already translated; this crate only lays them out. It knows nothing of Tripart's domain
//! and does no I/O: [`to_xlsx`] and [`to_csv`] return the bytes or text to send.
//!
//! Both writers treat text as data, never as a formula: in xlsx every text cell is written as
//! a string cell; in CSV, text that a spreadsheet would read as a formula (it starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with a single quote.

mod csv;
mod names;
mod xlsx;

pub use crate::csv::to_csv;
pub use crate::xlsx::to_xlsx;

/// Sheets in the order they appear.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

/// One table with its header row, and optionally a title and a note above it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The tab's name. Excel allows at most 31 characters and none of `[ ] : * ? / \`;
    /// a name that breaks these rules, or repeats another, is adjusted rather than refused.
    pub name: String,
    /// A bold title row above the table.
    pub title: Option<String>,
    /// A line under the title, e.g. "Demonstration data — not official figures".
    pub note: Option<String>,
    pub columns: Vec<Column>,
    /// Cells beyond the last column are ignored; missing cells are empty.
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    pub header: String,
    /// Width in Excel character units; computed from the content when `None`.
    pub width: Option<f64>,
    /// Restricts the data cells of this column to a drop-down list.
    pub choices: Option<Vec<String>>,
    /// Key columns: when a sheet has any locked column, the sheet is protected (without a
    /// password) and only its other columns can be edited.
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Non-finite numbers are written as empty cells.
    Number(f64),
    Integer(i64),
    /// ISO `YYYY-MM-DD`, written as an Excel date with a date format; text that is not such a
    /// date is written as text.
    Date(String),
    /// A hyperlink in xlsx; in CSV, its text (or the URL when the text is empty).
    Link {
        url: String,
        text: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SheetsError {
    /// Excel limits that cannot be worked around, such as more than 1,048,576 rows.
    #[error("writing sheet `{sheet}` failed: {source}")]
    Xlsx {
        sheet: String,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("assembling the workbook failed: {0}")]
    Workbook(#[source] rust_xlsxwriter::XlsxError),
}

/// Whether a spreadsheet would take this text for a formula (CSV injection).
fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
