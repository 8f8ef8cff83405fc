-- Tables of a small shop: persistence, defaults, identity, generated columns, checks,
-- storage and statistics settings, replica identity, clustering, comments.
CREATE SCHEMA shop;

CREATE TABLE shop.customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    full_name text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    tags text[] DEFAULT '{}'::text[],
    CONSTRAINT customer_email_lower CHECK (email = lower(email))
);
CREATE UNIQUE INDEX customer_email_key ON shop.customer (email);

CREATE TABLE shop.product (
    sku varchar(32) PRIMARY KEY,
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    vat_rate numeric(4,3) NOT NULL DEFAULT 0.200,
    price_with_vat numeric GENERATED ALWAYS AS (price_cents * (1 + vat_rate)) STORED,
    description text
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE shop.product ALTER COLUMN description SET STORAGE EXTERNAL;
ALTER TABLE shop.product ALTER COLUMN title SET STATISTICS 500;

CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customer (id) ON DELETE RESTRICT,
    placed_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'new',
    note text COLLATE "C"
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id, placed_at DESC);
ALTER TABLE shop.orders CLUSTER ON orders_customer_idx;

CREATE TABLE shop.order_line (
    order_id bigint NOT NULL REFERENCES shop.orders ON DELETE CASCADE,
    line_no smallint NOT NULL,
    sku varchar(32) NOT NULL REFERENCES shop.product (sku) ON UPDATE CASCADE,
    quantity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_line_quantity_positive CHECK (quantity > 0) NOT VALID
);
ALTER TABLE shop.order_line REPLICA IDENTITY FULL;

CREATE UNLOGGED TABLE shop.cart_session (
    token uuid PRIMARY KEY,
    customer_id bigint REFERENCES shop.customer (id) DEFERRABLE INITIALLY DEFERRED,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    expires_at timestamptz NOT NULL
);

COMMENT ON TABLE shop.customer IS 'people who buy';
COMMENT ON COLUMN shop.customer.email IS 'always lower case';
COMMENT ON CONSTRAINT customer_email_lower ON shop.customer IS 'emails are compared lower-cased';
COMMENT ON INDEX shop.orders_customer_idx IS 'latest orders of a customer';
