-- +goose Up
-- A retention rule may keep records until the client's Nth birthday
-- (basis until_age, N in age: Flemish youth care keeps the file until the
-- young person turns 35).
ALTER TABLE retention_rules ADD COLUMN age BIGINT CHECK (age IS NULL OR age BETWEEN 1 AND 120);
ALTER TABLE retention_rules DROP CONSTRAINT retention_rules_basis_check;
ALTER TABLE retention_rules ADD CONSTRAINT retention_rules_basis_check
    CHECK (basis IN ('after_close','after_creation','until_age'));
ALTER TABLE retention_rules ADD CONSTRAINT retention_rules_age_basis_check
    CHECK ((basis = 'until_age') = (age IS NOT NULL));

-- +goose Down
DELETE FROM retention_rules WHERE basis = 'until_age';
ALTER TABLE retention_rules DROP CONSTRAINT retention_rules_age_basis_check;
ALTER TABLE retention_rules DROP CONSTRAINT retention_rules_basis_check;
ALTER TABLE retention_rules ADD CONSTRAINT retention_rules_basis_check
    CHECK (basis IN ('after_close','after_creation'));
ALTER TABLE retention_rules DROP COLUMN age;
