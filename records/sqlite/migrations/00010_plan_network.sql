-- +goose NO TRANSACTION
-- +goose Up
-- The client's own plan and network. Every text is sealed with the client's
-- key (bound to table, column and row); nothing is overwritten: an edit of
-- the question, a goal or a step is a new row of plan_versions.
--
-- A network member's account has the new role 'network'. SQLite cannot
-- change a CHECK constraint, so users is rebuilt (the documented twelve
-- steps): foreign keys are off meanwhile, or dropping the old table would
-- cascade to sessions, codes and team memberships. That pragma works only
-- outside a transaction, hence NO TRANSACTION and an explicit one.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('professional','client','data_officer','admin','network')),
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
INSERT INTO users_new SELECT id, username, role, display_name, password_hash, client_id, totp_sealed,
    totp_enabled, disabled, failed_logins, locked_until, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_one_per_client ON users(client_id) WHERE client_id IS NOT NULL;

-- The question, goals and steps: structure here, texts in plan_versions.
CREATE TABLE plan_goals (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    from_proposal  TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX plan_goals_client ON plan_goals(client_id, created_at);

CREATE TABLE plan_steps (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_id     TEXT NOT NULL REFERENCES plan_goals(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX plan_steps_client ON plan_steps(client_id, created_at);

-- item_id: the client's id for the question, else a goal's or step's id.
CREATE TABLE plan_versions (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    text_sealed  BLOB NOT NULL,
    author_id    TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX plan_versions_client ON plan_versions(client_id, created_at);

CREATE TABLE plan_comments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_id      TEXT NOT NULL REFERENCES plan_goals(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    text_sealed  BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX plan_comments_client ON plan_comments(client_id, created_at);

CREATE TABLE plan_proposals (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    text_sealed  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    accepted     INTEGER,
    goal_id      TEXT
);
CREATE INDEX plan_proposals_client ON plan_proposals(client_id, created_at);

-- user_id: the member's account once invited; ended_at: when the client
-- ended that access.
CREATE TABLE network_members (
    id                 TEXT PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name_sealed        BLOB NOT NULL,
    relation_sealed    BLOB NOT NULL,
    reach_sealed       BLOB NOT NULL,
    helps_sealed       BLOB NOT NULL,
    created_at         INTEGER NOT NULL,
    user_id            TEXT UNIQUE REFERENCES users(id),
    ended_at           INTEGER
);
CREATE INDEX network_members_client ON network_members(client_id, created_at);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
DROP TABLE IF EXISTS network_members;
DROP TABLE IF EXISTS plan_proposals;
DROP TABLE IF EXISTS plan_comments;
DROP TABLE IF EXISTS plan_versions;
DROP TABLE IF EXISTS plan_steps;
DROP TABLE IF EXISTS plan_goals;
