-- Tenants with their quota and what they use of it; usage moves in the same transaction as the sandbox rows, so a
-- conditional UPDATE of this row is the quota check (atomic on SQLite and PostgreSQL alike).
CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    tier TEXT NOT NULL,
    max_sandboxes BIGINT NOT NULL,
    max_cpu_millis BIGINT NOT NULL,
    max_memory_bytes BIGINT NOT NULL,
    used_sandboxes BIGINT NOT NULL DEFAULT 0,
    used_cpu_millis BIGINT NOT NULL DEFAULT 0,
    used_memory_bytes BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- API keys: only a SHA-256 of the secret is kept. tenant_id NULL is a system key.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NULL
);
CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);

-- node: the engine node the sandbox runs on; container_id is null until the engine created it.
CREATE TABLE sandboxes (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    image TEXT NOT NULL,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    node TEXT NOT NULL,
    container_id TEXT NULL,
    cpu_millis BIGINT NOT NULL,
    memory_bytes BIGINT NOT NULL,
    exit_code BIGINT NULL,
    error TEXT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT uq_sandboxes_tenant_name UNIQUE (tenant_id, name)
);
CREATE INDEX ix_sandboxes_tenant_id ON sandboxes (tenant_id, id);
CREATE INDEX ix_sandboxes_state ON sandboxes (state);
CREATE INDEX ix_sandboxes_node ON sandboxes (node);

CREATE TABLE sandbox_labels (
    sandbox_id TEXT NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (sandbox_id, key)
);
CREATE INDEX ix_sandbox_labels_key_value ON sandbox_labels (key, value);

-- Append-only, hash-chained: hash = SHA-256(prev_hash and the entry's fields). audit_head holds the chain's end, so
-- appends serialise on one row and a removed tail is detected.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    tenant_id TEXT NULL,
    action TEXT NOT NULL,
    target TEXT NULL,
    result TEXT NOT NULL,
    status BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ix_audit_log_tenant ON audit_log (tenant_id, seq);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Server-wide secrets and settings (the JWT signing key), shared by every server on the same database.
CREATE TABLE server_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
