//! The signal that interrupted this run, if one did: [`guard`] records it when SIGINT or
//! SIGTERM arrives, and long loops (apply's migrations, a no-transaction migration's
//! statements) stop at their next step instead of starting another.

use std::sync::atomic::{AtomicU8, Ordering};

static SIGNAL: AtomicU8 = AtomicU8::new(0);
const NAMES: [&str; 3] = ["", "SIGINT", "SIGTERM"];

/// Records that `signal` (`SIGINT` or `SIGTERM`) arrived.
pub fn raise(signal: &str) {
    let code = NAMES.iter().position(|n| *n == signal).unwrap_or(1) as u8;
    SIGNAL.store(code.max(1), Ordering::SeqCst);
}

/// The signal that arrived, if any.
pub fn raised() -> Option<&'static str> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        n => NAMES.get(usize::from(n)).copied(),
    }
}

/// Runs `command` until it ends or SIGINT/SIGTERM arrives. On a signal, the running query is
/// cancelled (the server would otherwise go on with a query whose client has gone until it
/// next talks to it), so its transaction rolls back and the session — and strata's lock —
/// ends now; the command then reports what the cancel left (a rolled-back transaction, or
/// the statements of a no-transaction migration that took effect), within a grace period.
/// A result that `reports_it` accepts (one that already tells what the signal stopped, like
/// a fleet's report with its stopped and not-started targets) is kept, so it is printed;
/// any other result of an interrupted run becomes an error.
pub async fn guard<T>(
    command: impl std::future::Future<Output = anyhow::Result<T>>,
    reports_it: impl Fn(&T) -> bool,
) -> anyhow::Result<T> {
    tokio::pin!(command);
    tokio::select! {
        r = &mut command => r,
        signal = interrupted() => {
            raise(signal);
            crate::conn::cancel_running().await;
            let grace = tokio::time::sleep(std::time::Duration::from_secs(10));
            tokio::select! {
                r = &mut command => match r {
                    Err(e) => Err(e.context(format!("interrupted by {signal}"))),
                    Ok(r) if reports_it(&r) => Ok(r),
                    Ok(_) => Err(anyhow::anyhow!("interrupted by {signal} as the command finished")),
                },
                _ = grace => Err(anyhow::anyhow!("interrupted by {signal}: the running query was cancelled")),
                again = interrupted() => Err(anyhow::anyhow!("interrupted by {signal} and {again}: the running query was cancelled")),
            }
        }
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, naming it.
async fn interrupted() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return "SIGINT";
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT",
        _ = term.recv() => "SIGTERM",
    }
}
