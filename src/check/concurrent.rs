//! Fixes that cannot run in a transaction (`REINDEX INDEX CONCURRENTLY`), run after the fix
//! transaction, one statement at a time, so writes to the table go on while an index is
//! rebuilt. A statement that gave up on a lock is retried with backoff, after the invalid
//! index it left (`<name>_ccnew`) is dropped.

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
