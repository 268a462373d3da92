-- +goose Up
-- Times are Unix milliseconds (UTC). Columns ending in _sealed hold
-- XChaCha20-Poly1305 ciphertexts under the client's data key; nothing personal
-- is stored in plaintext.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clients (
    id                  TEXT PRIMARY KEY,
    key_version         INTEGER NOT NULL DEFAULT 1,
    name_sealed         BLOB NOT NULL,
    birth_date_sealed   BLOB,
    contact_sealed      BLOB,
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL
);

-- One data key per client, wrapped by a master key version. Deleting the row
-- crypto-shreds every ciphertext of that client.
CREATE TABLE client_keys (
    client_id    TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    wrapped      BLOB NOT NULL,
    kek_version  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX client_keys_kek_version ON client_keys(kek_version);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('professional','client','data_officer','admin')),
    display_name   TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    client_id      TEXT REFERENCES clients(id) ON DELETE SET NULL,
    totp_sealed    BLOB,
    totp_enabled   INTEGER NOT NULL DEFAULT 0,
    disabled       INTEGER NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    created_at     INTEGER NOT NULL
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY,
    family      TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    revoked_at  INTEGER
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);

-- Caseload: a professional or a team follows a client from..to.
CREATE TABLE caseload (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id    TEXT REFERENCES users(id),
    team_id    TEXT REFERENCES teams(id),
    from_at    INTEGER NOT NULL,
    to_at      INTEGER,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX caseload_user ON caseload(user_id, client_id);
CREATE INDEX caseload_team ON caseload(team_id, client_id);
CREATE INDEX caseload_client ON caseload(client_id);

CREATE TABLE break_glass (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    reason_sealed  BLOB NOT NULL,
    granted_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX break_glass_user_client ON break_glass(user_id, client_id, expires_at);

CREATE TABLE trajectories (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_sealed  BLOB NOT NULL,
    lead_id      TEXT REFERENCES users(id),
    opened_at    INTEGER NOT NULL,
    closed_at    INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX trajectories_client ON trajectories(client_id);

CREATE TABLE contacts (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id     TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('office','home_visit','outreach','video','phone','chat','email','messaging','ehealth_module')),
    synchronous       INTEGER NOT NULL CHECK (synchronous IN (0,1)),
    occurred_at       INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes >= 0),
    follow_up_of      TEXT REFERENCES contacts(id) ON DELETE SET NULL,
    consent_missing   INTEGER NOT NULL DEFAULT 0,
    author_id         TEXT NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id, occurred_at);
CREATE INDEX contacts_follow_up ON contacts(follow_up_of);

-- A note is a series of versions; a correction adds a version, history stays.
CREATE TABLE notes (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id  TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
    contact_id     TEXT REFERENCES contacts(id) ON DELETE CASCADE,
    author_id      TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX notes_client ON notes(client_id, created_at);

CREATE TABLE note_versions (
    note_id            TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    version            INTEGER NOT NULL,
    visibility         TEXT NOT NULL CHECK (visibility IN ('shared','restricted','personal')),
    body_sealed        BLOB NOT NULL,
    reason_sealed      BLOB,
    author_id          TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (note_id, version)
);

-- Entries the client writes in their own file.
CREATE TABLE entries (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    body_sealed  BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX entries_client ON entries(client_id, created_at);

-- Consents: append-only. A withdrawal is a new row in consent_withdrawals; the
-- history stays readable. Recipient and reason may identify the client's
-- situation, so they are sealed.
CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    purpose           TEXT NOT NULL CHECK (purpose IN ('contact_channel','disclosure','statistics')),
    channel           TEXT NOT NULL DEFAULT '',
    recipient_sealed  BLOB,
    reason_sealed     BLOB,
    evidence          TEXT NOT NULL CHECK (evidence IN ('verbal','written','online')),
    recorded_by       TEXT NOT NULL,
    granted_at        INTEGER NOT NULL,
    expires_at        INTEGER
);
CREATE INDEX consents_client ON consents(client_id, purpose, channel);

CREATE TABLE consent_withdrawals (
    consent_id    TEXT PRIMARY KEY REFERENCES consents(id) ON DELETE CASCADE,
    withdrawn_by  TEXT NOT NULL,
    withdrawn_at  INTEGER NOT NULL
);

-- The access log: append-only, hash-chained. No names, no note text: ids,
-- kinds, actions, purposes, rules and outcomes only. client_id has no foreign
-- key on purpose: the log outlives the client's data.
CREATE TABLE access_log (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    at              INTEGER NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    record_kind     TEXT NOT NULL,
    record_ids      TEXT NOT NULL,
    action          TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    rule            TEXT NOT NULL,
    grant_id        TEXT NOT NULL,
    remote          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    prev_hash       BLOB NOT NULL,
    hash            BLOB NOT NULL
);
CREATE INDEX access_log_client ON access_log(client_id, seq);
CREATE INDEX access_log_actor ON access_log(actor_id, seq);

-- +goose StatementBegin
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
-- +goose StatementEnd

-- Signed checkpoints of the chain head (Ed25519).
CREATE TABLE access_checkpoints (
    seq         INTEGER PRIMARY KEY,
    hash        BLOB NOT NULL,
    at          INTEGER NOT NULL,
    signature   BLOB NOT NULL
);

-- +goose Down
SELECT 1;
