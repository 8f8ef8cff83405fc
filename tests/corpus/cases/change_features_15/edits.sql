ALTER SEQUENCE scratch_seq SET LOGGED;
CREATE UNLOGGED SEQUENCE temp_ids;
ALTER TABLE account DROP CONSTRAINT account_email;
ALTER TABLE account ADD CONSTRAINT account_email UNIQUE (tenant_id, email);
ALTER VIEW my_posts SET (security_invoker = false);
ALTER TABLE post DROP CONSTRAINT post_tenant_id_author_id_fkey;
ALTER TABLE post ADD FOREIGN KEY (tenant_id, author_id) REFERENCES account ON DELETE SET DEFAULT (author_id);
DROP INDEX post_author_nnd;
CREATE UNIQUE INDEX post_author_nnd ON post (tenant_id, author_id) NULLS NOT DISTINCT;
