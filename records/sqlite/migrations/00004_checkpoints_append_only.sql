-- +goose Up
-- Signed checkpoints are append-only like the log they vouch for.
-- +goose StatementBegin
CREATE TRIGGER access_checkpoints_append_only_update BEFORE UPDATE ON access_checkpoints
BEGIN SELECT RAISE(ABORT, 'access_checkpoints is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_checkpoints_append_only_delete BEFORE DELETE ON access_checkpoints
BEGIN SELECT RAISE(ABORT, 'access_checkpoints is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS access_checkpoints_append_only_update;
DROP TRIGGER IF EXISTS access_checkpoints_append_only_delete;
