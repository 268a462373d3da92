-- +goose Up
-- A retention rule may keep records until the client's Nth birthday
-- (basis until_age, N in age: Flemish youth care keeps the file until the
-- young person turns 35). SQLite cannot change a CHECK constraint, so the
-- table is rebuilt; nothing references it.
CREATE TABLE retention_rules_new (
    kind        TEXT PRIMARY KEY,
    basis       TEXT NOT NULL CHECK (basis IN ('after_close','after_creation','until_age')),
    years       INTEGER NOT NULL DEFAULT 0 CHECK (years >= 0),
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    max_days    INTEGER CHECK (max_days IS NULL OR max_days >= 0),
    action      TEXT NOT NULL CHECK (action IN ('destroy','anonymise')),
    source      TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    age         INTEGER CHECK (age IS NULL OR age BETWEEN 1 AND 120),
    CHECK ((basis = 'until_age') = (age IS NOT NULL))
);
INSERT INTO retention_rules_new (kind, basis, years, days, max_days, action, source, updated_by, updated_at)
    SELECT kind, basis, years, days, max_days, action, source, updated_by, updated_at FROM retention_rules;
DROP TABLE retention_rules;
ALTER TABLE retention_rules_new RENAME TO retention_rules;

-- +goose Down
DELETE FROM retention_rules WHERE basis = 'until_age';
CREATE TABLE retention_rules_old (
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
INSERT INTO retention_rules_old SELECT kind, basis, years, days, max_days, action, source, updated_by, updated_at FROM retention_rules;
DROP TABLE retention_rules;
ALTER TABLE retention_rules_old RENAME TO retention_rules;
