-- A sandbox's lifetime: when it ends (expires_at, Unix ms; extended by the API), what ending means (on_timeout: stop or
-- delete), how long it may sit unused (idle_timeout_ms) and when it was last used through the API (last_active_at).
-- All null for sandboxes made before, which live until deleted, as they did.
ALTER TABLE sandboxes ADD COLUMN expires_at BIGINT;
ALTER TABLE sandboxes ADD COLUMN on_timeout TEXT;
ALTER TABLE sandboxes ADD COLUMN idle_timeout_ms BIGINT;
ALTER TABLE sandboxes ADD COLUMN last_active_at BIGINT;
CREATE INDEX ix_sandboxes_expires_at ON sandboxes (expires_at);
