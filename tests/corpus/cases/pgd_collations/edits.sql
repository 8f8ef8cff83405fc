CREATE COLLATION c_again (provider = libc, locale = 'C');
ALTER TABLE name_list ALTER COLUMN alias TYPE text COLLATE c_again;
DROP COLLATION "Sorted Names";
ALTER TABLE name_list ADD COLUMN nick short_name;
DROP INDEX name_list_name;
CREATE INDEX name_list_name ON name_list (name COLLATE c_again DESC);
COMMENT ON COLLATION c_bytes IS NULL;
ALTER COLLATION posix_copy OWNER TO corpus_owner;
COMMENT ON COLLATION c_again IS 'plain C';
