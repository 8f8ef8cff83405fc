//! Reads of a live, busy catalog that hold still: the history and the catalog read in one
//! snapshot (one `REPEATABLE READ READ ONLY` transaction on the session), and a read that
//! ran into concurrent DDL — an object dropped or changed under it (`cache lookup failed`,
//! a NULL from a `pg_get_*def`, a relation gone) — read again, a bounded number of times
//! with backoff, before failing with an error that says DDL ran concurrently. This wraps
//! the introspection call; the catalog queries themselves are `introspect`'s.

use std::time::Duration;

use rand::Rng;

use super::{EngineError, Session};
use crate::history::HistoryRow;
use crate::introspect::{introspect, IntrospectError, IntrospectOptions, Introspection};

/// Reads before giving up: with the pauses, about 9 s of waiting at most. (A transaction
/// that dropped an index makes `pg_get_indexdef` fail for others until it ends, so the
/// later pauses give a short DDL transaction time to finish.)
pub const ATTEMPTS: u32 = 10;
/// The first pause between two reads, doubled each time (with jitter) up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(50);
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// The live catalog and the history, as of one moment.
#[derive(Debug)]
pub struct LiveRead {
    pub introspection: Introspection,
    pub history: Vec<HistoryRow>,
}

/// Reads the catalog and the history of the session's database in one snapshot, again
/// while concurrent DDL gets in the way (at most [`ATTEMPTS`] reads).
pub async fn read_live(
    session: &Session<'_>,
    options: &IntrospectOptions,
) -> Result<LiveRead, EngineError> {
    let mut pause = FIRST_PAUSE;
    let mut attempt = 1;
    loop {
        match read_once(session, options).await {
            Ok(read) => return Ok(read),
            Err(e) if attempt < ATTEMPTS && is_concurrent_ddl(&e) => {
                crate::notices::note(format!(
                    "the catalog changed while it was read (DDL running concurrently: {e}); reading it again"
                ));
                let ms = pause.as_millis() as u64;
                let jittered = rand::rng().random_range(ms / 2..=ms);
                tokio::time::sleep(Duration::from_millis(jittered)).await;
                pause = (pause * 2).min(MAX_PAUSE);
                attempt += 1;
            }
            Err(e) if is_concurrent_ddl(&e) => {
                return Err(EngineError::ConcurrentDdl {
                    attempts: attempt,
                    last: e.to_string(),
                })
            }
            Err(e) => return Err(e),
        }
    }
}

/// [`read_live`] when only the catalog is wanted.
pub async fn introspect_live(
    session: &Session<'_>,
    options: &IntrospectOptions,
) -> Result<Introspection, EngineError> {
    Ok(read_live(session, options).await?.introspection)
}

async fn read_once(
    session: &Session<'_>,
    options: &IntrospectOptions,
) -> Result<LiveRead, EngineError> {
    session
        .client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(EngineError::db("starting the catalog read"))?;
    // The snapshot is taken by the first read (the history); the catalog queries run in
    // the same transaction. (The introspection may end the transaction itself; ending it
    // again is then only a warning in the server's log.)
    let result = async {
        let history = session.history_rows().await?;
        let introspection = introspect(&session.client, options).await?;
        Ok(LiveRead {
            introspection,
            history,
        })
    }
    .await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let _ = session.client.batch_execute(end).await;
    result
}

/// True for the errors a catalog read gets when DDL changes the catalog under it.
pub fn is_concurrent_ddl(e: &EngineError) -> bool {
    match e {
        // A row the model cannot read: a NULL from pg_get_*def for an object dropped after
        // the snapshot saw it, or a list that changed between two queries.
        EngineError::Introspect(IntrospectError::Decode { .. }) => true,
        EngineError::Introspect(IntrospectError::Query(text)) => concurrent_text(text),
        EngineError::Db { source, .. } => source.as_db_error().is_some_and(|db| {
            (db.code() == &tokio_postgres::error::SqlState::INTERNAL_ERROR
                && concurrent_text(db.message()))
                || db.code() == &tokio_postgres::error::SqlState::UNDEFINED_TABLE
                || db.code() == &tokio_postgres::error::SqlState::UNDEFINED_OBJECT
                || db.code() == &tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED
        }),
        _ => false,
    }
}

/// Server messages of an object that went away or changed during the read.
fn concurrent_text(text: &str) -> bool {
    [
        "cache lookup failed",
        "could not open relation with OID",
        "could not find tuple",
        "tuple concurrently updated",
        "tuple concurrently deleted",
        "does not exist",
        // The read's locks (taken by pg_get_*def and friends) met the DDL's in a cycle and
        // the server chose the read as the victim: it did nothing, it can run again.
        "deadlock detected",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_ddl_errors_are_told_from_others() {
        let query = |t: &str| EngineError::Introspect(IntrospectError::Query(t.into()));
        assert!(is_concurrent_ddl(&query(
            "ERROR: cache lookup failed for index 36089"
        )));
        assert!(is_concurrent_ddl(&query(
            "ERROR: could not open relation with OID 16390"
        )));
        assert!(is_concurrent_ddl(&query("ERROR: deadlock detected")));
        assert!(is_concurrent_ddl(&EngineError::Introspect(
            IntrospectError::Decode {
                index: 9,
                message: "invalid type: null, expected a string".into()
            }
        )));
        assert!(!is_concurrent_ddl(&query(
            "ERROR: permission denied for table pg_authid"
        )));
        assert!(!is_concurrent_ddl(&EngineError::UnknownVersion(3)));
    }
}
