//! strata: a PostgreSQL migration and schema-management engine. The binary (`main.rs`)
//! parses with [`cli`], resolves [`settings`], runs a command of [`commands`] (each a thin
//! wrapper around [`ops`]) and writes its [`outcome`] with [`render`]; [`exit`] maps it to a
//! process exit code. See ARCHITECTURE.md.

#![warn(clippy::unwrap_used)]

pub mod author;
pub mod bounded;
pub mod check;
pub mod cli;
pub mod commands;
pub mod conn;
pub mod diff;
pub mod exit;
pub mod fuzzing;
pub mod history;
pub mod interrupt;
pub mod introspect;
pub mod lint;
pub mod local;
pub mod lock;
pub mod migration;
pub mod notices;
pub mod ops;
pub mod outcome;
pub mod project;
pub mod render;
pub mod seed;
pub mod settings;
pub mod sql_split;
