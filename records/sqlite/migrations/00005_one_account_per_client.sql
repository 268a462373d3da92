-- +goose Up
-- One account per client: a second account linked to the same client would be
-- a second key to their file.
CREATE UNIQUE INDEX users_one_per_client ON users(client_id) WHERE client_id IS NOT NULL;

-- +goose Down
DROP INDEX IF EXISTS users_one_per_client;
