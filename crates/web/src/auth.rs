//! Who is asking: a bearer token (machine clients, exactly their user's rights),
//! a session cookie (people, with a CSRF token for every change), or nobody (the
//! public). The policy itself lives in the domain crate; this module only finds
//! the actor.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{header, request::Parts, HeaderMap};
use std::net::SocketAddr;
use tripart_domain::access::{Actor, Channel};
use tripart_storage::accounts;

pub const SESSION_COOKIE: &str = "tripart_session";
/// The header API clients that use the session cookie send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token an API client sent, if any.
pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// The actor of a request, and what is needed to check its CSRF token.
pub struct Auth {
    pub actor: Actor,
    /// The session's CSRF token when the request is authenticated by cookie.
    pub session_csrf: Option<String>,
    /// The client's address, for throttling and the session record.
    pub address: String,
}

impl Auth {
    /// A change made with a session cookie must carry the session's CSRF token;
    /// bearer tokens are not sent by browsers on their own, so they need none.
    pub fn check_csrf(&self, provided: Option<&str>) -> Result<(), ApiError> {
        match &self.session_csrf {
            None => Ok(()),
            Some(expected) if provided.is_some_and(|p| constant_time_eq(p.as_bytes(), expected.as_bytes())) => Ok(()),
            Some(_) => Err(ApiError::Forbidden("missing or wrong CSRF token".into())),
        }
    }

    /// The actor, or a 401 for the public.
    pub fn require_user(&self) -> Result<&Actor, ApiError> {
        match self.actor {
            Actor::Public => Err(ApiError::Unauthenticated("sign in or send an API token".into())),
            _ => Ok(&self.actor),
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The client's address: the peer, or behind a TLS proxy the first forwarded one.
pub fn client_address(parts: &Parts, behind_proxy: bool) -> String {
    if behind_proxy {
        if let Some(f) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            if let Some(first) = f.split(',').next() {
                return first.trim().chars().take(64).collect();
            }
        }
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let address = client_address(parts, state.settings.behind_tls);
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.len() < 200)
                .ok_or_else(|| ApiError::Unauthenticated("Authorization must be `Bearer <token>`".into()))?;
            let principal = accounts::token_principal(&state.db, token)
                .await?
                .ok_or_else(|| ApiError::Unauthenticated("unknown or revoked API token".into()))?;
            return Ok(Auth { actor: Actor::User(principal, Channel::Api), session_csrf: None, address });
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| t.len() < 200) {
            if let Some((principal, csrf)) = accounts::session(&state.db, &token).await? {
                return Ok(Auth { actor: Actor::User(principal, Channel::Web), session_csrf: Some(csrf), address });
            }
        }
        Ok(Auth { actor: Actor::Public, session_csrf: None, address })
    }
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        accounts::SESSION_SECONDS,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; tripart_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn secure_cookies_behind_tls() {
        assert!(session_cookie("t", true).contains("; Secure"));
        assert!(!session_cookie("t", false).contains("Secure"));
        assert!(session_cookie("t", false).contains("HttpOnly; SameSite=Lax"));
    }
}
