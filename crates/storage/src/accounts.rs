//! Accounts: users with Argon2id passwords and scoped role grants, database
//! sessions, API tokens, and throttled sign-in. Every change is authorized by the
//! domain policy and audited in the same transaction.

use crate::audit::{self, new_id};
use crate::db::Row;
use crate::{params, Db, StorageError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tripart_domain::access::{authorize, Actor, Grant, Operation, Principal, Role};
use tripart_domain::time;

/// How long a browser session lasts without signing in again.
pub const SESSION_SECONDS: u64 = 12 * 3600;
/// Sign-in failures allowed per account, and per address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW_SECONDS: u64 = 15 * 60;
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Denied(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn invalid(field: &str, message: impl Into<String>) -> AccountError {
    AccountError::Invalid { field: field.into(), message: message.into() }
}

fn check(actor: &Actor, op: &Operation) -> Result<(), AccountError> {
    authorize(actor, op).map_err(|d| AccountError::Denied(d.0))
}

/// A user as administrators see them (never the password hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// active or disabled.
    pub status: String,
    pub created_at: String,
    pub version: i64,
    pub grants: Vec<GrantView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub role: String,
    pub body: Option<String>,
    pub member_state: Option<String>,
    /// For a social partner: its organisation (a partner id).
    pub partner: Option<String>,
}

impl From<&Grant> for GrantView {
    fn from(g: &Grant) -> Self {
        GrantView {
            role: g.role.to_string(),
            body: g.body.clone(),
            member_state: g.member_state.clone(),
            partner: g.partner.clone(),
        }
    }
}

/// Checks that a grant's scope names records that exist.
async fn check_scope(tx: &mut crate::Tx, g: &Grant) -> Result<(), AccountError> {
    if let Some(b) = &g.body {
        if tx.fetch_optional("SELECT id FROM body WHERE id = $1", &params![b]).await?.is_none() {
            return Err(invalid("body", format!("no body `{b}`")));
        }
    }
    if let Some(m) = &g.member_state {
        if tx.fetch_optional("SELECT code FROM member_state WHERE code = $1", &params![m]).await?.is_none() {
            return Err(invalid("member_state", format!("no member state `{m}`")));
        }
    }
    if let Some(p) = &g.partner {
        let kind = tx.fetch_optional("SELECT kind FROM partner WHERE id = $1", &params![p]).await?;
        match kind.map(|r| r.str("kind")).transpose()? {
            Some(k) if tripart_domain::followup::Voice::of_partner_kind(&k).is_some() => {}
            Some(k) => {
                return Err(invalid(
                    "partner",
                    format!(
                        "`{p}` is a {k}; a social partner is an employers', workers' or civil-society organisation"
                    ),
                ))
            }
            None => return Err(invalid("partner", format!("no partner `{p}`"))),
        }
    }
    Ok(())
}

/// A random secret as hex (32 bytes: sessions, tokens, CSRF).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored of a secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| invalid("password", e.to_string()))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash no password matches, verified against when the account does not exist,
/// so that a missing account takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

fn normalise_email(email: &str) -> Result<String, AccountError> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(e)
    } else {
        Err(invalid("email", "not an e-mail address"))
    }
}

fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid("password", format!("at least {MIN_PASSWORD_CHARS} characters")));
    }
    if password.len() > 1024 {
        return Err(invalid("password", "at most 1024 bytes"));
    }
    Ok(())
}

async fn grants_of(db: &Db, user_id: &str) -> Result<Vec<Grant>, StorageError> {
    let rows = db
        .fetch_all(
            "SELECT role, body, member_state, partner FROM role_grant WHERE user_id = $1 ORDER BY id",
            &params![user_id],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let role = Role::parse(&r.str("role").ok()?).ok()?;
            Grant::scoped(role, r.opt_str("body").ok()?, r.opt_str("member_state").ok()?, r.opt_str("partner").ok()?)
                .ok()
        })
        .collect())
}

async fn user_from_row(db: &Db, r: &Row) -> Result<User, StorageError> {
    let id = r.str("id")?;
    let grants = grants_of(db, &id).await?.iter().map(GrantView::from).collect();
    Ok(User {
        email: r.str("email")?,
        display_name: r.str("display_name")?,
        status: r.str("status")?,
        created_at: r.str("created_at")?,
        version: r.i64("version")?,
        grants,
        id,
    })
}

