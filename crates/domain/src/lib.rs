//! Tripart's domain: the identifiers, vocabularies and small rules shared by every
//! other crate. Outside input becomes one of these types at the edge; inner code
//! never handles a raw string that could be wrong. No I/O lives here.

pub mod access;
pub mod calendar;
pub mod date;
pub mod followup;
pub mod ids;
pub mod monitoring;
pub mod time;
pub mod vocab;

pub use calendar::Calendar;
pub use date::IsoDate;
pub use ids::{MemberStateCode, Slug};

/// Why a piece of outside text could not become a domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);
