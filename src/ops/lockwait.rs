//! Waiting politely for locks. Migration statements run with a short `lock_timeout`, so DDL
//! queued behind a long transaction gives up before the application's queries pile up
//! behind it; a migration that gave up on a lock is retried from its start with jittered
//! exponential backoff, within a number of retries and a total time, and the sessions that
//! blocked it are named (watched from a second connection while an attempt waits).

use std::time::{Duration, Instant};

use rand::Rng;
use serde::Serialize;
use tokio_postgres::Client;

use crate::conn::ConnParams;

/// SQLSTATE `lock_not_available`: what `lock_timeout` raises.
pub const LOCK_NOT_AVAILABLE: &str = "55P03";

/// First pause before a retry; doubled each retry, up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(200);
/// The longest pause between two attempts.
const MAX_PAUSE: Duration = Duration::from_secs(15);

/// How a migration that gave up on a lock is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = none).
    pub retries: u32,
    /// Total time from the first attempt after which no retry starts.
    pub budget: Duration,
}

impl RetryPolicy {
    pub const NONE: RetryPolicy = RetryPolicy {
        retries: 0,
        budget: Duration::ZERO,
    };
}

/// A session that blocked a migration statement (from `pg_blocking_pids`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub pid: i32,
    pub user: String,
    pub application_name: String,
    pub state: String,
    /// How long its transaction had been open, in milliseconds.
    pub transaction_age_ms: Option<i64>,
    /// When its current (or last) query started.
    pub query_start: Option<String>,
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} (user {}, application '{}', state {}",
            self.pid,
            self.user,
            self.application_name,
            if self.state.is_empty() {
                "unknown"
            } else {
                &self.state
            }
        )?;
        if let Some(ms) = self.transaction_age_ms {
            write!(f, ", transaction open {:.1}s", ms as f64 / 1000.0)?;
        }
        if let Some(q) = &self.query_start {
            write!(f, ", query started {q}")?;
        }
        write!(f, ")")
    }
}

