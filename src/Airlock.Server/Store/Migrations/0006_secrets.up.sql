-- Tenant secrets: a value the egress proxy of a tenant's allowlist sandboxes puts into requests to the secret's hosts,
-- which the sandbox itself never sees. The value is sealed with the server's secrets key (AES-256-GCM, kept outside the
-- database), bound to its tenant and name; key_id names that key. hosts: egress rules, one per line.
CREATE TABLE tenant_secrets (
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    variable TEXT NOT NULL,
    hosts TEXT NOT NULL,
    injection TEXT NOT NULL,
    key_id TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- The secrets a sandbox was created with: the variable it sees each in and the placeholder it holds instead of the
-- value (worth nothing outside its proxy). The value is read from tenant_secrets when the proxy is hosted.
CREATE TABLE sandbox_secrets (
    sandbox_id TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    variable TEXT NOT NULL,
    placeholder TEXT NOT NULL,
    PRIMARY KEY (sandbox_id, name)
);
CREATE INDEX ix_sandbox_secrets_name ON sandbox_secrets (tenant_id, name);

-- The certificate authority a sandbox with secrets trusts (PKCS#12 with its key, sealed like a secret's value), so a
-- restarted server serves the sandbox with the authority it already trusts.
CREATE TABLE sandbox_authorities (
    sandbox_id TEXT PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    authority TEXT NOT NULL
);
