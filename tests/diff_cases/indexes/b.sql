CREATE TABLE docs (id int PRIMARY KEY, title text, body text, tags text[], created date);
CREATE UNIQUE INDEX docs_title ON docs (title) WHERE created IS NOT NULL;
CREATE INDEX docs_created ON docs USING brin (created);
CREATE INDEX docs_tags ON docs USING gin (tags);
CREATE INDEX docs_body_hash ON docs USING hash (body);
CREATE INDEX docs_title_desc ON docs (title DESC NULLS LAST, id) INCLUDE (created);