/// The blockers as one line: `pid 1 (...); pid 2 (...)`, or a sentence saying none was seen.
pub fn blockers_text(blockers: &[Blocker]) -> String {
    if blockers.is_empty() {
        return "the blocking session could not be identified (it ended, or was not seen while strata waited)".into();
    }
    blockers
        .iter()
        .map(Blocker::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The retries of one migration: counts attempts, says how long to pause before the next.
#[derive(Debug)]
pub struct Backoff {
    policy: RetryPolicy,
    started: Instant,
    retries: u32,
}

impl Backoff {
    pub fn new(policy: RetryPolicy) -> Backoff {
        Backoff {
            policy,
            started: Instant::now(),
            retries: 0,
        }
    }

    /// Retries made so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// Time since the first attempt.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The pause before the next retry, or `None` when the retries or the time are spent.
    /// The pause is drawn between half and all of `FIRST_PAUSE · 2^retries` (capped), so
    /// two runs blocked by the same session do not come back in step.
    pub fn next_pause(&mut self) -> Option<Duration> {
        if self.retries >= self.policy.retries {
            return None;
        }
        let ceiling = FIRST_PAUSE
            .saturating_mul(1u32 << self.retries.min(16))
            .min(MAX_PAUSE);
        let low = ceiling.as_millis() as u64 / 2;
        let pause =
            Duration::from_millis(rand::rng().random_range(low..=ceiling.as_millis() as u64));
        if self.started.elapsed() + pause >= self.policy.budget {
            return None;
        }
        self.retries += 1;
        Some(pause)
    }
}

/// Watches, from a second connection, which sessions block the migration session while an
/// attempt runs. The connection is opened only once an attempt has waited a while, so a
/// migration that takes its locks at once costs nothing.
pub struct Watch {
    params: ConnParams,
    /// The migration session's backend pid.
    pid: i32,
    /// How long an attempt runs before the watch starts looking.
    after: Duration,
    monitor: Option<Client>,
    /// The blockers seen last (kept across attempts until new ones are seen).
    pub seen: Vec<Blocker>,
}

impl Watch {
    /// A watch of the session on `client` (connected with `params`), for statements with a
    /// lock timeout of `lock_timeout`.
    pub async fn new(client: &Client, params: &ConnParams, lock_timeout: Duration) -> Watch {
        let pid = match client
            .query_typed_one("SELECT pg_catalog.pg_backend_pid()", &[])
            .await
        {
            Ok(row) => row.get(0),
            Err(_) => 0,
        };
        Watch {
            params: params.clone(),
            pid,
            after: (lock_timeout / 4).clamp(Duration::from_millis(20), Duration::from_millis(500)),
            monitor: None,
            seen: Vec::new(),
        }
    }

    /// Runs `attempt`, noting who blocks the session while it waits.
    pub async fn during<F: std::future::Future>(&mut self, attempt: F) -> F::Output {
        self.seen.clear();
        tokio::pin!(attempt);
        tokio::select! {
            out = &mut attempt => out,
            () = self.watch() => attempt.await,
        }
    }

    /// Polls `pg_blocking_pids` until cancelled (never returns while it can poll).
    async fn watch(&mut self) {
        if self.pid == 0 {
            return std::future::pending().await;
        }
        tokio::time::sleep(self.after).await;
        if self.monitor.is_none() {
            match self.params.connect().await {
                Ok(client) => {
                    let _ = client
                        .batch_execute("SET application_name = 'strata lock watch'")
                        .await;
                    self.monitor = Some(client);
                }
                Err(_) => return std::future::pending().await,
            }
        }
        let pause = self
            .after
            .clamp(Duration::from_millis(20), Duration::from_millis(100));
        loop {
            if let Some(client) = &self.monitor {
                if let Ok(found) = blockers(client, self.pid).await {
                    if !found.is_empty() {
                        self.seen = found;
                    }
                }
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// The sessions `pid` waits for, with what `pg_stat_activity` says of each.
pub async fn blockers(client: &Client, pid: i32) -> Result<Vec<Blocker>, tokio_postgres::Error> {
    let rows = client
        .query_typed(
            "SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''),
                    coalesce(a.state, ''),
                    (extract(epoch FROM now() - a.xact_start) * 1000)::bigint,
                    to_char(a.query_start, 'YYYY-MM-DD HH24:MI:SS TZ')
             FROM pg_catalog.pg_stat_activity a
             WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1))
             ORDER BY a.xact_start NULLS LAST, a.pid",
            &[(&pid, tokio_postgres::types::Type::INT4)],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Blocker {
            pid: r.get(0),
            user: r.get(1),
            application_name: r.get(2),
            state: r.get(3),
            transaction_age_ms: r.get(4),
            query_start: r.get(5),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stops_at_the_retry_count() {
        let mut b = Backoff::new(RetryPolicy {
            retries: 3,
            budget: Duration::from_secs(3600),
        });
        let pauses: Vec<Duration> = std::iter::from_fn(|| b.next_pause()).collect();
        assert_eq!(pauses.len(), 3);
        for (k, p) in pauses.iter().enumerate() {
            let ceiling = FIRST_PAUSE * (1 << k);
            assert!(*p >= ceiling / 2 && *p <= ceiling, "pause {k}: {p:?}");
        }
    }

    #[test]
    fn backoff_stops_at_the_budget() {
        let mut b = Backoff::new(RetryPolicy {
            retries: 100,
            budget: Duration::from_millis(150),
        });
        // The first pause is at least 100 ms; the second would pass 150 ms.
        let pauses: Vec<Duration> = std::iter::from_fn(|| b.next_pause()).take(5).collect();
        assert!(pauses.len() <= 1, "{pauses:?}");
    }

    #[test]
    fn pauses_are_capped() {
        let mut b = Backoff::new(RetryPolicy {
            retries: 40,
            budget: MAX_DURATION_FOR_TEST,
        });
        while let Some(p) = b.next_pause() {
            assert!(p <= MAX_PAUSE);
        }
        assert_eq!(b.retries(), 40);
    }

    const MAX_DURATION_FOR_TEST: Duration = Duration::from_secs(365 * 24 * 3600);

    #[test]
    fn no_retries_means_none() {
        assert_eq!(Backoff::new(RetryPolicy::NONE).next_pause(), None);
    }
}
