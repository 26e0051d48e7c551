//! Administration pages: the users with their roles, and the audit trail. The
//! handlers find the actor, parse the form, call the storage layer and render;
//! who may do what is decided there (`accounts::*` authorize `ManageUsers`) and by
//! the domain policy (`ReadAudit`), never here. Every form that changes something
//! carries the session's CSRF token.

use super::actions::{body_choices, member_state_choices};
use super::{change_actor, failure, form_query, path_slug, refusal, render, Layout, Pager};
use crate::api::{AuditQuery, GrantInput};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::params::parse_query;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value as Json};
use tripart_domain::access::{authorize, Actor, Operation, Role};
use tripart_domain::followup::Voice;
use tripart_storage::accounts::{self, GrantView, User};
use tripart_storage::audit::{self, AuditEvent, AuditFilter};
use tripart_storage::read::{self, NamedRef};

const USERS: &str = "/admin/users";
const AUDIT: &str = "/admin/audit";

/// A posted form is a query string in the body: it goes through the same parser,
/// with an empty field meaning "not given", as in the filter forms.
fn parse_form<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    parse_query(form_query(Some(body)).as_deref())
}

// ---------------------------------------------------------------- users

/// What was wrong with the form just sent.
struct Problem {
    /// `create`, `grant` or `password`.
    form: &'static str,
    /// The user the form was about (empty for `create`).
    user: String,
    /// The field at fault, as the storage layer names it.
    field: String,
    message: String,
    status: StatusCode,
}

/// What was typed into the new-user form, shown again after a problem (never the
/// password).
#[derive(Default)]
struct Draft {
    email: String,
    display_name: String,
    role: String,
    body: String,
    member_state: String,
    partner: String,
}

/// The change a confirmation reports after the redirect.
struct Done {
    what: &'static str,
    email: String,
}

/// The changes a confirmation can report.
const DONE: [&str; 4] = ["created", "granted", "password", "revoked"];

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<User>,
    total: i64,
    roles: &'static [&'static str],
    bodies: Vec<NamedRef>,
    member_states: Vec<NamedRef>,
    /// The organisations a social partner may speak for.
    partners: Vec<NamedRef>,
    done: Option<Done>,
    problem: Option<Problem>,
    draft: Draft,
}

impl UsersPage {
    /// The attributes that mark a field as the one at fault.
    fn invalid(&self, form: &str, user: &str, field: &str) -> &'static str {
        match &self.problem {
            Some(p) if p.form == form && p.user == user && p.field == field => {
                " aria-invalid=\"true\" aria-describedby=\"problem\""
            }
            _ => "",
        }
    }
    /// Whether a user's forms are shown open: the one just sent had a problem.
    fn open(&self, user: &str) -> bool {
        self.problem.as_ref().is_some_and(|p| p.user == user)
    }
    fn selected(&self, current: &str, value: &str) -> &'static str {
        if current == value {
            " selected"
        } else {
            ""
        }
    }
    /// The body, member state or organisation a grant is scoped to, by name.
    fn scope(&self, g: &GrantView) -> Option<String> {
        let name = |list: &[NamedRef], id: &str| {
            list.iter().find(|r| r.id == id).map(|r| r.name.clone()).unwrap_or_else(|| id.to_string())
        };
        match (&g.body, &g.member_state, &g.partner) {
            (Some(b), _, _) => Some(name(&self.bodies, b)),
            (_, Some(m), _) => Some(name(&self.member_states, m)),
            (_, _, Some(p)) => Some(name(&self.partners, p)),
            _ => None,
        }
    }
    /// The label of the field at fault, as the form shows it.
    fn field_label(&self, p: &Problem) -> String {
        let key = match p.field.as_str() {
            "email" => "users-email",
            "display_name" => "users-display-name",
            "password" => "users-password",
            "role" => "users-role",
            "body" => "users-body",
            "member_state" => "users-member-state",
            "partner" => "users-partner",
            other => return other.to_string(),
        };
        self.layout.t.get(key)
    }
}

