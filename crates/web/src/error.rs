//! One error type for the API: each variant maps to a status code and a uniform
//! JSON body; the whole chain of a server error is logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("parameter `{parameter}`: {message}")]
    BadParameter { parameter: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("internal error")]
    Internal(#[from] tripart_storage::StorageError),
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A message for people.
    pub error: String,
    /// The query parameter at fault, for 400 responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

impl ApiError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::BadParameter { parameter: parameter.to_string(), message: message.into() }
    }
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = %e, "request failed");
        }
        let parameter = match &self {
            ApiError::BadParameter { parameter, .. } => Some(parameter.clone()),
            _ => None,
        };
        (self.status(), Json(ErrorBody { error: self.to_string(), parameter })).into_response()
    }
}
