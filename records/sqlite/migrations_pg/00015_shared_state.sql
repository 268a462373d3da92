-- +goose Up
-- PostgreSQL twin of migrations/00015_shared_state.sql: state that every
-- instance serving this database must share (records.Shared).

CREATE TABLE throttle (
    key      TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at  BIGINT NOT NULL,
    until_at BIGINT NOT NULL
);
CREATE INDEX throttle_last_at ON throttle(last_at);

CREATE TABLE turns (
    name     TEXT PRIMARY KEY,
    holder   TEXT NOT NULL,
    taken_at BIGINT NOT NULL,
    until_at BIGINT NOT NULL
);

ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN totp_last_step;
DROP TABLE IF EXISTS turns;
DROP TABLE IF EXISTS throttle;
