//! Live sizes: the target's table sizes, row estimates and activity, read from the catalog
//! and the statistics views (`pg_class`, `pg_stat_user_tables`) — never from the data —
//! with one query of the lint module's own.

use std::collections::BTreeMap;

use serde::Serialize;
use tokio_postgres::Client;

/// Size and activity of one table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableStats {
    /// Table, TOAST and indexes, in bytes.
    pub bytes: u64,
    /// Live rows (statistics), or the planner's estimate when no statistics exist.
    pub rows: u64,
    /// Sequential and index scans per second since the statistics were reset.
    pub scans_per_s: f64,
    /// Rows inserted, updated and deleted per second since then.
    pub writes_per_s: f64,
}

/// Sizes of every user table (and materialized view) of the target.
#[derive(Debug, Clone, Serialize, Default)]
pub struct LiveSizes {
    /// The target (a redacted URL).
    pub from: String,
    /// `schema.table` → stats.
    pub tables: BTreeMap<String, TableStats>,
    /// `server_version_num`.
    pub server_version: i32,
}

const SIZES_SQL: &str = "
SELECT n.nspname, c.relname,
       pg_catalog.pg_total_relation_size(c.oid)::bigint,
       GREATEST(COALESCE(s.n_live_tup, 0), c.reltuples::bigint, 0)::bigint,
       (COALESCE(s.seq_scan, 0) + COALESCE(s.idx_scan, 0))::float8,
       (COALESCE(s.n_tup_ins, 0) + COALESCE(s.n_tup_upd, 0) + COALESCE(s.n_tup_del, 0))::float8,
       GREATEST(EXTRACT(EPOCH FROM now() - COALESCE(
           (SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = current_database()),
           pg_catalog.pg_postmaster_start_time())), 1)::float8,
       current_setting('server_version_num')::int
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

/// Reads the sizes in one read-only query.
pub async fn read(client: &Client, from: String) -> Result<LiveSizes, tokio_postgres::Error> {
    let rows = client.query(SIZES_SQL, &[]).await?;
    let mut sizes = LiveSizes {
        from,
        ..LiveSizes::default()
    };
    for row in rows {
        let schema: String = row.get(0);
        let name: String = row.get(1);
        let bytes: i64 = row.get(2);
        let rows_n: i64 = row.get(3);
        let scans: f64 = row.get(4);
        let writes: f64 = row.get(5);
        let seconds: f64 = row.get(6);
        sizes.server_version = row.get(7);
        sizes.tables.insert(
            format!("{schema}.{name}"),
            TableStats {
                bytes: bytes.max(0) as u64,
                rows: rows_n.max(0) as u64,
                scans_per_s: scans / seconds,
                writes_per_s: writes / seconds,
            },
        );
    }
    Ok(sizes)
}