/// A new account. Only administrators (and the command line) may create them.
pub async fn create_user(
    db: &Db,
    actor: &Actor,
    email: &str,
    display_name: &str,
    password: &str,
    grants: &[Grant],
) -> Result<User, AccountError> {
    check(actor, &Operation::ManageUsers)?;
    let email = normalise_email(email)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(invalid("display_name", "between 1 and 200 characters"));
    }
    check_password(password)?;
    let hash = hash_password(password)?;
    let mut tx = db.begin().await?;
    if tx.fetch_optional("SELECT id FROM app_user WHERE email = $1", &params![&email]).await?.is_some() {
        return Err(AccountError::Conflict(format!("a user with e-mail {email} exists already")));
    }
    for g in grants {
        check_scope(&mut tx, g).await?;
    }
    let id = new_id();
    let now = time::now();
    tx.execute(
        "INSERT INTO app_user (id, email, display_name, password_hash, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $5)",
        &params![&id, &email, display_name, hash, &now],
    )
    .await?;
    for g in grants {
        tx.execute(
            "INSERT INTO role_grant (id, user_id, role, body, member_state, partner, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &params![new_id(), &id, g.role.as_str(), &g.body, &g.member_state, &g.partner, &now],
        )
        .await?;
    }
    let after = serde_json::json!({
        "email": email, "display_name": display_name,
        "grants": grants.iter().map(GrantView::from).collect::<Vec<_>>(),
    });
    audit::record(&mut tx, actor, "create", "user", &id, None, Some(&after), None).await?;
    tx.commit().await?;
    user(db, &id).await?.ok_or_else(|| AccountError::NotFound(id))
}

pub async fn user(db: &Db, id: &str) -> Result<Option<User>, StorageError> {
    match db.fetch_optional("SELECT * FROM app_user WHERE id = $1", &params![id]).await? {
        Some(r) => Ok(Some(user_from_row(db, &r).await?)),
        None => Ok(None),
    }
}

pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<User>, StorageError> {
    let email = email.trim().to_lowercase();
    match db.fetch_optional("SELECT * FROM app_user WHERE email = $1", &params![email]).await? {
        Some(r) => Ok(Some(user_from_row(db, &r).await?)),
        None => Ok(None),
    }
}

/// Every user. Administrators only.
pub async fn users(db: &Db, actor: &Actor) -> Result<Vec<User>, AccountError> {
    check(actor, &Operation::ManageUsers)?;
    let rows = db.fetch_all("SELECT * FROM app_user ORDER BY email", &[]).await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(user_from_row(db, r).await?);
    }
    Ok(out)
}

/// Adds a role grant to a user. Administrators only: nobody raises their own role.
pub async fn add_grant(db: &Db, actor: &Actor, user_id: &str, grant: &Grant) -> Result<User, AccountError> {
    check(actor, &Operation::ManageUsers)?;
    let mut tx = db.begin().await?;
    if tx.fetch_optional("SELECT id FROM app_user WHERE id = $1", &params![user_id]).await?.is_none() {
        return Err(AccountError::NotFound(format!("no user `{user_id}`")));
    }
    check_scope(&mut tx, grant).await?;
    tx.execute(
        "INSERT INTO role_grant (id, user_id, role, body, member_state, partner, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &params![new_id(), user_id, grant.role.as_str(), &grant.body, &grant.member_state, &grant.partner, time::now()],
    )
    .await?;
    let after = serde_json::to_value(GrantView::from(grant)).unwrap_or_default();
    audit::record(&mut tx, actor, "grant", "user", user_id, None, Some(&after), None).await?;
    tx.commit().await?;
    user(db, user_id).await?.ok_or_else(|| AccountError::NotFound(user_id.to_string()))
}

/// Sets a new password and signs the user out everywhere. Administrators only.
pub async fn reset_password(db: &Db, actor: &Actor, user_id: &str, password: &str) -> Result<(), AccountError> {
    check(actor, &Operation::ManageUsers)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            "UPDATE app_user SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3",
            &params![hash, time::now(), user_id],
        )
        .await?;
    if n == 0 {
        return Err(AccountError::NotFound(format!("no user `{user_id}`")));
    }
    tx.execute(
        "UPDATE user_session SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        &params![time::now(), user_id],
    )
    .await?;
    audit::record(&mut tx, actor, "reset_password", "user", user_id, None, None, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of a user. Administrators only.
pub async fn revoke_sessions(db: &Db, actor: &Actor, user_id: &str) -> Result<u64, AccountError> {
    check(actor, &Operation::ManageUsers)?;
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            "UPDATE user_session SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            &params![time::now(), user_id],
        )
        .await?;
    audit::record(&mut tx, actor, "revoke_sessions", "user", user_id, None, None, Some(&format!("{n} sessions")))
        .await?;
    tx.commit().await?;
    Ok(n)
}

/// Why a sign-in was refused. The message never says whether the account exists.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    /// Too many failures: wait this many seconds.
    Throttled(u64),
}

async fn recent_failures(db: &Db, column: &str, value: &str) -> Result<i64, StorageError> {
    let row = db
        .fetch_optional(
            &format!(
                "SELECT COUNT(*) AS n FROM sign_in_attempt WHERE {column} = $1 AND attempted_at >= $2 AND succeeded = 0"
            ),
            &params![value, time::seconds_ago(THROTTLE_WINDOW_SECONDS)],
        )
        .await?;
    Ok(row.map(|r| r.i64("n")).transpose()?.unwrap_or(0))
}

