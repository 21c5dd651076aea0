DROP TABLE server_settings;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE sandbox_labels;
DROP TABLE sandboxes;
DROP TABLE api_keys;
DROP TABLE tenants;
