DROP TABLE sandbox_authorities;
DROP TABLE sandbox_secrets;
DROP TABLE tenant_secrets;
DELETE FROM server_settings WHERE name = 'secrets-key-id';