async fn principal_of(db: &Db, row: &Row) -> Result<Principal, StorageError> {
    let user_id = row.str("id")?;
    Ok(Principal { grants: grants_of(db, &user_id).await?, email: row.str("email")?, user_id })
}

/// Checks e-mail and password, with throttling per account and per address.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password: &str,
    address: &str,
) -> Result<Result<Principal, SignInRefusal>, StorageError> {
    let email = email.trim().to_lowercase();
    if recent_failures(db, "email", &email).await? >= MAX_FAILURES_PER_ACCOUNT
        || recent_failures(db, "address", address).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return Ok(Err(SignInRefusal::Throttled(THROTTLE_WINDOW_SECONDS)));
    }
    let row = db.fetch_optional("SELECT * FROM app_user WHERE email = $1", &params![&email]).await?;
    let ok = match &row {
        Some(r) => verify_password(&r.str("password_hash")?, password) && r.str("status")? == "active",
        None => {
            verify_password(decoy_hash(), password);
            false
        }
    };
    db.execute(
        "INSERT INTO sign_in_attempt (id, email, address, attempted_at, succeeded) VALUES ($1, $2, $3, $4, $5)",
        &params![new_id(), &email, address, time::now(), ok],
    )
    .await?;
    match (ok, row) {
        (true, Some(r)) => Ok(Ok(principal_of(db, &r).await?)),
        _ => Ok(Err(SignInRefusal::WrongCredentials)),
    }
}

/// A new browser session: (cookie token, CSRF token).
pub async fn create_session(
    db: &Db,
    principal: &Principal,
    address: &str,
    user_agent: &str,
) -> Result<(String, String), StorageError> {
    let token = random_secret();
    let csrf = random_secret();
    let actor = Actor::User(principal.clone(), tripart_domain::access::Channel::Web);
    let mut tx = db.begin().await?;
    tx.execute(
        "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, expires_at, address, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &params![
            secret_hash(&token),
            &principal.user_id,
            &csrf,
            time::now(),
            time::in_seconds(SESSION_SECONDS),
            address,
            user_agent.chars().take(300).collect::<String>()
        ],
    )
    .await?;
    audit::record(&mut tx, &actor, "sign_in", "user", &principal.user_id, None, None, None).await?;
    tx.commit().await?;
    Ok((token, csrf))
}

/// The signed-in user of a session cookie, with the session's CSRF token.
pub async fn session(db: &Db, token: &str) -> Result<Option<(Principal, String)>, StorageError> {
    let row = db
        .fetch_optional(
            "SELECT u.*, s.csrf_token FROM user_session s JOIN app_user u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.status = 'active'",
            &params![secret_hash(token), time::now()],
        )
        .await?;
    match row {
        Some(r) => Ok(Some((principal_of(db, &r).await?, r.str("csrf_token")?))),
        None => Ok(None),
    }
}

/// Ends one session (sign-out).
pub async fn end_session(db: &Db, token: &str) -> Result<(), StorageError> {
    let Some((principal, _)) = session(db, token).await? else { return Ok(()) };
    let actor = Actor::User(principal.clone(), tripart_domain::access::Channel::Web);
    let mut tx = db.begin().await?;
    tx.execute(
        "UPDATE user_session SET revoked_at = $1 WHERE token_hash = $2",
        &params![time::now(), secret_hash(token)],
    )
    .await?;
    audit::record(&mut tx, &actor, "sign_out", "user", &principal.user_id, None, None, None).await?;
    tx.commit().await?;
    Ok(())
}

/// A new API token for a user, returned once; only its hash is kept.
pub async fn create_token(db: &Db, actor: &Actor, user_id: &str, name: &str) -> Result<String, AccountError> {
    check(actor, &Operation::ManageUsers)?;
    let token = format!("tpt_{}", random_secret());
    let mut tx = db.begin().await?;
    if tx.fetch_optional("SELECT id FROM app_user WHERE id = $1", &params![user_id]).await?.is_none() {
        return Err(AccountError::NotFound(format!("no user `{user_id}`")));
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO api_token (id, token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4, $5)",
        &params![&id, secret_hash(&token), user_id, name, time::now()],
    )
    .await?;
    let after = serde_json::json!({ "token_id": id, "name": name });
    audit::record(&mut tx, actor, "create_token", "user", user_id, None, Some(&after), None).await?;
    tx.commit().await?;
    Ok(token)
}

/// The user a bearer token acts for: exactly that user's rights.
pub async fn token_principal(db: &Db, token: &str) -> Result<Option<Principal>, StorageError> {
    let hash = secret_hash(token);
    let row = db
        .fetch_optional(
            "SELECT u.* FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.status = 'active'",
            &params![&hash],
        )
        .await?;
    match row {
        Some(r) => {
            db.execute("UPDATE api_token SET last_used_at = $1 WHERE token_hash = $2", &params![time::now(), &hash])
                .await?;
            Ok(Some(principal_of(db, &r).await?))
        }
        None => Ok(None),
    }
}
