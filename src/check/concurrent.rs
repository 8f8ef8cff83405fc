//! The locks fixes take. Fixes that cannot run in a transaction (`REINDEX INDEX
//! CONCURRENTLY`) run after the fix transaction, one statement at a time, so writes to the
//! table go on while an index is rebuilt; a statement that gave up on a lock is retried
//! with backoff, after the invalid index it left (`<name>_ccnew`) is dropped. A fix
//! statement that takes a strong lock on a large table is named before it runs.

use tokio_postgres::Client;

use super::Check;
use crate::ops::error::invalid_indexes;
use crate::ops::lockwait::{Backoff, RetryPolicy, LOCK_NOT_AVAILABLE};

/// Runs `check`'s fix statement by statement; the rows changed (none for a rebuild), or
/// why it stopped.
pub(super) async fn apply(
    client: &Client,
    check: &Check,
    policy: RetryPolicy,
) -> Result<u64, String> {
    let fix = check.fix.as_deref().unwrap_or_default();
    for statement in crate::sql_split::split(fix) {
        let mut backoff = Backoff::new(policy);
        loop {
            let before = invalid_indexes(client).await;
            let Err(e) = client.batch_execute(&statement.sql).await else {
                break;
            };
            let mut left_behind = Vec::new();
            for index in invalid_indexes(client).await {
                if before.contains(&index) {
                    continue;
                }
                let dropped = client
                    .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
                    .await;
                if dropped.is_err() {
                    left_behind.push(index);
                }
            }
            let gave_up_on_lock = e.code().map(|c| c.code()) == Some(LOCK_NOT_AVAILABLE);
            if gave_up_on_lock && left_behind.is_empty() {
                if let Some(pause) = backoff.next_pause() {
                    tokio::time::sleep(pause).await;
                    continue;
                }
            }
            let mut message = format!(
                "{}: {}",
                statement.sql.trim(),
                crate::conn::describe_pg_error(&e)
            );
            if !left_behind.is_empty() {
                message.push_str(&format!(
                    "; left INVALID: {} (drop with DROP INDEX CONCURRENTLY)",
                    left_behind.join(", ")
                ));
            }
            return Err(message);
        }
    }
    Ok(0)
}

/// A table this large (estimated rows) is named when a fix takes a strong lock on it.
pub(super) const LARGE_TABLE_ROWS: i64 = 100_000;

/// The strong lock a fix statement takes and the relation it names, from its first words:
/// `ALTER TABLE`, `TRUNCATE`, `LOCK`, `VACUUM FULL`, `CLUSTER`, `DROP INDEX` (ACCESS
/// EXCLUSIVE: reads wait too) and `REINDEX`, `CREATE INDEX` without `CONCURRENTLY` (SHARE:
/// writes wait).
pub(super) fn strong_lock(statement: &str) -> Option<(&'static str, String)> {
    let text = crate::sql_split::strip_cosmetics(statement);
    let words: Vec<&str> = text.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let up: Vec<&str> = upper.iter().map(String::as_str).collect();
    if up.contains(&"CONCURRENTLY") {
        return None;
    }
    const SKIP: [&str; 5] = ["ONLY", "IF", "EXISTS", "TABLE", "INDEX"];
    // The first word from `from` on that is a name.
    let name_from = |from: usize| {
        words
            .iter()
            .zip(&up)
            .skip(from)
            .find(|(_, u)| !SKIP.contains(u))
            .map(|(w, _)| {
                w.split(['(', ';', ','])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
    };
    let (lock, name) = match up.as_slice() {
        ["ALTER", "TABLE", ..] => ("ACCESS EXCLUSIVE", name_from(2)),
        ["TRUNCATE", ..] | ["LOCK", ..] | ["CLUSTER", ..] => ("ACCESS EXCLUSIVE", name_from(1)),
        ["VACUUM", "FULL", ..] => ("ACCESS EXCLUSIVE", name_from(2)),
        ["DROP", "INDEX", ..] => ("ACCESS EXCLUSIVE", name_from(2)),
        ["REINDEX", "TABLE" | "INDEX", ..] => ("SHARE", name_from(2)),
        ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE", "INDEX", ..] => {
            let on = up.iter().position(|u| *u == "ON")?;
            ("SHARE", name_from(on + 1))
        }
        _ => return None,
    };
    Some((lock, name?))
}

/// Notes for each statement of `check`'s fix that takes a strong lock on a table of at
/// least [`LARGE_TABLE_ROWS`] estimated rows (for an index: its table).
pub(super) async fn strong_lock_notes(client: &Client, check: &Check) -> Vec<String> {
    let mut notes = Vec::new();
    let fix = check.fix.as_deref().unwrap_or_default();
    for statement in crate::sql_split::split(fix) {
        let Some((lock, name)) = strong_lock(&statement.sql) else {
            continue;
        };
        let row = client
            .query_typed_opt(
                "SELECT t.oid::regclass::text, t.reltuples::bigint
                 FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
                 JOIN pg_catalog.pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
                 WHERE c.oid = pg_catalog.to_regclass($1)",
                &[(&name, tokio_postgres::types::Type::TEXT)],
            )
            .await;
        let Ok(Some(row)) = row else { continue };
        let (table, rows): (String, i64) = (row.get(0), row.get(1));
        if rows < LARGE_TABLE_ROWS {
            continue;
        }
        let waits = if lock == "SHARE" {
            "writes to it wait"
        } else {
            "reads and writes of it wait"
        };
        let article = if lock == "SHARE" { "a" } else { "an" };
        notes.push(format!(
            "check --fix {}: `{}` takes {article} {lock} lock on {table} (about {rows} rows): {waits} until the fix commits",
            check.name,
            statement.sql.trim()
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::strong_lock;

    #[test]
    fn strong_locks_are_told_from_their_first_words() {
        let case = |s: &str| strong_lock(s).map(|(l, n)| format!("{l} {n}"));
        assert_eq!(
            case("ALTER TABLE ONLY public.big ADD CONSTRAINT c CHECK (v > 0)").as_deref(),
            Some("ACCESS EXCLUSIVE public.big")
        );
        assert_eq!(
            case("truncate big;").as_deref(),
            Some("ACCESS EXCLUSIVE big")
        );
        assert_eq!(case("REINDEX INDEX big_v").as_deref(), Some("SHARE big_v"));
        assert_eq!(
            case("CREATE UNIQUE INDEX big_v ON ONLY big(v)").as_deref(),
            Some("SHARE big")
        );
        assert_eq!(case("REINDEX INDEX CONCURRENTLY big_v"), None);
        assert_eq!(case("UPDATE big SET v = 0 WHERE v < 0"), None);
        assert_eq!(case("DELETE FROM big t WHERE t.v IS NULL"), None);
    }
}
