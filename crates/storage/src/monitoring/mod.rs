//! Monitoring the Work Programme (issue 4): progress updates on actions and their
//! evidence, meetings recorded as outputs, annual progress reports with their
//! workflow, the output-level checklist, mid-term and final reviews, and the
//! dashboards that read all of it. Every write is authorized by the domain policy
//! and audited in its own transaction, like the catalogue edits in `edit`.

pub mod checklists;
pub mod dashboard;
pub mod evidence;
pub mod meetings;
pub mod progress;
pub mod reports;
pub mod reviews;

use crate::edit::EditError;

/// A link to a document on the web, as given by a user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub label: String,
    pub url: String,
}

impl Link {
    /// Only web addresses: a `javascript:` or `file:` link in a report would be a trap.
    pub(crate) fn check(&self, field: &str) -> Result<(), EditError> {
        let url = self.url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.len() > 2000 || url.chars().any(char::is_whitespace) {
            return Err(invalid(field, "a link must be an http:// or https:// address without spaces"));
        }
        if self.label.trim().is_empty() || self.label.chars().count() > 300 {
            return Err(invalid(field, "a link needs a label of at most 300 characters"));
        }
        Ok(())
    }
}

pub(crate) fn invalid(field: &str, message: impl Into<String>) -> EditError {
    EditError::Invalid { field: field.into(), message: message.into() }
}

/// Rejects text longer than `max` characters.
pub(crate) fn check_length(field: &str, value: Option<&str>, max: usize) -> Result<(), EditError> {
    match value {
        Some(v) if v.chars().count() > max => Err(invalid(field, format!("at most {max} characters"))),
        _ => Ok(()),
    }
}

/// A date the user typed, checked as `YYYY-MM-DD`.
pub(crate) fn check_date(field: &str, value: &str) -> Result<String, EditError> {
    tripart_domain::IsoDate::parse(value).map(|d| d.to_string()).map_err(|e| invalid(field, e.0))
}
