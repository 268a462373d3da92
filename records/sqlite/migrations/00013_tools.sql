-- +goose Up
-- The register of digital tools: organisation data, not personal data, so
-- plaintext. languages is a comma-separated list of language codes; dates
-- are milliseconds since the epoch like every time here.
CREATE TABLE tools (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL UNIQUE,
    kind                    TEXT NOT NULL CHECK (kind IN ('video','chat','messaging','email','ehealth_module','self_help_app','website')),
    vendor                  TEXT NOT NULL DEFAULT '',
    data_location           TEXT NOT NULL CHECK (data_location IN ('eu','outside_eu','on_device')),
    end_to_end              INTEGER NOT NULL DEFAULT 0,
    accessibility_statement TEXT NOT NULL DEFAULT '',
    accessibility_level     TEXT NOT NULL DEFAULT 'none' CHECK (accessibility_level IN ('none','A','AA','AAA')),
    languages               TEXT NOT NULL DEFAULT '',
    cost                    TEXT NOT NULL DEFAULT '',
    check_data_protection   INTEGER NOT NULL DEFAULT 0,
    check_accessibility     INTEGER NOT NULL DEFAULT 0,
    check_evidence          INTEGER NOT NULL DEFAULT 0,
    check_usability         INTEGER NOT NULL DEFAULT 0,
    check_support           INTEGER NOT NULL DEFAULT 0,
    verdict                 TEXT NOT NULL CHECK (verdict IN ('advised','on_trial','not_advised')),
    reviewed_on             INTEGER,
    dpia_on                 INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

-- An online contact names the tool it used: one from the register, or a
-- short product name not in it yet ("other"), for the register's keepers.
ALTER TABLE contacts ADD COLUMN tool_id TEXT REFERENCES tools(id);
ALTER TABLE contacts ADD COLUMN tool_name TEXT NOT NULL DEFAULT '' CHECK (length(tool_name) <= 40);
CREATE INDEX contacts_tool ON contacts(tool_id) WHERE tool_id IS NOT NULL;
CREATE INDEX contacts_occurred ON contacts(occurred_at);

-- A consent for an online channel may name the tool.
ALTER TABLE consents ADD COLUMN tool_id TEXT REFERENCES tools(id);

-- A self-help app or website recommended to a client. It holds no personal
-- text; it goes with the client's rows.
CREATE TABLE tool_recommendations (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    tool_id         TEXT NOT NULL REFERENCES tools(id),
    recommended_by  TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX tool_recommendations_client ON tool_recommendations(client_id);

-- A professional an admin flags as team lead sees the blended-work report of
-- their own teams.
ALTER TABLE users ADD COLUMN team_lead INTEGER NOT NULL DEFAULT 0;

-- +goose Down
DROP TABLE IF EXISTS tool_recommendations;
DROP INDEX IF EXISTS contacts_tool;
DROP INDEX IF EXISTS contacts_occurred;
ALTER TABLE contacts DROP COLUMN tool_id;
ALTER TABLE contacts DROP COLUMN tool_name;
ALTER TABLE consents DROP COLUMN tool_id;
ALTER TABLE users DROP COLUMN team_lead;
DROP TABLE IF EXISTS tools;
