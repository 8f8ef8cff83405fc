//! The signal that interrupted this run, if one did: the CLI records it when SIGINT or
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
