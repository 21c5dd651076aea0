DROP TABLE egress_records;
ALTER TABLE tenants DROP COLUMN egress_allow;
ALTER TABLE tenants DROP COLUMN egress_open;
