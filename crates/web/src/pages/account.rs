//! Signing in and out. Sessions live in the database; the cookie is HttpOnly,
//! SameSite=Lax and Secure behind TLS. The sign-in form carries its own CSRF
//! token (a cookie and a hidden field that must match), since there is no session
//! yet to tie it to.

use super::{render, Layout};
use crate::auth::{self, Auth};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tripart_storage::accounts::{self, SignInRefusal};

const LOGIN_CSRF_COOKIE: &str = "tripart_login_csrf";

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    csrf: String,
    email: String,
    /// A Fluent key for the error to show, if any.
    error: Option<&'static str>,
}

fn login_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_CSRF_COOKIE}={token}; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}

async fn form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    error: Option<&'static str>,
) -> Response {
    let layout = Layout::new(state, headers, "/sign-in").await;
    let csrf = accounts::random_secret();
    let mut response = render(&SignInPage { layout, csrf: csrf.clone(), email, error });
    *response.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&login_cookie(&csrf, state.settings.behind_tls)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn sign_in_form(State(s): State<AppState>, headers: HeaderMap) -> Response {
    form(&s, &headers, StatusCode::OK, String::new(), None).await
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    csrf: String,
}

pub async fn sign_in(State(s): State<AppState>, auth: Auth, headers: HeaderMap, Form(f): Form<SignInForm>) -> Response {
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::constant_time_eq(expected.as_bytes(), f.csrf.as_bytes()) {
        return form(&s, &headers, StatusCode::FORBIDDEN, f.email, Some("sign-in-expired")).await;
    }
    let email: String = f.email.chars().take(254).collect();
    let password: String = f.password.chars().take(1024).collect();
    match accounts::sign_in(&s.db, &email, &password, &auth.address).await {
        Ok(Ok(principal)) => {
            let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
            match accounts::create_session(&s.db, &principal, &auth.address, user_agent).await {
                Ok((token, _csrf)) => {
                    let mut response = Redirect::to("/").into_response();
                    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token, s.settings.behind_tls)) {
                        response.headers_mut().append(header::SET_COOKIE, v);
                    }
                    response
                }
                Err(e) => {
                    tracing::error!(error = %e, "creating a session failed");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Ok(Err(SignInRefusal::WrongCredentials)) => {
            form(&s, &headers, StatusCode::UNAUTHORIZED, email, Some("sign-in-wrong")).await
        }
        Ok(Err(SignInRefusal::Throttled(_))) => {
            form(&s, &headers, StatusCode::TOO_MANY_REQUESTS, email, Some("sign-in-throttled")).await
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

pub async fn sign_out(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Form(f): Form<SignOutForm>,
) -> Response {
    if auth.check_csrf(Some(&f.csrf)).is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(token) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        if let Err(e) = accounts::end_session(&s.db, &token).await {
            tracing::error!(error = %e, "sign-out failed");
        }
    }
    let mut response = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(s.settings.behind_tls)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
