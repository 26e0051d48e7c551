//! JSON request bodies: parsed into typed structs that refuse unknown fields, with
//! every problem a uniform JSON error (400 naming the field, 413 when too large).

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::bad("body", "send the body as application/json"));
        }
        let bytes =
            axum::body::Bytes::from_request(req, state).await.map_err(|_| ApiError::PayloadTooLarge(MAX_JSON_BYTES))?;
        if bytes.len() > MAX_JSON_BYTES {
            return Err(ApiError::PayloadTooLarge(MAX_JSON_BYTES));
        }
        serde_json::from_slice::<T>(&bytes).map(JsonBody).map_err(|e| {
            let message = e.to_string();
            let field = message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_string();
            ApiError::bad(&field, message)
        })
    }
}
