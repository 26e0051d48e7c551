//! One error type for the API: each variant maps to a status code and a uniform
//! JSON body; the whole chain of a server error is logged, never shown.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tripart_storage::accounts::AccountError;
use tripart_storage::edit::EditError;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter, path segment or body field is wrong.
    #[error("parameter `{parameter}`: {message}")]
    BadParameter { parameter: String, message: String },
    #[error("{0}")]
    NotFound(String),
    /// No credentials, or credentials that are not (or no longer) valid.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    /// An edit from a stale version: `current` holds the newer values.
    #[error("{message}")]
    Conflict { message: String, current: Option<serde_json::Value> },
    #[error("too many failed sign-ins; try again in {0} seconds")]
    TooManyRequests(u64),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// Submitted data with problems: every one, by line and field; nothing was stored.
    #[error("{} problem(s) in the data; nothing was stored", .0.len())]
    Rejected(Vec<tripart_stats::Problem>),
    #[error("internal error")]
    Internal(#[from] tripart_storage::StorageError),
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A message for people.
    pub error: String,
    /// The parameter or field at fault, for 400 responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// For 409 responses: the record as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
    /// For 422 responses: each problem of the submitted data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemBody>>,
}

/// One bad field of submitted data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    /// The file's line (the header is line 1) or the sheet's row.
    pub line: usize,
    pub field: String,
    pub reason: String,
}

impl ApiError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::BadParameter { parameter: parameter.to_string(), message: message.into() }
    }
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<tripart_storage::stats::DataError> for ApiError {
    fn from(e: tripart_storage::stats::DataError) -> Self {
        match e {
            tripart_storage::stats::DataError::Rejected(p) => ApiError::Rejected(p),
            tripart_storage::stats::DataError::Edit(e) => e.into(),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Denied(m) => ApiError::Forbidden(m),
            AccountError::Invalid { field, message } => ApiError::BadParameter { parameter: field, message },
            AccountError::NotFound(m) => ApiError::NotFound(m),
            AccountError::Conflict(m) => ApiError::Conflict { message: m, current: None },
            AccountError::Storage(s) => ApiError::Internal(s),
        }
    }
}

impl From<EditError> for ApiError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::NotFound(m) => ApiError::NotFound(m),
            EditError::Denied(m) => ApiError::Forbidden(m),
            EditError::Conflict { version, current } => ApiError::Conflict {
                message: format!(
                    "the record was changed by someone else (now at version {version}); reload and edit again"
                ),
                current: Some(current),
            },
            EditError::Invalid { field, message } => ApiError::BadParameter { parameter: field, message },
            EditError::Storage(s) => ApiError::Internal(s),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = %e, "request failed");
        }
        let status = self.status();
        let retry = match &self {
            ApiError::TooManyRequests(s) => Some(s.to_string()),
            _ => None,
        };
        let (parameter, current) = match self {
            ApiError::BadParameter { ref parameter, .. } => (Some(parameter.clone()), None),
            ApiError::Conflict { ref current, .. } => (None, current.clone()),
            _ => (None, None),
        };
        let problems = match &self {
            ApiError::Rejected(p) => Some(
                p.iter()
                    .map(|p| ProblemBody { line: p.line, field: p.field.clone(), reason: p.reason.clone() })
                    .collect(),
            ),
            _ => None,
        };
        let body = ErrorBody { error: self.to_string(), parameter, current, problems };
        let mut response = (status, Json(body)).into_response();
        if let Some(r) = retry.and_then(|r| r.parse().ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, r);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
