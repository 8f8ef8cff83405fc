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
mod examples;
mod faults;
mod hostile_input;
mod local_db;
mod local_security;
mod rollback;
mod seed;
mod snapshots;
mod status;
mod tls;
mod tls_auth;
mod vrss;
