-- Partitions that come and go by ATTACH and DETACH: the table keeps its columns, keys,
-- indexes and rows; only its bound changes.
CREATE TABLE event (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX event_kind ON event (kind);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_staging (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at));
CREATE INDEX event_staging_kind ON event_staging (kind);
CREATE INDEX event_2025_at ON event_2025 (at);
