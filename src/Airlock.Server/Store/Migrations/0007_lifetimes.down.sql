DROP INDEX ix_sandboxes_expires_at;
ALTER TABLE sandboxes DROP COLUMN last_active_at;
ALTER TABLE sandboxes DROP COLUMN idle_timeout_ms;
ALTER TABLE sandboxes DROP COLUMN on_timeout;
ALTER TABLE sandboxes DROP COLUMN expires_at;
