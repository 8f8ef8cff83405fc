-- Collations (libc) used by columns, indexes and domains.
CREATE COLLATION c_bytes FROM "C";
CREATE COLLATION posix_copy (provider = libc, locale = 'POSIX');
CREATE COLLATION "Sorted Names" (lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE name_list (id int PRIMARY KEY, name text COLLATE c_bytes, alias text COLLATE "Sorted Names");
CREATE INDEX name_list_name ON name_list (name COLLATE posix_copy);
CREATE DOMAIN short_name AS varchar(20) COLLATE posix_copy;
COMMENT ON COLLATION c_bytes IS 'byte order';
