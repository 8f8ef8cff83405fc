-- corpus: min_version 15
-- PostgreSQL 15's additions: NULLS NOT DISTINCT, unlogged sequences, security_invoker
-- views, ON DELETE SET NULL of some columns, MERGE-era nothing; column lists on FKs.
CREATE UNLOGGED SEQUENCE scratch_seq;
CREATE TABLE tenant (id int PRIMARY KEY);
CREATE TABLE account (
    tenant_id int NOT NULL REFERENCES tenant,
    id int NOT NULL,
    email text,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT account_email UNIQUE NULLS NOT DISTINCT (tenant_id, email)
);
CREATE TABLE post (
    tenant_id int NOT NULL,
    id int NOT NULL,
    author_id int,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES account ON DELETE SET NULL (author_id)
);
CREATE VIEW my_posts WITH (security_invoker = true) AS SELECT * FROM post;
CREATE UNIQUE INDEX post_author_nnd ON post (author_id) NULLS NOT DISTINCT WHERE author_id IS NOT NULL;
