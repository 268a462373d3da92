-- +goose Up
-- A file read lists one page of a client's notes, newest first by
-- (created_at, id), and then reads those notes with their trajectory,
-- contact and author. With every one of those columns in the client's note
-- index both steps read only the index, a few adjacent pages, instead of
-- one table row per note scattered over the whole table.
DROP INDEX notes_client;
CREATE INDEX notes_client ON notes(client_id, created_at, id, trajectory_id, contact_id, author_id);

-- +goose Down
DROP INDEX notes_client;
CREATE INDEX notes_client ON notes(client_id, created_at);
