//! JSON request bodies: parsed into typed structs that refuse unknown fields, with
//! every problem a uniform JSON error (400 naming the field, 413 when too large).

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// The largest JSON body with uploaded files in it (five files of 8 MiB, base64).
pub const MAX_UPLOAD_BYTES: usize = 56 * 1024 * 1024;

pub struct JsonBody<T>(pub T);

/// A JSON body that may carry files: the same rules, a larger limit. Its route
/// must also raise axum's `DefaultBodyLimit` to `MAX_UPLOAD_BYTES`.
pub struct UploadBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        parse_json(req, state, MAX_JSON_BYTES).await.map(JsonBody)
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for UploadBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        parse_json(req, state, MAX_UPLOAD_BYTES).await.map(UploadBody)
    }
}

async fn parse_json<T: DeserializeOwned>(req: Request, state: &AppState, max: usize) -> Result<T, ApiError> {
    let is_json = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(ApiError::bad("body", "send the body as application/json"));
    }
    let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| ApiError::PayloadTooLarge(max))?;
    if bytes.len() > max {
        return Err(ApiError::PayloadTooLarge(max));
    }
    // PostgreSQL cannot store a NUL character in text: refuse it here, named,
    // rather than fail in the database.
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return Err(ApiError::bad("body", "text may not contain the NUL character (\\u0000)"));
    }
    serde_json::from_slice::<T>(&bytes).map_err(|e| {
        let message = e.to_string();
        let field = message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_string();
        ApiError::bad(&field, message)
    })
}
