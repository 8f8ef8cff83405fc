//! Integration tests: the `strata` binary against a real PostgreSQL server started by
//! strata's own launcher, one database per test.

mod support;

/// The corpus harness's `pg_dump` normaliser, the oracle of generate and init --from-database.
#[allow(dead_code)]
#[path = "../corpus/dump.rs"]
mod dump;

mod adopt;
mod apply;
mod author;
mod bad_input;
mod check;
mod concurrency;
mod diff;
mod diff_kinds;
mod examples;
mod faults;
mod fleet;
mod fleet_sessions;
mod generate;
mod hostile_input;
mod init_from_database;
mod lint;
mod live;
mod local_db;
mod local_security;
mod pgbouncer;
mod rollback;
mod seed;
mod snapshots;
mod squash;
mod standby;
mod status;
mod status_cache;
mod tls;
mod tls_auth;
mod vrss;
