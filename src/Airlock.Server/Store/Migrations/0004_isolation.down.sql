ALTER TABLE tenants DROP COLUMN isolation_default;
ALTER TABLE tenants DROP COLUMN isolation_levels;
