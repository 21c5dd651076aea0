-- The egress ceiling the system admin sets per tenant: may its sandboxes be open, and which destinations (rules, one
-- per line) may an allowlist name beyond public host names. Tenants from before may be open, as "bridge" always let
-- them, and name no address rule.
ALTER TABLE tenants ADD COLUMN egress_open BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN egress_allow TEXT NOT NULL DEFAULT '';

-- One row per connection an allowlist sandbox made through the egress proxy its server hosts. id starts with the
-- connection's time (microseconds, hex), so a sandbox's records page in time order. Removed with the sandbox.
CREATE TABLE egress_records (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    sandbox_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    protocol TEXT NOT NULL,
    host TEXT NOT NULL,
    port BIGINT NOT NULL,
    address TEXT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    bytes_up BIGINT NOT NULL,
    bytes_down BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX ix_egress_records_sandbox ON egress_records (tenant_id, sandbox_id, id);
