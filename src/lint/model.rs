//! What the linter knows about the schema while it reads the migrations in order: tables
//! (which migration created them), their columns and types, indexes, CHECK constraints
//! proving a column NOT NULL, and foreign keys waiting for an index. It is built from the
//! SQL alone; live sizes come separately ([`super::live`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::syntax::ColumnType;

/// A lock mode, named as `pg_locks.mode` names it; ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LockMode {
    AccessShareLock,
    RowShareLock,
    RowExclusiveLock,
    ShareUpdateExclusiveLock,
    ShareLock,
    ShareRowExclusiveLock,
    ExclusiveLock,
    AccessExclusiveLock,
}

impl LockMode {
    pub const ALL: [LockMode; 8] = [
        LockMode::AccessShareLock,
        LockMode::RowShareLock,
        LockMode::RowExclusiveLock,
        LockMode::ShareUpdateExclusiveLock,
        LockMode::ShareLock,
        LockMode::ShareRowExclusiveLock,
        LockMode::ExclusiveLock,
        LockMode::AccessExclusiveLock,
    ];

    /// The `pg_locks` name.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::AccessShareLock => "AccessShareLock",
            LockMode::RowShareLock => "RowShareLock",
            LockMode::RowExclusiveLock => "RowExclusiveLock",
            LockMode::ShareUpdateExclusiveLock => "ShareUpdateExclusiveLock",
            LockMode::ShareLock => "ShareLock",
            LockMode::ShareRowExclusiveLock => "ShareRowExclusiveLock",
            LockMode::ExclusiveLock => "ExclusiveLock",
            LockMode::AccessExclusiveLock => "AccessExclusiveLock",
        }
    }

    pub fn from_name(name: &str) -> Option<LockMode> {
        LockMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The mode `LOCK TABLE ... IN <words> MODE` asks for.
    pub fn from_lock_statement(words: &str) -> Option<LockMode> {
        Some(match words {
            "access share" => LockMode::AccessShareLock,
            "row share" => LockMode::RowShareLock,
            "row exclusive" => LockMode::RowExclusiveLock,
            "share update exclusive" => LockMode::ShareUpdateExclusiveLock,
            "share" => LockMode::ShareLock,
            "share row exclusive" => LockMode::ShareRowExclusiveLock,
            "exclusive" => LockMode::ExclusiveLock,
            "access exclusive" => LockMode::AccessExclusiveLock,
            _ => return None,
        })
    }

    /// What ordinary traffic it makes wait.
    pub fn blocks(self) -> &'static str {
        match self {
            LockMode::AccessExclusiveLock => "blocks reads and writes",
            LockMode::ExclusiveLock => "blocks writes (reads go on)",
            LockMode::ShareRowExclusiveLock | LockMode::ShareLock => "blocks writes (reads go on)",
            LockMode::ShareUpdateExclusiveLock => "blocks only other schema changes and VACUUM",
            _ => "blocks only schema changes",
        }
    }

    /// Strong enough that ordinary writes wait for it.
    pub fn blocks_writes(self) -> bool {
        self >= LockMode::ShareLock
    }
}

/// Whether a statement rewrites a table (new relfilenode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rewrite {
    No,
    Yes,
    /// Depends on something the SQL does not say (the old type, the server's TimeZone).
    Maybe,
}

/// A lock the linter predicts a statement takes on a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockFact {
    /// `schema.table` (for an index: its table).
    pub table: String,
    pub mode: LockMode,
    /// The table existed before this migration (not created by it).
    pub existing: bool,
    pub rewrite: Rewrite,
    /// Reads every row (a validation, an index build, a rewrite).
    pub scan: bool,
}

/// A column as the migrations define it.
#[derive(Debug, Clone, Default)]
pub struct Column {
    pub ty: Option<ColumnType>,
    pub not_null: bool,
}

/// A CHECK constraint the linter can read.
#[derive(Debug, Clone)]
pub struct Check {
    /// The column when the check is `column IS NOT NULL`.
    pub not_null_of: Option<String>,
    pub validated: bool,
}

/// A table as the migrations define it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Index of the source that created it; None when it was never seen created.
    pub created_in: Option<usize>,
    pub columns: BTreeMap<String, Column>,
    /// Column lists of its indexes (and of primary keys and unique constraints).
    pub indexes: Vec<Vec<String>>,
    pub checks: BTreeMap<String, Check>,
}

impl Table {
    /// A validated CHECK proves `column` has no NULL.
    pub fn proves_not_null(&self, column: &str) -> bool {
        self.columns.get(column).is_some_and(|c| c.not_null)
            || self
                .checks
                .values()
                .any(|c| c.validated && c.not_null_of.as_deref() == Some(column))
    }

    /// An index whose leading columns are `columns` (in any order).
    pub fn has_index_leading(&self, columns: &[String]) -> bool {
        self.indexes.iter().any(|ix| {
            ix.len() >= columns.len() && {
                let mut lead: Vec<&String> = ix[..columns.len()].iter().collect();
                let mut want: Vec<&String> = columns.iter().collect();
                lead.sort();
                want.sort();
                lead == want
            }
        })
    }
}

/// A foreign key whose index is checked once every migration has been read.
#[derive(Debug, Clone)]
pub struct PendingForeignKey {
    pub source: usize,
    pub statement: usize,
    pub offset: usize,
    pub table: String,
    pub columns: Vec<String>,
}

/// The schema as known so far.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub tables: BTreeMap<String, Table>,
    /// `schema.index` → `schema.table`.
    pub indexes: BTreeMap<String, String>,
    pub foreign_keys: Vec<PendingForeignKey>,
}

impl Model {
    pub fn table_mut(&mut self, name: &str) -> &mut Table {
        self.tables.entry(name.to_string()).or_default()
    }

    /// The column's type, when a migration defined it.
    pub fn column_type(&self, table: &str, column: &str) -> Option<&ColumnType> {
        self.tables.get(table)?.columns.get(column)?.ty.as_ref()
    }
}
