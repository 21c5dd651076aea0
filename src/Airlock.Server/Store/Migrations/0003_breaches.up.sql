-- The token signing key leaves the database for its own 0600 file (--signing-key-file). The key kept here was readable
-- by whoever could read the database file (created 0644 before), so it is retired, not moved: tokens signed with it
-- stop working, and clients mint new ones from their API keys.
DELETE FROM server_settings WHERE name = 'jwt-signing-key';

-- A random value given to a tenant when it is created: a token carries it, so a token of a deleted tenant never reaches
-- a new tenant of the same id. Tenants from before get '' (a re-created tenant gets a fresh value, never '').
ALTER TABLE tenants ADD COLUMN generation TEXT NOT NULL DEFAULT '';

-- Images the system admin allows one tenant besides the server-wide --allow-image list.
CREATE TABLE tenant_images (
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    PRIMARY KEY (tenant_id, reference)
);
