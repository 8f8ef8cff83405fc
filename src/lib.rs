//! strata: a PostgreSQL migration and schema-management engine. The binary (`main.rs`)
//! is a thin wrapper around [`cli::main`]; every command is a thin wrapper around [`ops`].

#![warn(clippy::unwrap_used)]

pub mod check;
pub mod cli;
pub mod commands;
pub mod conn;
pub mod diff;
pub mod fuzzing;
pub mod history;
pub mod introspect;
pub mod lint;
pub mod local;
pub mod lock;
pub mod migration;
pub mod ops;
pub mod project;
pub mod render;
pub mod seed;
pub mod settings;
pub mod sql_split;
