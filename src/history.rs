//! The history table (`schema_migrations` by default): which migrations are applied, with
//! their checksums, timings and who applied them; also the progress of a migration that
//! runs outside a transaction.

use chrono::{DateTime, Utc};
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row};

use crate::local::quote_ident;
use crate::migration::Migration;

/// State of a history row.
pub const STATE_APPLIED: &str = "applied";
/// A non-transactional migration that stopped part-way (failed or interrupted).
pub const STATE_PARTIAL: &str = "partial";

/// One row of the history table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryRow {
    pub version: i64,
    pub name: String,
    pub phase: String,
    pub checksum: String,
    pub checksum_normalized: Option<String>,
    pub applied_at: DateTime<Utc>,
    pub execution_ms: i64,
    pub applied_by: String,
    /// `applied`, or `partial` for a non-transactional migration that stopped part-way.
    pub state: String,
    /// For `partial`: how many statements completed.
    pub statements_done: Option<i32>,
    /// For `partial`: the error that stopped it, if it failed rather than being killed.
    pub error: Option<String>,
    /// The up script as it ran (absent in rows written by a strata before 0.1).
    #[serde(skip)]
    pub script: Option<String>,
}

impl HistoryRow {
    /// A row of the history query in `History::load`, read by position (its columns are in
    /// that query's order); its `script` is read by a second query, where needed.
    fn from_row(row: &Row) -> HistoryRow {
        HistoryRow {
            version: row.get(0),
            name: row.get(1),
            phase: row.get(2),
            checksum: row.get(3),
            checksum_normalized: row.get(4),
            applied_at: row.get(5),
            execution_ms: row.get(6),
            applied_by: row.get(7),
            state: row.get(8),
            statements_done: row.get(9),
            error: row.get(10),
            script: None,
        }
    }

    pub fn is_partial(&self) -> bool {
        self.state == STATE_PARTIAL
    }
}

/// Where the history lives; identifiers are always quoted.
#[derive(Debug, Clone)]
pub struct History {
    pub schema: String,
    pub table: String,
}

