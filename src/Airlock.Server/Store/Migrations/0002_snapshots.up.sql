-- Snapshots: a sandbox's filesystem committed to an image on the sandbox's node. The row is written (state creating)
-- before the engine commits, so a crash leaves a row the reconciler can clean up with its image. sandbox_id is the
-- source and may outlive it, hence no foreign key.
CREATE TABLE snapshots (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    sandbox_id TEXT NOT NULL,
    node TEXT NOT NULL,
    image TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uq_snapshots_tenant_name UNIQUE (tenant_id, name)
);
CREATE INDEX ix_snapshots_tenant_id ON snapshots (tenant_id, id);
CREATE INDEX ix_snapshots_node ON snapshots (node);
