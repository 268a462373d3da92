-- +goose Up
-- INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers
-- (SQLite fires them then only with recursive_triggers on), so the append-only
-- triggers of 00001 let a record be replaced in place. A new record must come
-- after the head of the chain; that also refuses filling a gap left by a deletion.
-- +goose StatementBegin
CREATE TRIGGER access_log_append_only_insert BEFORE INSERT ON access_log
WHEN NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM access_log)
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS access_log_append_only_insert;
