ALTER TABLE author RENAME COLUMN full_name TO name;
ALTER TABLE book RENAME TO title;
ALTER INDEX book_title RENAME TO title_title;
ALTER VIEW book_list RENAME TO title_list;
ALTER FUNCTION author_age(author) RENAME TO age_of;
ALTER TYPE genre RENAME TO book_genre;
ALTER TYPE book_genre RENAME VALUE 'poetry' TO 'verse';
ALTER SEQUENCE isbn_seq RENAME TO isbn_numbers;
ALTER TABLE title RENAME CONSTRAINT book_author_id_fkey TO title_author_fk;
