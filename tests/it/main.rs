//! Integration tests: the `strata` binary against a real PostgreSQL server started by
//! strata's own launcher, one database per test.

mod support;

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
mod hostile_input;
mod lint;
mod live;
mod local_db;
mod local_security;
mod pgbouncer;
mod rollback;
mod seed;
mod snapshots;
mod standby;
mod status;
mod tls;
mod tls_auth;
mod vrss;
