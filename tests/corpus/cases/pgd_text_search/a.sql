-- Text search: a parser and templates built on the server's own functions, dictionaries
-- with options, configurations copied and remapped, used by an index and a column.
CREATE SCHEMA ts;
CREATE TEXT SEARCH PARSER ts.plain (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
    LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH TEMPLATE ts.simple_tpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY ts.english_stem (TEMPLATE = snowball, Language = english, StopWords = english);
CREATE TEXT SEARCH DICTIONARY ts.plain_dict (TEMPLATE = ts.simple_tpl, StopWords = english, Accept = false);
CREATE TEXT SEARCH CONFIGURATION ts.docs (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION ts.docs ALTER MAPPING FOR asciiword, word WITH ts.english_stem, simple;
ALTER TEXT SEARCH CONFIGURATION ts.docs DROP MAPPING FOR email, url, url_path;
CREATE TEXT SEARCH CONFIGURATION ts.codes (PARSER = ts.plain);
ALTER TEXT SEARCH CONFIGURATION ts.codes ADD MAPPING FOR asciiword, numword WITH ts.plain_dict;
CREATE TABLE article (id int PRIMARY KEY, body text, search tsvector GENERATED ALWAYS AS (to_tsvector('ts.docs', body)) STORED);
CREATE INDEX article_search ON article USING gin (search);
CREATE INDEX article_codes ON article USING gin (to_tsvector('ts.codes', body));
COMMENT ON TEXT SEARCH CONFIGURATION ts.docs IS 'articles';
COMMENT ON TEXT SEARCH DICTIONARY ts.english_stem IS 'english stems';
