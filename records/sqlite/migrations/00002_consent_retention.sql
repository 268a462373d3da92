-- +goose Up
-- Consent enforcement, disclosures accounting, retention, legal holds, purge
-- reports and erasure requests (issue 4). Times are Unix milliseconds (UTC);
-- columns ending in _sealed hold ciphertexts under the client's data key.

-- The accounting of disclosures: who shared which records of the client with
-- whom, for what, under which consent, and when. Recipient and purpose are sealed.
CREATE TABLE disclosures (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    consent_id        TEXT NOT NULL,
    recipient_sealed  BLOB NOT NULL,
    purpose_sealed    BLOB NOT NULL,
    record_ids        TEXT NOT NULL,
    disclosed_by      TEXT NOT NULL,
    disclosed_at      INTEGER NOT NULL
);
CREATE INDEX disclosures_client ON disclosures(client_id, disclosed_at);

-- Retention rules as the data officer set them; kinds without a row use the
-- defaults of package consent.
CREATE TABLE retention_rules (
    kind        TEXT PRIMARY KEY,
    basis       TEXT NOT NULL CHECK (basis IN ('after_close','after_creation')),
    years       INTEGER NOT NULL DEFAULT 0 CHECK (years >= 0),
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    max_days    INTEGER CHECK (max_days IS NULL OR max_days >= 0),
    action      TEXT NOT NULL CHECK (action IN ('destroy','anonymise')),
    source      TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Legal holds pause retention for a whole client or one trajectory. Releasing
-- a hold sets released_at; the row stays.
CREATE TABLE legal_holds (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id  TEXT REFERENCES trajectories(id) ON DELETE CASCADE,
    reason_sealed  BLOB NOT NULL,
    placed_by      TEXT NOT NULL,
    placed_at      INTEGER NOT NULL,
    released_by    TEXT,
    released_at    INTEGER
);
CREATE INDEX legal_holds_client ON legal_holds(client_id, released_at);

-- Purge reports: what retention or an approved erasure destroyed (or found due
-- but held): kind, count, ids, rule, time. Never content. Append-only.
CREATE TABLE purge_reports (
    id          TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    trigger     TEXT NOT NULL CHECK (trigger IN ('retention','erasure')),
    client_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('destroy','anonymise','held')),
    count       INTEGER NOT NULL,
    record_ids  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX purge_reports_at ON purge_reports(at, run_id);

-- +goose StatementBegin
CREATE TRIGGER purge_reports_append_only_update BEFORE UPDATE ON purge_reports
BEGIN SELECT RAISE(ABORT, 'purge_reports is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER purge_reports_append_only_delete BEFORE DELETE ON purge_reports
BEGIN SELECT RAISE(ABORT, 'purge_reports is append-only'); END;
-- +goose StatementEnd

-- Contacts that retention anonymised: channel, month and duration, with no link
-- to the client, kept for statistics.
CREATE TABLE anonymous_contacts (
    id                TEXT PRIMARY KEY,
    channel           TEXT NOT NULL,
    month             TEXT NOT NULL,
    synchronous       INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    anonymised_at     INTEGER NOT NULL
);

-- Erasure requests: the client asks, the data officer approves (crypto-shredding)
-- or refuses with a reason. The row stays so the client sees the outcome.
CREATE TABLE erasure_requests (
    id                      TEXT PRIMARY KEY,
    client_id               TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    requested_by            TEXT NOT NULL,
    requested_at            INTEGER NOT NULL,
    status                  TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
    decided_by              TEXT,
    decided_at              INTEGER,
    decision_reason_sealed  BLOB
);
CREATE INDEX erasure_requests_client ON erasure_requests(client_id, requested_at);
CREATE INDEX consent_withdrawals_at ON consent_withdrawals(withdrawn_at);

-- +goose Down
DROP TABLE erasure_requests;
DROP TABLE anonymous_contacts;
DROP TABLE purge_reports;
DROP TABLE legal_holds;
DROP TABLE retention_rules;
DROP TABLE disclosures;
DROP INDEX consent_withdrawals_at;
