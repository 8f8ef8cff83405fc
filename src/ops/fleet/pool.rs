//! Connections kept between the tenant-schema targets of one database. A target's session
//! goes back to its worker thread only after a run that ended without error, and only once
//! the session is reset to what a new connection would have (settings, role, advisory
//! locks, listeners, cursors, temporary tables, cached plans) and is found outside any
//! transaction; otherwise it is closed. The next tenant of the same database on that thread
//! then skips the connection's start and authentication and finds the catalog caches warm.
//!
//! Only worker threads keep connections ([`enable`]): a connection is driven by the runtime
//! of the thread that opened it, and a worker's runtime lives as long as the fleet.

use std::cell::{Cell, RefCell};

use tokio_postgres::{Client, SimpleQueryMessage};

use crate::conn::ConnParams;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    /// At most one connection per thread: the fleet then holds at most `--parallel`
    /// connections, however many databases its tenants are spread over.
    static KEPT: RefCell<Option<(ConnParams, Client)>> = const { RefCell::new(None) };
}

/// What `DISCARD ALL` does, but for `DEALLOCATE ALL` (the driver's own prepared statements
/// must outlive the tenant), after checking that the session is not inside a transaction
/// block (an implicit transaction starts with its statement) and that no prepared statement
/// was made by SQL (`PREPARE` in a migration): when either check fails, the session is closed.
const RESET: &str =
    "SELECT pg_catalog.statement_timestamp() = pg_catalog.transaction_timestamp(), \
     NOT EXISTS (SELECT FROM pg_catalog.pg_prepared_statements WHERE from_sql); \
     CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ROLE; RESET ALL; UNLISTEN *; \
     SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD SEQUENCES; DISCARD TEMP";

/// Lets this thread keep connections (a fleet worker's).
pub fn enable() {
    ON.with(|on| on.set(true));
}

/// The kept connection, if it is one for `params`; one for another database is closed
/// (this thread is about to open a connection of its own).
pub fn take(params: &ConnParams) -> Option<Client> {
    if !ON.with(Cell::get) {
        return None;
    }
    let (kept_for, client) = KEPT.with(|kept| kept.borrow_mut().take())?;
    (kept_for == *params && !client.is_closed()).then_some(client)
}

/// Keeps `client` for the next target of `params` on this thread once it is reset; closes
/// it when it cannot be.
pub async fn give_back(params: ConnParams, client: Client) {
    if !ON.with(Cell::get) || client.is_closed() {
        return;
    }
    if reset(&client).await {
        KEPT.with(|kept| *kept.borrow_mut() = Some((params, client)));
    }
}

/// Resets the session; false when it must not be used again.
async fn reset(client: &Client) -> bool {
    let Ok(messages) = client.simple_query(RESET).await else {
        return false;
    };
    messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => {
                Some(row.get(0) == Some("t") && row.get(1) == Some("t"))
            }
            _ => None,
        })
        .unwrap_or(false)
}

/// Closes this thread's kept connection, letting it tell its server it is leaving.
pub fn close(runtime: &tokio::runtime::Runtime) {
    let Some(kept) = KEPT.with(|kept| kept.borrow_mut().take()) else {
        return;
    };
    runtime.block_on(async {
        drop(kept);
        // The connection's task writes its goodbye and ends; a bounded wait for it.
        let metrics = tokio::runtime::Handle::current().metrics();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(200);
        while metrics.num_alive_tasks() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    });
}
