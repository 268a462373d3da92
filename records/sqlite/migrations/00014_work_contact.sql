-- +goose Up
-- How a professional is reached at work (a work phone number or e-mail
-- address), shown to the clients on their caseload. It is the professional's
-- work contact, not personal data of a client, so it is not sealed.
ALTER TABLE users ADD COLUMN work_contact TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN work_contact;
