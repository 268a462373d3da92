-- +goose Up
-- When each professional last opened each client's file: the access-log
-- position (seq) and time of that read, written in the same transaction as
-- its access record. The caseload counts what changed in the log after it.
-- Ids and times only, like the access log.
CREATE TABLE last_looked (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- +goose Down
DROP TABLE last_looked;
