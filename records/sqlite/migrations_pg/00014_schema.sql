-- +goose Up
-- The whole schema as SQLite has it after migration 00014, for PostgreSQL.
-- Later migrations come in both directories with the same number. Times are
-- Unix milliseconds (UTC) in BIGINT; flags are BIGINT 0/1 as in SQLite, so
-- one set of queries runs on both engines. Columns ending in _sealed hold
-- XChaCha20-Poly1305 ciphertexts under the client's data key; nothing
-- personal is stored in plaintext.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clients (
    id                  TEXT PRIMARY KEY,
    key_version         BIGINT NOT NULL DEFAULT 1,
    name_sealed         BYTEA NOT NULL,
    birth_date_sealed   BYTEA,
    contact_sealed      BYTEA,
    created_by          TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    case_code           TEXT
);
CREATE UNIQUE INDEX clients_case_code ON clients(case_code);

-- One data key per client, wrapped by a master key version. Deleting the row
-- crypto-shreds every ciphertext of that client.
CREATE TABLE client_keys (
    client_id    TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    wrapped      BYTEA NOT NULL,
    kek_version  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX client_keys_kek_version ON client_keys(kek_version);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('professional','client','data_officer','admin','network')),
    display_name   TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    client_id      TEXT REFERENCES clients(id) ON DELETE SET NULL,
    totp_sealed    BYTEA,
    totp_enabled   BIGINT NOT NULL DEFAULT 0,
    disabled       BIGINT NOT NULL DEFAULT 0,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL,
    team_lead      BIGINT NOT NULL DEFAULT 0,
    work_contact   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX users_one_per_client ON users(client_id) WHERE client_id IS NOT NULL;

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
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
    token_hash  BYTEA NOT NULL UNIQUE,
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);

