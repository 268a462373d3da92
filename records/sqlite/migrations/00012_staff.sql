-- +goose Up
-- Case codes: a short code per client (K-4821) that staff see and pick from
-- instead of ids. Random, not derived from the id or the name, and not
-- personal data, so plaintext. Existing rows get theirs from Go right after
-- the migrations (assignCaseCodes): SQL alone cannot retry on a collision.
ALTER TABLE clients ADD COLUMN case_code TEXT;
CREATE UNIQUE INDEX clients_case_code ON clients(case_code);

-- A handover: an admin moves or shares a professional's caseload with another
-- until a date. The caseload rows it makes name it, so a client's view can
-- say why someone else may read the file.
CREATE TABLE handovers (
    id          TEXT PRIMARY KEY,
    from_user   TEXT NOT NULL REFERENCES users(id),
    to_user     TEXT NOT NULL REFERENCES users(id),
    mode        TEXT NOT NULL CHECK (mode IN ('move','share')),
    until_at    INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
ALTER TABLE caseload ADD COLUMN handover_id TEXT REFERENCES handovers(id);

-- Anomaly reviews: the data officer marks an anomaly reviewed with a note.
-- The key names the anomaly (its kind and its access record, contact or
-- account and hour). The note is sealed with the client's key when the
-- anomaly concerns a client; a bulk read concerns a staff account and no
-- client, so its note is kept as text (note_plain).
CREATE TABLE anomaly_reviews (
    anomaly_key  TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    client_id    TEXT REFERENCES clients(id) ON DELETE CASCADE,
    note_sealed  BLOB,
    note_plain   TEXT,
    reviewed_by  TEXT NOT NULL,
    reviewed_at  INTEGER NOT NULL,
    CHECK ((note_sealed IS NULL) <> (note_plain IS NULL))
);

-- +goose Down
DROP TABLE anomaly_reviews;
ALTER TABLE caseload DROP COLUMN handover_id;
DROP TABLE handovers;
DROP INDEX IF EXISTS clients_case_code;
ALTER TABLE clients DROP COLUMN case_code;
