DROP TABLE tenant_images;
ALTER TABLE tenants DROP COLUMN generation;
