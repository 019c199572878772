-- Accounts, roles, API tokens, password resets, login throttling, audit log, privacy (SQLite).

-- Personal data lives here and only here (plus the e-mail in login_attempts keys, which erasure
-- removes too): other tables refer to a person by id.
CREATE TABLE persons (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    email             TEXT,
    phone             TEXT,
    kind              TEXT NOT NULL CHECK (kind IN ('staff', 'student', 'supervisor')),
    municipality_code TEXT REFERENCES municipalities (code),
    -- For students: the end (YYYY-MM-DD) of their last VFU period; retention counts from it.
    last_period_end   TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX persons_email ON persons (email);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL UNIQUE REFERENCES persons (id),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'regional', 'municipality', 'university', 'provider', 'supervisor', 'student')),
    scope         TEXT,
    -- argon2id in PHC string format; NULL until the user has set a password.
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- Failed logins, keyed by 'account:EMAIL' and 'address:IP'; shared by every web node.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- Append-only: kkig inserts rows and never updates them, except that erasing a person on
-- request blanks the before/after values of the rows about that person (and says so).
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            INTEGER NOT NULL,
    actor_user_id TEXT,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    person_id     TEXT,
    before_json   TEXT,
    after_json    TEXT,
    redacted      INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1))
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_person ON audit_log (person_id);

-- Anonymous counts kept after erasure: how many persons of each kind were erased, and why.
CREATE TABLE erasure_counts (
    kind   TEXT NOT NULL,
    reason TEXT NOT NULL,
    year   INTEGER NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (kind, reason, year)
);

ALTER TABLE sessions ADD COLUMN user_id TEXT;
CREATE INDEX sessions_user ON sessions (user_id);
