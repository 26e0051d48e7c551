//! Users, roles, sessions and tokens, for administrators; `me` for everyone; the
//! audit trail, browsed and exported as CSV.

use super::body::JsonBody;
use crate::auth::{csrf_header, Auth};
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, parse_query};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tripart_domain::access::{authorize, Actor, Grant, Operation, Role};
use tripart_storage::accounts::{self, GrantView, User};
use tripart_storage::audit::{self, AuditEvent, AuditFilter};
use utoipa::{IntoParams, ToSchema};

/// Who the request acts as.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// false for the public.
    pub signed_in: bool,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub grants: Vec<GrantView>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(auth: Auth) -> Json<Me> {
    match &auth.actor {
        Actor::User(p, _) => Json(Me {
            signed_in: true,
            user_id: Some(p.user_id.clone()),
            email: Some(p.email.clone()),
            grants: p.grants.iter().map(GrantView::from).collect(),
        }),
        _ => Json(Me { signed_in: false, user_id: None, email: None, grants: vec![] }),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrantInput {
    /// admin, body_secretariat, focal_point, validator or social_partner.
    pub role: String,
    /// The body, for a body secretariat or a validator.
    pub body: Option<String>,
    /// The member state (ISO alpha-3), for a focal point.
    pub member_state: Option<String>,
    /// The organisation (a partner id of kind employers, workers or civil_society), for a social partner.
    #[serde(default)]
    pub partner: Option<String>,
}

impl GrantInput {
    /// The grant, its scope checked against its role; shared with the user pages.
    pub(crate) fn parse(&self) -> Result<Grant, ApiError> {
        let role = Role::parse(&self.role).map_err(|e| ApiError::bad("role", e.0))?;
        let body = params::slug("body", &self.body)?;
        let member_state = params::member_state("member_state", &self.member_state)?;
        let partner = params::slug("partner", &self.partner)?;
        Grant::scoped(role, body, member_state, partner).map_err(|e| ApiError::bad("role", e.0))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    /// At least 12 characters.
    pub password: String,
    #[serde(default)]
    pub grants: Vec<GrantInput>,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<User>,
    pub total: i64,
    pub next: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn users(State(s): State<AppState>, auth: Auth) -> Result<Json<UserList>, ApiError> {
    let actor = auth.require_user()?;
    let items = accounts::users(&s.db, actor).await?;
    Ok(Json(UserList { total: items.len() as i64, items, next: None }))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    JsonBody(input): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let grants = input.grants.iter().map(GrantInput::parse).collect::<Result<Vec<_>, _>>()?;
    let user = accounts::create_user(&s.db, actor, &input.email, &input.display_name, &input.password, &grants).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "accounts", request_body = GrantInput,
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_grant(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<GrantInput>,
) -> Result<Json<User>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    Ok(Json(accounts::add_grant(&s.db, actor, &id, &input.parse()?).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", request_body = NewPassword,
    params(("id" = String, Path, description = "User id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<NewPassword>,
) -> Result<StatusCode, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    accounts::reset_password(&s.db, actor, &id, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Revoked {
    pub sessions_revoked: u64,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/revoke-sessions", tag = "accounts",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = Revoked), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn revoke_sessions(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Revoked>, ApiError> {
    auth.check_csrf(csrf_header(&headers))?;
    let actor = auth.require_user()?;
    let id = params::slug("id", &Some(id))?.unwrap_or_default();
    Ok(Json(Revoked { sessions_revoked: accounts::revoke_sessions(&s.db, actor, &id).await? }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// action, meeting, user, …
    record_type: Option<String>,
    record_id: Option<String>,
    /// The actor's e-mail, "system" or "command line".
    actor: Option<String>,
    /// create, update, retire, unretire, sign_in, …
    operation: Option<String>,
    /// Events on or after this date (YYYY-MM-DD).
    from: Option<String>,
    /// Events before this date (YYYY-MM-DD).
    to: Option<String>,
    /// json (default) or csv.
    format: Option<String>,
    /// Page size, 1 to 500 (default 50); CSV exports everything that matches.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    offset: Option<String>,
}

impl AuditQuery {
    pub fn paging(&self) -> Result<tripart_storage::read::Paging, ApiError> {
        params::paging(&self.limit, &self.offset)
    }
    pub fn filter(&self) -> Result<AuditFilter, ApiError> {
        Ok(AuditFilter {
            record_type: params::slug("record_type", &self.record_type)?,
            record_id: params::slug("record_id", &self.record_id)?,
            actor: params::text("actor", &self.actor)?,
            operation: params::slug("operation", &self.operation)?,
            from: params::date("from", &self.from)?,
            to: params::date("to", &self.to)?,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEvent>,
    pub total: i64,
    pub next: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn audit_trail(State(s): State<AppState>, auth: Auth, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q: AuditQuery = parse_query(raw.as_deref())?;
    let actor = auth.require_user()?;
    authorize(actor, &Operation::ReadAudit).map_err(|d| ApiError::Forbidden(d.0))?;
    let filter = q.filter()?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::bad("format", "json or csv")),
    };
    if csv {
        let all = audit::events(&s.db, &filter, tripart_storage::read::Paging { limit: 1_000_000, offset: 0 }).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"tripart-audit.csv\""),
            ],
            audit_csv(&all.items),
        )
            .into_response());
    }
    let paging = q.paging()?;
    let slice = audit::events(&s.db, &filter, paging).await?;
    let next = super::lists::next_link("/api/v1/audit", raw.as_deref(), paging, slice.total);
    Ok(Json(AuditList { items: slice.items, total: slice.total, next }).into_response())
}

/// RFC 4180 CSV, with formula-looking cells defused for spreadsheet users.
fn audit_csv(events: &[AuditEvent]) -> String {
    fn cell(v: &str) -> String {
        let v = if v.starts_with(['=', '+', '-', '@']) { format!("'{v}") } else { v.to_string() };
        if v.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v
        }
    }
    let mut out = String::from("id,at,actor,channel,operation,record_type,record_id,before,after,note\r\n");
    for e in events {
        let fields = [
            e.id.clone(),
            e.at.clone(),
            e.actor_label.clone(),
            e.channel.clone(),
            e.operation.clone(),
            e.record_type.clone(),
            e.record_id.clone(),
            e.before.as_ref().map(|j| j.to_string()).unwrap_or_default(),
            e.after.as_ref().map(|j| j.to_string()).unwrap_or_default(),
            e.note.clone().unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
