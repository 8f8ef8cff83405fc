//! Integration tests: the `strata` binary against a real PostgreSQL server started by
//! strata's own launcher, one database per test.

mod support;

mod adopt;
mod apply;
mod bad_input;
mod check;
mod concurrency;
mod diff;
mod examples;
mod faults;
mod lint;
mod local_db;
mod rollback;
mod seed;
mod status;
mod tls;
mod vrss;