async fn users_page(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    done: Option<(&'static str, String)>,
    problem: Option<Problem>,
    draft: Draft,
) -> Response {
    let data = async {
        let users = accounts::users(&s.db, actor).await?;
        Ok::<_, ApiError>((users, body_choices(s).await?, member_state_choices(s).await?, partner_choices(s).await?))
    };
    match data.await {
        Ok((users, bodies, member_states, partners)) => {
            let done = done.and_then(|(what, id)| {
                users.iter().find(|u| u.id == id).map(|u| Done { what, email: u.email.clone() })
            });
            let status = problem.as_ref().map_or(StatusCode::OK, |p| p.status);
            let page = UsersPage {
                layout,
                total: users.len() as i64,
                users,
                roles: Role::names(),
                bodies,
                member_states,
                partners,
                done,
                problem,
                draft,
            };
            let mut response = render(&page);
            if response.status() == StatusCode::OK {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => failure(layout, e),
    }
}

/// The organisations a social partner may be granted: those whose kind speaks
/// with a voice of its own in the follow-up (employers, workers, civil society).
async fn partner_choices(s: &AppState) -> Result<Vec<NamedRef>, ApiError> {
    Ok(read::partners(&s.db, None)
        .await?
        .into_iter()
        .filter(|p| Voice::of_partner_kind(&p.kind).is_some())
        .map(|p| NamedRef {
            name: p.abbreviation.map_or_else(|| p.name.clone(), |a| format!("{a} — {}", p.name)),
            id: p.id,
        })
        .collect())
}

/// A refused change: a problem with a field shows the page again with the
/// message and the field marked; anything else shows its error page.
async fn refused(
    s: &AppState,
    layout: Layout,
    actor: &Actor,
    (form, user): (&'static str, &str),
    error: ApiError,
    draft: Draft,
) -> Response {
    let (field, message, status) = match error {
        ApiError::BadParameter { parameter, message } => (parameter, message, StatusCode::BAD_REQUEST),
        // The one conflict creating a user can meet: the e-mail is taken.
        ApiError::Conflict { message, .. } if form == "create" => ("email".into(), message, StatusCode::CONFLICT),
        e => return failure(layout, e),
    };
    let problem = Problem { form, user: user.to_string(), field, message, status };
    users_page(s, layout, actor, None, Some(problem), draft).await
}

/// Back to the list after a change (303), which says what was done.
fn confirm(what: &str, user_id: &str) -> Response {
    let query = serde_urlencoded::to_string([("done", what), ("user", user_id)]).unwrap_or_default();
    Redirect::to(&format!("{USERS}?{query}")).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersQuery {
    done: Option<String>,
    user: Option<String>,
}

pub async fn users(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, USERS).await;
    let actor = match auth.require_user() {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let done = parse_query::<UsersQuery>(form_query(raw.as_deref()).as_deref()).and_then(|q| match q.done {
        None => Ok(None),
        Some(d) => match DONE.iter().find(|x| **x == d) {
            Some(what) => Ok(Some((*what, q.user.unwrap_or_default()))),
            None => Err(ApiError::bad("done", format!("one of {}", DONE.join(", ")))),
        },
    });
    match done {
        Ok(done) => users_page(&s, layout, actor, done, None, Draft::default()).await,
        Err(e) => failure(layout, e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUserForm {
    csrf: Option<String>,
    email: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    role: Option<String>,
    body: Option<String>,
    member_state: Option<String>,
    partner: Option<String>,
}

pub async fn create_user(State(s): State<AppState>, auth: Auth, headers: HeaderMap, body: String) -> Response {
    let layout = Layout::new(&s, &headers, USERS).await;
    let f: NewUserForm = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, f.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let result = async {
        let grant = GrantInput {
            role: f.role.clone().unwrap_or_default(),
            body: f.body.clone(),
            member_state: f.member_state.clone(),
            partner: f.partner.clone(),
        }
        .parse()?;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let (email, name, password) = (text(&f.email), text(&f.display_name), text(&f.password));
        Ok::<_, ApiError>(accounts::create_user(&s.db, actor, &email, &name, &password, &[grant]).await?)
    };
    match result.await {
        Ok(user) => confirm("created", &user.id),
        Err(e) => {
            let draft = Draft {
                email: f.email.unwrap_or_default(),
                display_name: f.display_name.unwrap_or_default(),
                role: f.role.unwrap_or_default(),
                body: f.body.unwrap_or_default(),
                member_state: f.member_state.unwrap_or_default(),
                partner: f.partner.unwrap_or_default(),
            };
            refused(&s, layout, actor, ("create", ""), e, draft).await
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantForm {
    csrf: Option<String>,
    role: Option<String>,
    body: Option<String>,
    member_state: Option<String>,
    partner: Option<String>,
}

pub async fn add_grant(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let layout = Layout::new(&s, &headers, USERS).await;
    let f: GrantForm = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, f.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let result = async {
        let id = path_slug(&layout, "users-not-found", &id)?;
        let grant = GrantInput {
            role: f.role.unwrap_or_default(),
            body: f.body,
            member_state: f.member_state,
            partner: f.partner,
        }
        .parse()?;
        accounts::add_grant(&s.db, actor, &id, &grant).await?;
        Ok::<_, ApiError>(id)
    };
    match result.await {
        Ok(id) => confirm("granted", &id),
        Err(e) => refused(&s, layout, actor, ("grant", &id), e, Draft::default()).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordForm {
    csrf: Option<String>,
    password: Option<String>,
}

pub async fn reset_password(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let layout = Layout::new(&s, &headers, USERS).await;
    let f: PasswordForm = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, f.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let result = async {
        let id = path_slug(&layout, "users-not-found", &id)?;
        accounts::reset_password(&s.db, actor, &id, f.password.as_deref().unwrap_or_default()).await?;
        Ok::<_, ApiError>(id)
    };
    match result.await {
        Ok(id) => confirm("password", &id),
        Err(e) => refused(&s, layout, actor, ("password", &id), e, Draft::default()).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrfForm {
    csrf: Option<String>,
}

pub async fn revoke_sessions(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: String,
) -> Response {
    let layout = Layout::new(&s, &headers, USERS).await;
    let f: CsrfForm = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return failure(layout, e),
    };
    let actor = match change_actor(&auth, f.csrf.as_deref()) {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let result = async {
        let id = path_slug(&layout, "users-not-found", &id)?;
        accounts::revoke_sessions(&s.db, actor, &id).await?;
        Ok::<_, ApiError>(id)
    };
    match result.await {
        Ok(id) => confirm("revoked", &id),
        Err(e) => failure(layout, e),
    }
}

// ---------------------------------------------------------------- audit trail

/// One field an event changed; `None` where it had no value.
#[derive(Debug, PartialEq, Eq)]
struct Change {
    field: String,
    before: Option<String>,
    after: Option<String>,
}

/// The fields whose values differ between the before and after values of an
/// event, by field name; a created record lists every field it was given, a
/// deleted one every field it had.
fn changes(before: Option<&Json>, after: Option<&Json>) -> Vec<Change> {
    fn fields(v: Option<&Json>) -> Map<String, Json> {
        match v {
            None | Some(Json::Null) => Map::new(),
            Some(Json::Object(m)) => m.clone(),
            Some(other) => Map::from_iter([("value".to_string(), other.clone())]),
        }
    }
    fn shown(v: Option<&Json>) -> Option<String> {
        match v {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        }
    }
    let (b, a) = (fields(before), fields(after));
    let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (was, now) = (shown(b.get(name)), shown(a.get(name)));
            (was != now).then(|| Change { field: name.clone(), before: was, after: now })
        })
        .collect()
}

/// The page of a record, for the record types that have one (not after a purge).
fn record_href(e: &AuditEvent) -> Option<String> {
    let section = match e.record_type.as_str() {
        "action" => "actions",
        "programme" => "programmes",
        "meeting" => "meetings",
        "body" => "bodies",
        "partner" => "partners",
        "member_state" => "member-states",
        "convention" => "conventions",
        "instrument" => "instruments",
        _ => return None,
    };
    (e.operation != "purge").then(|| format!("/{section}/{}", e.record_id))
}

/// The CSV export of everything the filter matches. The API reads the session
/// cookie too, so the link works as it is.
fn csv_link(f: &AuditFilter) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("format", Some("csv")),
        ("record_type", f.record_type.as_deref()),
        ("record_id", f.record_id.as_deref()),
        ("actor", f.actor.as_deref()),
        ("operation", f.operation.as_deref()),
        ("from", f.from.as_deref()),
        ("to", f.to.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    format!("/api/v1/audit?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

struct EventView {
    e: AuditEvent,
    changes: Vec<Change>,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    filter: AuditFilter,
    events: Vec<EventView>,
    pager: Pager,
    csv: String,
}

impl AuditPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or_default()
    }
}

pub async fn audit(State(s): State<AppState>, auth: Auth, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let layout = Layout::new(&s, &headers, AUDIT).await;
    let actor = match auth.require_user() {
        Ok(a) => a,
        Err(e) => return refusal(layout, e),
    };
    let query = form_query(raw.as_deref());
    let data = async {
        authorize(actor, &Operation::ReadAudit).map_err(|d| ApiError::Forbidden(d.0))?;
        let q: AuditQuery = parse_query(query.as_deref())?;
        let (filter, paging) = (q.filter()?, q.paging()?);
        let slice = audit::events(&s.db, &filter, paging).await?;
        Ok::<_, ApiError>((filter, paging, slice))
    };
    match data.await {
        Ok((filter, paging, slice)) => {
            let pager = Pager::new(&layout.t, AUDIT, query.as_deref(), paging, slice.total);
            let csv = csv_link(&filter);
            let events = slice
                .items
                .into_iter()
                .map(|e| EventView { changes: changes(e.before.as_ref(), e.after.as_ref()), href: record_href(&e), e })
                .collect();
            render(&AuditPage { layout, filter, events, pager, csv })
        }
        Err(e) => failure(layout, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_fields_that_differ_are_changes() {
        let before = json!({"status": "planned", "title": "T", "version": 1, "retired": null});
        let after = json!({"status": "ongoing", "title": "T", "version": 2, "retired": null, "note": "n"});
        let c = changes(Some(&before), Some(&after));
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["note", "status", "version"]);
        assert_eq!(
            c[1],
            Change { field: "status".into(), before: Some("planned".into()), after: Some("ongoing".into()) }
        );
        assert_eq!(c[2].after.as_deref(), Some("2"));
        assert_eq!(c[0].before, None);
    }

    #[test]
    fn a_creation_lists_its_values_and_an_event_without_values_none() {
        let c = changes(None, Some(&json!({"email": "a@b.org", "grants": [{"role": "admin"}]})));
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].after.as_deref(), Some(r#"[{"role":"admin"}]"#));
        assert!(changes(None, None).is_empty());
    }
}
