CREATE TABLE docs (id int PRIMARY KEY, title text, body text, tags text[], created date);
CREATE INDEX docs_title ON docs (title);
CREATE INDEX docs_created ON docs (created);
CREATE INDEX docs_old ON docs (lower(title));
