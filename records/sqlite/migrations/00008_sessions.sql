-- +goose Up
-- A session is one sign-in. Access tokens carry its id and refresh tokens are
-- one family with the same id, so ending it (sign-out) refuses both at once,
-- and its creation time bounds how long it lasts whatever the activity.
-- Refresh families from before sessions have no row here and rotate no more:
-- those people sign in again.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);

-- +goose Down
DROP TABLE IF EXISTS sessions;
