-- The isolation levels (container, gvisor) the system admin lets each tenant use, comma-separated, and the level its
-- sandboxes get when a create names none. Tenants from before may use every level and default to an ordinary container,
-- which is what they had.
ALTER TABLE tenants ADD COLUMN isolation_levels TEXT NOT NULL DEFAULT 'container,gvisor';
ALTER TABLE tenants ADD COLUMN isolation_default TEXT NOT NULL DEFAULT 'container';
