-- Accounts, sessions, API tokens, sign-in throttling, the audit trail, and the
-- columns that make catalogue records retirable. Timestamps are ISO 8601 UTC text
-- with milliseconds on both backends.

CREATE TABLE app_user (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_grant (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    role TEXT NOT NULL,
    body TEXT REFERENCES body(id),
    member_state TEXT REFERENCES member_state(code),
    created_at TEXT NOT NULL
);
CREATE INDEX role_grant_by_user ON role_grant (user_id);

-- Sessions live in the database so that several servers share them. Only a hash
-- of the cookie's token is kept.
CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    address TEXT,
    user_agent TEXT
);
CREATE INDEX user_session_by_user ON user_session (user_id);

-- Tokens for machine clients (Authorization: Bearer). Shown once, kept hashed.
CREATE TABLE api_token (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Every sign-in attempt, for throttling per account and per address.
CREATE TABLE sign_in_attempt (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    succeeded INTEGER NOT NULL
);
CREATE INDEX sign_in_attempt_by_email ON sign_in_attempt (email, attempted_at);
CREATE INDEX sign_in_attempt_by_address ON sign_in_attempt (address, attempted_at);

-- Who changed what, when, through which channel, with the values before and
-- after. Written in the same transaction as the change it records.
CREATE TABLE audit_event (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user TEXT,
    actor_label TEXT NOT NULL,
    channel TEXT NOT NULL,
    operation TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    note TEXT
);
CREATE INDEX audit_event_by_time ON audit_event (at);
CREATE INDEX audit_event_by_record ON audit_event (record_type, record_id);
CREATE INDEX audit_event_by_actor ON audit_event (actor_user);

-- Records are retired, not deleted.
ALTER TABLE action ADD COLUMN retired_at TEXT;
ALTER TABLE meeting ADD COLUMN retired_at TEXT;
ALTER TABLE recommendation ADD COLUMN retired_at TEXT;
