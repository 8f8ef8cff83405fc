-- Renames as a team does them: strata cannot tell a rename from a drop and an add, so the
-- script drops and creates (marked as losing data) — the result must still be the schema.
CREATE TABLE author (id int PRIMARY KEY, full_name text, born date);
CREATE TABLE book (id int PRIMARY KEY, author_id int REFERENCES author, title text);
CREATE INDEX book_title ON book (title);
CREATE VIEW book_list AS SELECT b.title, a.full_name FROM book b JOIN author a ON a.id = b.author_id;
CREATE FUNCTION author_age(a author) RETURNS int LANGUAGE sql STABLE AS $$ SELECT extract(year FROM age(a.born))::int $$;
CREATE TYPE genre AS ENUM ('fiction', 'poetry');
CREATE SEQUENCE isbn_seq;