CREATE TABLE handovers (
    id          TEXT PRIMARY KEY,
    from_user   TEXT NOT NULL REFERENCES users(id),
    to_user     TEXT NOT NULL REFERENCES users(id),
    mode        TEXT NOT NULL CHECK (mode IN ('move','share')),
    until_at    BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Caseload: a professional or a team follows a client from..to.
CREATE TABLE caseload (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id      TEXT REFERENCES users(id),
    team_id      TEXT REFERENCES teams(id),
    from_at      BIGINT NOT NULL,
    to_at        BIGINT,
    handover_id  TEXT REFERENCES handovers(id),
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX caseload_user ON caseload(user_id, client_id);
CREATE INDEX caseload_team ON caseload(team_id, client_id);
CREATE INDEX caseload_client ON caseload(client_id);

CREATE TABLE break_glass (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    reason_sealed  BYTEA NOT NULL,
    granted_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX break_glass_user_client ON break_glass(user_id, client_id, expires_at);

CREATE TABLE trajectories (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_sealed  BYTEA NOT NULL,
    lead_id      TEXT REFERENCES users(id),
    opened_at    BIGINT NOT NULL,
    closed_at    BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX trajectories_client ON trajectories(client_id);

-- The register of digital tools: organisation data, not personal data.
CREATE TABLE tools (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL UNIQUE,
    kind                    TEXT NOT NULL CHECK (kind IN ('video','chat','messaging','email','ehealth_module','self_help_app','website')),
    vendor                  TEXT NOT NULL DEFAULT '',
    data_location           TEXT NOT NULL CHECK (data_location IN ('eu','outside_eu','on_device')),
    end_to_end              BIGINT NOT NULL DEFAULT 0,
    accessibility_statement TEXT NOT NULL DEFAULT '',
    accessibility_level     TEXT NOT NULL DEFAULT 'none' CHECK (accessibility_level IN ('none','A','AA','AAA')),
    languages               TEXT NOT NULL DEFAULT '',
    cost                    TEXT NOT NULL DEFAULT '',
    check_data_protection   BIGINT NOT NULL DEFAULT 0,
    check_accessibility     BIGINT NOT NULL DEFAULT 0,
    check_evidence          BIGINT NOT NULL DEFAULT 0,
    check_usability         BIGINT NOT NULL DEFAULT 0,
    check_support           BIGINT NOT NULL DEFAULT 0,
    verdict                 TEXT NOT NULL CHECK (verdict IN ('advised','on_trial','not_advised')),
    reviewed_on             BIGINT,
    dpia_on                 BIGINT,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL
);

CREATE TABLE contacts (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id     TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('office','home_visit','outreach','video','phone','chat','email','messaging','ehealth_module')),
    synchronous       BIGINT NOT NULL CHECK (synchronous IN (0,1)),
    occurred_at       BIGINT NOT NULL,
    duration_minutes  BIGINT NOT NULL CHECK (duration_minutes >= 0),
    follow_up_of      TEXT REFERENCES contacts(id) ON DELETE SET NULL,
    consent_missing   BIGINT NOT NULL DEFAULT 0,
    author_id         TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    tool_id           TEXT REFERENCES tools(id),
    tool_name         TEXT NOT NULL DEFAULT '' CHECK (length(tool_name) <= 40)
);
CREATE INDEX contacts_client ON contacts(client_id, occurred_at);
CREATE INDEX contacts_follow_up ON contacts(follow_up_of);
CREATE INDEX contacts_tool ON contacts(tool_id) WHERE tool_id IS NOT NULL;
CREATE INDEX contacts_occurred ON contacts(occurred_at);

-- A note is a series of versions; a correction adds a version, history stays.
CREATE TABLE notes (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id  TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
    contact_id     TEXT REFERENCES contacts(id) ON DELETE CASCADE,
    author_id      TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX notes_client ON notes(client_id, created_at);

CREATE TABLE note_versions (
    note_id            TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    version            BIGINT NOT NULL,
    visibility         TEXT NOT NULL CHECK (visibility IN ('shared','restricted','personal')),
    body_sealed        BYTEA NOT NULL,
    reason_sealed      BYTEA,
    author_id          TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (note_id, version)
);

-- Entries the client writes in their own file.
CREATE TABLE entries (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    body_sealed  BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX entries_client ON entries(client_id, created_at);

-- Consents: append-only; a withdrawal is a row in consent_withdrawals.
CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    purpose           TEXT NOT NULL CHECK (purpose IN ('contact_channel','disclosure','statistics')),
    channel           TEXT NOT NULL DEFAULT '',
    recipient_sealed  BYTEA,
    reason_sealed     BYTEA,
    evidence          TEXT NOT NULL CHECK (evidence IN ('verbal','written','online')),
    recorded_by       TEXT NOT NULL,
    granted_at        BIGINT NOT NULL,
    expires_at        BIGINT,
    given_at          BIGINT NOT NULL DEFAULT 0,
    tool_id           TEXT REFERENCES tools(id)
);
CREATE INDEX consents_client ON consents(client_id, purpose, channel);

CREATE TABLE consent_withdrawals (
    consent_id    TEXT PRIMARY KEY REFERENCES consents(id) ON DELETE CASCADE,
    withdrawn_by  TEXT NOT NULL,
    withdrawn_at  BIGINT NOT NULL
);
CREATE INDEX consent_withdrawals_at ON consent_withdrawals(withdrawn_at);

-- The access log: append-only, hash-chained; no foreign key on client_id on
-- purpose: the log outlives the client's data.
CREATE TABLE access_log (
    seq             BIGINT PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    at              BIGINT NOT NULL,
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
    prev_hash       BYTEA NOT NULL,
    hash            BYTEA NOT NULL
);
CREATE INDEX access_log_client ON access_log(client_id, seq);
CREATE INDEX access_log_actor ON access_log(actor_id, seq);
CREATE INDEX access_log_team_events ON access_log(client_id, record_kind, seq) WHERE record_kind = 'team';

-- Signed checkpoints of the chain head (Ed25519).
CREATE TABLE access_checkpoints (
    seq         BIGINT PRIMARY KEY,
    hash        BYTEA NOT NULL,
    at          BIGINT NOT NULL,
    signature   BYTEA NOT NULL
);

CREATE TABLE disclosures (
    id                TEXT PRIMARY KEY,
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    consent_id        TEXT NOT NULL,
    recipient_sealed  BYTEA NOT NULL,
    purpose_sealed    BYTEA NOT NULL,
    record_ids        TEXT NOT NULL,
    disclosed_by      TEXT NOT NULL,
    disclosed_at      BIGINT NOT NULL
);
CREATE INDEX disclosures_client ON disclosures(client_id, disclosed_at);

CREATE TABLE retention_rules (
    kind        TEXT PRIMARY KEY,
    basis       TEXT NOT NULL CHECK (basis IN ('after_close','after_creation')),
    years       BIGINT NOT NULL DEFAULT 0 CHECK (years >= 0),
    days        BIGINT NOT NULL DEFAULT 0 CHECK (days >= 0),
    max_days    BIGINT CHECK (max_days IS NULL OR max_days >= 0),
    action      TEXT NOT NULL CHECK (action IN ('destroy','anonymise')),
    source      TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE legal_holds (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    trajectory_id  TEXT REFERENCES trajectories(id) ON DELETE CASCADE,
    reason_sealed  BYTEA NOT NULL,
    placed_by      TEXT NOT NULL,
    placed_at      BIGINT NOT NULL,
    released_by    TEXT,
    released_at    BIGINT
);
CREATE INDEX legal_holds_client ON legal_holds(client_id, released_at);

CREATE TABLE purge_reports (
    id          TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    trigger     TEXT NOT NULL CHECK (trigger IN ('retention','erasure')),
    client_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('destroy','anonymise','held')),
    count       BIGINT NOT NULL,
    record_ids  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX purge_reports_at ON purge_reports(at, run_id);

CREATE TABLE anonymous_contacts (
    id                TEXT PRIMARY KEY,
    channel           TEXT NOT NULL,
    month             TEXT NOT NULL,
    synchronous       BIGINT NOT NULL,
    duration_minutes  BIGINT NOT NULL,
    anonymised_at     BIGINT NOT NULL
);

CREATE TABLE erasure_requests (
    id                      TEXT PRIMARY KEY,
    client_id               TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    requested_by            TEXT NOT NULL,
    requested_at            BIGINT NOT NULL,
    status                  TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
    decided_by              TEXT,
    decided_at              BIGINT,
    decision_reason_sealed  BYTEA
);
CREATE INDEX erasure_requests_client ON erasure_requests(client_id, requested_at);

CREATE TABLE activation_codes (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code_hash   BYTEA NOT NULL,
    issued_by   TEXT NOT NULL,
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    ended_at   BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE plan_goals (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    from_proposal  TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX plan_goals_client ON plan_goals(client_id, created_at);

CREATE TABLE plan_steps (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_id     TEXT NOT NULL REFERENCES plan_goals(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    done_at     BIGINT
);
CREATE INDEX plan_steps_client ON plan_steps(client_id, created_at);

CREATE TABLE plan_versions (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    text_sealed  BYTEA NOT NULL,
    author_id    TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX plan_versions_client ON plan_versions(client_id, created_at);

CREATE TABLE plan_comments (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    goal_id      TEXT NOT NULL REFERENCES plan_goals(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    text_sealed  BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX plan_comments_client ON plan_comments(client_id, created_at);

CREATE TABLE plan_proposals (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    author_id    TEXT NOT NULL,
    text_sealed  BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT,
    accepted     BIGINT,
    goal_id      TEXT
);
CREATE INDEX plan_proposals_client ON plan_proposals(client_id, created_at);

CREATE TABLE network_members (
    id                 TEXT PRIMARY KEY,
    client_id          TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name_sealed        BYTEA NOT NULL,
    relation_sealed    BYTEA NOT NULL,
    reach_sealed       BYTEA NOT NULL,
    helps_sealed       BYTEA NOT NULL,
    created_at         BIGINT NOT NULL,
    user_id            TEXT UNIQUE REFERENCES users(id),
    ended_at           BIGINT
);
CREATE INDEX network_members_client ON network_members(client_id, created_at);

CREATE TABLE consent_flag_resolutions (
    contact_id     TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    reason_sealed  BYTEA NOT NULL,
    resolved_by    TEXT NOT NULL,
    resolved_at    BIGINT NOT NULL
);
CREATE INDEX consent_flag_resolutions_client ON consent_flag_resolutions(client_id);

CREATE TABLE anonymous_outreach (
    id                TEXT PRIMARY KEY,
    channel           TEXT NOT NULL CHECK (channel IN ('office','home_visit','outreach','video','phone','chat','email','messaging','ehealth_module')),
    place             TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 80),
    topics            TEXT NOT NULL DEFAULT '',
    occurred_at       BIGINT NOT NULL,
    duration_minutes  BIGINT NOT NULL CHECK (duration_minutes BETWEEN 0 AND 1440),
    author_id         TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX anonymous_outreach_at ON anonymous_outreach(occurred_at);

CREATE TABLE anomaly_reviews (
    anomaly_key  TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    client_id    TEXT REFERENCES clients(id) ON DELETE CASCADE,
    note_sealed  BYTEA,
    note_plain   TEXT,
    reviewed_by  TEXT NOT NULL,
    reviewed_at  BIGINT NOT NULL,
    CHECK ((note_sealed IS NULL) <> (note_plain IS NULL))
);

CREATE TABLE tool_recommendations (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    tool_id         TEXT NOT NULL REFERENCES tools(id),
    recommended_by  TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX tool_recommendations_client ON tool_recommendations(client_id);

-- SQLite's instr(text, part), so the store's queries run unchanged here.
CREATE FUNCTION instr(s TEXT, part TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT strpos(s, part)';

-- Append-only tables: updates and deletes raise an exception (SQLSTATE
-- P0001, like SQLite's RAISE(ABORT)); a new access record must come after
-- the head of the chain, which also refuses filling a gap.
-- +goose StatementBegin
CREATE FUNCTION nabij_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION nabij_access_log_after_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM access_log) THEN
        RAISE EXCEPTION 'access_log is append-only';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER access_log_append_only_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER access_log_append_only_insert BEFORE INSERT ON access_log
    FOR EACH ROW EXECUTE FUNCTION nabij_access_log_after_head();
CREATE TRIGGER access_checkpoints_append_only_update BEFORE UPDATE ON access_checkpoints
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER access_checkpoints_append_only_delete BEFORE DELETE ON access_checkpoints
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER purge_reports_append_only_update BEFORE UPDATE ON purge_reports
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();
CREATE TRIGGER purge_reports_append_only_delete BEFORE DELETE ON purge_reports
    FOR EACH ROW EXECUTE FUNCTION nabij_append_only();

-- +goose Down
SELECT 1;
