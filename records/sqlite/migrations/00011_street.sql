-- +goose Up
-- A consent counts from when the client gave it, which may precede when it was
-- typed in (granted_at). Existing consents were given when they were recorded.
ALTER TABLE consents ADD COLUMN given_at INTEGER NOT NULL DEFAULT 0;
UPDATE consents SET given_at = granted_at;

-- A professional resolves a contact's consent flag with a reason (the consent
-- was asked at the start of the call, say). The reason is client data, sealed
-- with the client's key; one resolution per contact, never edited.
CREATE TABLE consent_flag_resolutions (
    contact_id     TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    reason_sealed  BLOB NOT NULL,
    resolved_by    TEXT NOT NULL,
    resolved_at    INTEGER NOT NULL
);
CREATE INDEX consent_flag_resolutions_client ON consent_flag_resolutions(client_id);

-- An outreach contact with nobody identified: no client, no personal data. The
-- place is a few words (a street, a square), topics come from a fixed list.
CREATE TABLE anonymous_outreach (
    id                TEXT PRIMARY KEY,
    channel           TEXT NOT NULL CHECK (channel IN ('office','home_visit','outreach','video','phone','chat','email','messaging','ehealth_module')),
    place             TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 80),
    topics            TEXT NOT NULL DEFAULT '',
    occurred_at       INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 0 AND 1440),
    author_id         TEXT NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX anonymous_outreach_at ON anonymous_outreach(occurred_at);

-- +goose Down
DROP TABLE IF EXISTS anonymous_outreach;
DROP TABLE IF EXISTS consent_flag_resolutions;
ALTER TABLE consents DROP COLUMN given_at;