/// Quotes a string as an SQL literal (as libpq's PQescapeLiteral does).
pub fn quote_literal(value: &str) -> String {
    if value.contains('\\') {
        format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

impl History {
    pub fn new(schema: &str, table: &str) -> History {
        History {
            schema: schema.into(),
            table: table.into(),
        }
    }

    /// `"schema"."table"`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.table))
    }

    /// True when the history table exists.
    pub async fn exists(&self, client: &Client) -> Result<bool, tokio_postgres::Error> {
        // query_typed: one round trip (no separate prepare), as status runs on every CI job.
        let rows = client
            .query_typed(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)",
                &[(&self.schema, Type::TEXT), (&self.table, Type::TEXT)],
            )
            .await?;
        Ok(rows.first().is_some_and(|r| r.get(0)))
    }

    /// Creates the schema and table when missing. Call with strata's lock held.
    pub async fn ensure(&self, client: &Client) -> Result<(), tokio_postgres::Error> {
        if self.exists(client).await? {
            // Tables made by an earlier strata lack the newer columns.
            return client
                .batch_execute(&format!(
                    "ALTER TABLE {} ADD COLUMN IF NOT EXISTS script text",
                    self.qualified()
                ))
                .await;
        }
        client.batch_execute(&self.create_sql()).await
    }

    /// The SQL that creates the history schema and table.
    pub fn create_sql(&self) -> String {
        format!(
                "CREATE SCHEMA IF NOT EXISTS {schema};
                 CREATE TABLE IF NOT EXISTS {table} (
                     version bigint PRIMARY KEY,
                     name text NOT NULL,
                     phase text NOT NULL,
                     checksum text NOT NULL,
                     checksum_normalized text,
                     applied_at timestamptz NOT NULL DEFAULT now(),
                     execution_ms bigint NOT NULL DEFAULT 0,
                     applied_by text NOT NULL,
                     state text NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'partial')),
                     statements_done integer,
                     error text,
                     script text
                 );
                 COMMENT ON TABLE {table} IS 'strata migration history: one row per applied migration';",
            schema = quote_ident(&self.schema),
            table = self.qualified(),
        )
    }

    /// All rows, by version; empty when the table does not exist yet. A row's `script` is
    /// read only where the project's checksum for that version (`expected`) differs or the
    /// project has no such version: the one case where it is shown; the other scripts stay
    /// on the server.
    pub async fn load(
        &self,
        client: &Client,
        expected: &[(i64, &str)],
    ) -> Result<Vec<HistoryRow>, tokio_postgres::Error> {
        // One round trip: does the table exist, and does it have the script column (tables
        // made by a strata before 0.1 do not)?
        let rows = client
            .query_typed(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'script' AND NOT a.attisdropped) \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
                &[(&self.schema, Type::TEXT), (&self.table, Type::TEXT)],
            )
            .await?;
        let Some(with_script) = rows.first().map(|r| r.get::<_, bool>(0)) else {
            return Ok(Vec::new());
        };
        // In the order `HistoryRow::from_row` reads them.
        let columns =
            "h.version, h.name, h.phase, h.checksum, h.checksum_normalized, h.applied_at, \
                       h.execution_ms, h.applied_by, h.state, h.statements_done, h.error";
        let rows = client
            .query_typed(
                &format!(
                    "SELECT {columns} FROM {} h ORDER BY h.version",
                    self.qualified()
                ),
                &[],
            )
            .await?;
        let mut rows: Vec<HistoryRow> = rows.iter().map(HistoryRow::from_row).collect();
        if !with_script {
            return Ok(rows);
        }
        // The scripts of the rows whose checksum is not the project's, compared here: an
        // up-to-date database (the common case) costs no second query, and the project's
        // checksums are not sent to the server to be joined there.
        let expected: std::collections::HashMap<i64, &str> = expected.iter().copied().collect();
        let differing: Vec<i64> = rows
            .iter()
            .filter(|r| expected.get(&r.version) != Some(&r.checksum.as_str()))
            .map(|r| r.version)
            .collect();
        if differing.is_empty() {
            return Ok(rows);
        }
        let scripts = client
            .query_typed(
                &format!(
                    "SELECT h.version, h.script FROM {} h WHERE h.version = ANY($1)",
                    self.qualified()
                ),
                &[(&differing, Type::INT8_ARRAY)],
            )
            .await?;
        let mut scripts: std::collections::HashMap<i64, Option<String>> =
            scripts.iter().map(|r| (r.get(0), r.get(1))).collect();
        for row in &mut rows {
            if let Some(script) = scripts.remove(&row.version) {
                row.script = script;
            }
        }
        Ok(rows)
    }

    /// SQL that records `m` as applied, measuring its time from the start of the current
    /// query message (so it can end the same round trip as the migration itself).
    pub fn insert_applied_sql(&self, m: &Migration) -> String {
        format!(
            "INSERT INTO {table} (version, name, phase, checksum, checksum_normalized, execution_ms, applied_by, state, script) \
             VALUES ({version}, {name}, {phase}, {checksum}, {norm}, \
             (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::bigint, \
             current_user || ' (strata {strata})', 'applied', {script})",
            table = self.qualified(),
            version = m.version,
            name = quote_literal(&m.name),
            phase = quote_literal(&m.phase),
            checksum = quote_literal(&m.checksum),
            norm = quote_literal(&m.checksum_normalized),
            strata = env!("CARGO_PKG_VERSION"),
            script = quote_literal(&m.up_sql),
        )
    }

    /// Records that the file of an applied migration is now `m` (after `repair`).
    pub async fn rerecord(
        &self,
        client: &Client,
        m: &Migration,
    ) -> Result<u64, tokio_postgres::Error> {
        client
            .execute_typed(
                &format!(
                    "UPDATE {} SET checksum = $2, checksum_normalized = $3, script = $4 WHERE version = $1 AND state = 'applied'",
                    self.qualified()
                ),
                &[
                    (&m.version, Type::INT8),
                    (&m.checksum, Type::TEXT),
                    (&m.checksum_normalized, Type::TEXT),
                    (&m.up_sql, Type::TEXT),
                ],
            )
            .await
    }

    /// SQL that forgets `version`.
    pub fn delete_sql(&self, version: i64) -> String {
        format!("DELETE FROM {} WHERE version = {version}", self.qualified())
    }

    /// SQL that forgets migration `m`: its version, and for a squash the versions it
    /// replaced (a database that ran them before the squash holds their rows).
    pub fn delete_migration_sql(&self, m: &Migration) -> String {
        if m.squashes.is_empty() {
            return self.delete_sql(m.version);
        }
        let list: Vec<String> = m
            .squashes
            .iter()
            .chain(std::iter::once(&m.version))
            .map(i64::to_string)
            .collect();
        format!(
            "DELETE FROM {} WHERE version IN ({})",
            self.qualified(),
            list.join(", ")
        )
    }

    /// Records progress of a non-transactional migration: `done` statements completed,
    /// and the error that stopped it, if any; `finished` marks it applied.
    pub async fn record_progress(
        &self,
        client: &Client,
        m: &Migration,
        done: i32,
        elapsed_ms: i64,
        error: Option<&str>,
        finished: bool,
    ) -> Result<(), tokio_postgres::Error> {
        let state = if finished {
            STATE_APPLIED
        } else {
            STATE_PARTIAL
        };
        let statements_done: Option<i32> = (!finished).then_some(done);
        client
            .execute_typed(
                &format!(
                    "INSERT INTO {} (version, name, phase, checksum, checksum_normalized, execution_ms, applied_by, state, statements_done, error, script)
                     VALUES ($1, $2, $3, $4, $5, $6, current_user || ' (strata {})', $7, $8, $9, $10)
                     ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum,
                       checksum_normalized = EXCLUDED.checksum_normalized, execution_ms = EXCLUDED.execution_ms,
                       applied_at = now(), applied_by = EXCLUDED.applied_by, state = EXCLUDED.state,
                       statements_done = EXCLUDED.statements_done, error = EXCLUDED.error, script = EXCLUDED.script",
                    self.qualified(),
                    env!("CARGO_PKG_VERSION")
                ),
                &[
                    (&m.version, Type::INT8),
                    (&m.name, Type::TEXT),
                    (&m.phase, Type::TEXT),
                    (&m.checksum, Type::TEXT),
                    (&m.checksum_normalized, Type::TEXT),
                    (&elapsed_ms, Type::INT8),
                    (&state, Type::TEXT),
                    (&statements_done, Type::INT4),
                    (&error, Type::TEXT),
                    (&m.up_sql, Type::TEXT),
                ],
            )
            .await?;
        Ok(())
    }
}

