-- A release of the shop.
ALTER TABLE shop.customer ADD COLUMN phone text;
ALTER TABLE shop.customer ALTER COLUMN full_name DROP DEFAULT;
ALTER TABLE shop.product ALTER COLUMN title TYPE varchar(200);
ALTER TABLE shop.product SET (fillfactor = 70);
ALTER TABLE shop.product RESET (autovacuum_vacuum_scale_factor);
ALTER TABLE shop.orders ALTER COLUMN status SET DEFAULT 'pending';
ALTER TABLE shop.orders SET WITHOUT CLUSTER;
ALTER TABLE shop.order_line VALIDATE CONSTRAINT order_line_quantity_positive;
ALTER TABLE shop.order_line REPLICA IDENTITY DEFAULT;
ALTER TABLE shop.cart_session SET LOGGED;
ALTER TABLE shop.product ALTER COLUMN title SET STATISTICS -1;
COMMENT ON COLUMN shop.customer.email IS NULL;
COMMENT ON TABLE shop.orders IS 'one per checkout';
DROP INDEX shop.customer_email_key;
ALTER TABLE shop.customer ADD CONSTRAINT customer_email_key UNIQUE (email);
