-- +goose Up
-- A client's access log also lists the team memberships that opened their
-- file; those records name no client (a team holds many). This index finds
-- them without scanning every record that names no client.
CREATE INDEX access_log_team_events ON access_log(client_id, record_kind, seq) WHERE record_kind = 'team';

-- +goose Down
DROP INDEX IF EXISTS access_log_team_events;
