ALTER PUBLICATION sales ADD TABLE audit_log;
ALTER PUBLICATION sales DROP TABLE customer;
ALTER PUBLICATION sales SET (publish = 'insert, update, delete, truncate');
ALTER PUBLICATION metrics SET (publish_via_partition_root = false);
DROP PUBLICATION everything;
ALTER PUBLICATION empty_pub ADD TABLE customer;
ALTER PUBLICATION empty_pub OWNER TO corpus_owner;
CREATE PUBLICATION deletes_only FOR TABLE orders WITH (publish = 'delete');
COMMENT ON PUBLICATION sales IS 'to the warehouse and the auditors';