/// A history that holds every version a squash replaced, read as holding the squash: those
/// rows become one row of the squash (its checksum, the latest time, the summed duration).
/// A history that recorded the squash itself, or lacks one of the versions, is unchanged.
pub fn fold_squashes(migrations: &[Migration], mut rows: Vec<HistoryRow>) -> Vec<HistoryRow> {
    for m in migrations.iter().filter(|m| !m.squashes.is_empty()) {
        if rows
            .iter()
            .any(|h| h.version == m.version && h.checksum == m.checksum)
        {
            continue;
        }
        let holds_all = m
            .squashes
            .iter()
            .all(|v| rows.iter().any(|h| h.version == *v && !h.is_partial()));
        if !holds_all {
            continue;
        }
        let (replaced, kept): (Vec<HistoryRow>, Vec<HistoryRow>) = rows
            .into_iter()
            .partition(|h| m.squashes.contains(&h.version));
        rows = kept;
        let Some(last) = replaced.iter().max_by_key(|h| h.applied_at) else {
            continue;
        };
        rows.push(HistoryRow {
            version: m.version,
            name: m.name.clone(),
            phase: m.phase.clone(),
            checksum: m.checksum.clone(),
            checksum_normalized: Some(m.checksum_normalized.clone()),
            applied_at: last.applied_at,
            execution_ms: replaced.iter().map(|h| h.execution_ms).sum(),
            applied_by: format!(
                "{} (as the {} migrations it squashes)",
                last.applied_by,
                replaced.len()
            ),
            state: "applied".into(),
            statements_done: None,
            error: None,
            script: Some(m.up_sql.clone()),
        });
        rows.sort_by_key(|h| h.version);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b'"), "E'a\\\\b'''");
    }

    #[test]
    fn identifiers_are_quoted() {
        let h = History::new("my\"schema", "hist");
        assert_eq!(h.qualified(), "\"my\"\"schema\".\"hist\"");
    }
}
