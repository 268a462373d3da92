-- +goose Up
-- State that every instance serving this database must share, so that it
-- holds with several instances behind a load balancer (records.Shared).

-- Failed attempts per throttling key: a keyed hash of (account, address) or of
-- an address, never the username or address itself. A row no failure touched
-- for its rule's forget time is deleted by the next attempt.
CREATE TABLE throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    until_at INTEGER NOT NULL
);
CREATE INDEX throttle_last_at ON throttle(last_at);

-- Turns for work one instance at a time may do (the daily retention run): who
-- holds it (an instance's random id), since when and until when.
CREATE TABLE turns (
    name     TEXT PRIMARY KEY,
    holder   TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    until_at INTEGER NOT NULL
);

-- The last 30-second TOTP step each account used, so a code is accepted once
-- whichever instance sees it.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN totp_last_step;
DROP TABLE IF EXISTS turns;
DROP TABLE IF EXISTS throttle;
