-- Indexes: every access method, partial, expression, INCLUDE, opclasses and collations,
-- ordering, storage parameters, unique, on a materialized view.
CREATE TABLE place (
    id int PRIMARY KEY,
    name text,
    kind text,
    tags text[],
    geo point,
    area box,
    seen timestamptz,
    doc tsvector,
    ip inet,
    attrs jsonb
);
CREATE INDEX place_name_lower ON place (lower(name) text_pattern_ops);
CREATE INDEX place_kind_partial ON place (kind) WHERE kind IS NOT NULL AND kind <> 'other';
CREATE INDEX place_seen_desc ON place (seen DESC NULLS LAST, id) INCLUDE (name);
CREATE INDEX place_tags ON place USING gin (tags);
CREATE INDEX place_attrs ON place USING gin (attrs jsonb_path_ops);
CREATE INDEX place_geo ON place USING gist (geo);
CREATE INDEX place_area ON place USING spgist (area);
CREATE INDEX place_seen_brin ON place USING brin (seen) WITH (pages_per_range = 32);
CREATE INDEX place_name_hash ON place USING hash (name);
CREATE INDEX place_doc ON place USING gin (doc) WITH (fastupdate = off);
CREATE UNIQUE INDEX place_name_kind ON place (name COLLATE "C", kind) WITH (fillfactor = 80);
CREATE INDEX place_ip ON place USING gist (ip inet_ops);
CREATE MATERIALIZED VIEW place_kinds AS SELECT kind, count(*) AS n FROM place GROUP BY kind;
CREATE UNIQUE INDEX place_kinds_kind ON place_kinds (kind);
COMMENT ON INDEX place_seen_desc IS 'recent places first';
