-- +goose Up
-- One-time activation codes: an account starts without a password and its
-- holder sets their own with the code, so nobody chooses another person's
-- password. Only the code's hash is kept; one code per account, replaced when
-- a new one is issued, deleted when used.
CREATE TABLE activation_codes (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code_hash   BLOB NOT NULL,
    issued_by   TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS activation_codes;
