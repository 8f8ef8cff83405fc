//! The catalogue of lint rules: id, class (which decides the default severity), a title,
//! what goes wrong, the safe alternative written out (`strata lint --explain ID`) and which
//! rules of other tools it corresponds to (the README's comparison table is built from it).

use serde::Serialize;

/// What kind of harm a rule's finding does; the class decides the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A strong lock, a rewrite or a full scan of an existing table: an error when the
    /// table is above the size threshold, info below it, a warning when its size is
    /// unknown.
    Lock,
    /// Breaks the running application whatever the table size: always an error.
    Breaking,
    /// Fails when it runs, whatever the size: always an error.
    Runtime,
    /// A preference or a hazard that needs a person's judgement: a warning.
    Advice,
}

/// One rule.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub class: Class,
    pub title: &'static str,
    /// What goes wrong.
    pub why: &'static str,
    /// The safe way, written out.
    pub instead: &'static str,
    /// Rules of squawk, Eugene and strong_migrations this one covers.
    pub covers: &'static [&'static str],
}

macro_rules! rules {
    ($($name:ident = ($id:literal, $class:ident, $title:literal, $why:literal, $instead:literal, [$($cov:literal),*]);)*) => {
        $(pub const $name: &Rule = &Rule {
            id: $id,
            class: Class::$class,
            title: $title,
            why: $why,
            instead: $instead,
            covers: &[$($cov),*],
        };)*
        /// Every rule, in the order the README lists them.
        pub const ALL: &[&Rule] = &[$($name),*];
    };
}

rules! {
    INDEX_NOT_CONCURRENT = ("index-not-concurrent", Lock,
        "CREATE INDEX without CONCURRENTLY on an existing table",
        "CREATE INDEX holds a ShareLock on the table until the index is built: every INSERT, UPDATE and DELETE waits for the whole build.",
        "Build it with CREATE INDEX CONCURRENTLY in a migration of its own whose first line is `-- strata:no-transaction` (CONCURRENTLY cannot run in a transaction). Writes go on during the build. If the build fails it leaves an INVALID index: drop it with DROP INDEX CONCURRENTLY and run the migration again. An index on a table created in the same migration needs none of this. `strata lint --fix` makes the move.",
        ["squawk require-concurrent-index-creation", "Eugene E6", "strong_migrations add_index", "strong_migrations add_reference"]);
    DROP_INDEX_NOT_CONCURRENT = ("drop-index-not-concurrent", Lock,
        "DROP INDEX without CONCURRENTLY",
        "DROP INDEX takes an AccessExclusiveLock on the index's table: reads and writes of the table wait until it ends, and it first waits for every query using the table.",
        "Use DROP INDEX CONCURRENTLY IF EXISTS name in a `-- strata:no-transaction` migration of its own.",
        ["squawk require-concurrent-index-deletion", "strong_migrations remove_index"]);
    REINDEX_NOT_CONCURRENT = ("reindex-not-concurrent", Lock,
        "REINDEX without CONCURRENTLY",
        "REINDEX holds a ShareLock on the table (writes wait) and an AccessExclusiveLock on each index it rebuilds (queries that would use it wait) for the whole rebuild.",
        "Use REINDEX (CONCURRENTLY) or REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a `-- strata:no-transaction` migration.",
        ["squawk require-concurrent-reindex"]);
    FOREIGN_KEY_VALIDATES = ("foreign-key-validates", Lock,
        "Foreign key added without NOT VALID",
        "Adding a foreign key checks every existing row while holding a ShareRowExclusiveLock on both tables: writes to either wait for the whole scan.",
        "Add it with NOT VALID (only new rows are checked; the lock is brief), then in the next migration run ALTER TABLE t VALIDATE CONSTRAINT name, which scans under a ShareUpdateExclusiveLock that lets reads and writes go on. `strata lint --fix` makes the split.",
        ["squawk adding-foreign-key-constraint", "squawk constraint-missing-not-valid", "Eugene E1", "strong_migrations add_foreign_key"]);
    CHECK_VALIDATES = ("check-validates", Lock,
        "CHECK constraint added without NOT VALID",
        "Adding a CHECK constraint scans every row while holding an AccessExclusiveLock: reads and writes wait for the whole scan.",
        "Add it with NOT VALID, then VALIDATE CONSTRAINT in the next migration (ShareUpdateExclusiveLock: reads and writes go on). `strata lint --fix` makes the split.",
        ["squawk constraint-missing-not-valid", "Eugene E1", "strong_migrations add_check_constraint"]);
    SET_NOT_NULL = ("set-not-null", Lock,
        "SET NOT NULL without a validated CHECK first",
        "ALTER COLUMN ... SET NOT NULL scans the whole table under an AccessExclusiveLock to prove there is no NULL.",
        "Add CHECK (col IS NOT NULL) NOT VALID; in the next migration VALIDATE it (no blocking lock), then SET NOT NULL (PostgreSQL 12+ uses the validated check and skips the scan) and drop the check. `strata lint --fix` writes these steps.",
        ["squawk adding-not-nullable-field", "Eugene E2", "strong_migrations change_column_null"]);
    COLUMN_TYPE_REWRITE = ("column-type-rewrite", Lock,
        "Column type change that rewrites the table",
        "ALTER COLUMN ... TYPE to a type that is not binary-compatible (or with USING) rewrites the table and rebuilds its indexes under an AccessExclusiveLock.",
        "Add a column of the new type, fill it in batches (a trigger keeps new writes in step), switch the application to it, then drop the old column. Changes that need no rewrite: varchar(n) to a larger n, to varchar or to text; numeric(p,s) to a larger p with the same s, or to numeric; cidr to inet; a larger timestamp or interval precision.",
        ["squawk changing-column-type", "Eugene E5", "strong_migrations change_column"]);
    VOLATILE_DEFAULT = ("volatile-default", Lock,
        "Column added with a volatile default",
        "A column added with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), any function not known to be stable) makes PostgreSQL compute it for every row: the table is rewritten under an AccessExclusiveLock. Constant and stable defaults (now(), literals) are stored once and cost nothing.",
        "Add the column without a default, set the default with ALTER COLUMN ... SET DEFAULT (applies to new rows only), and fill existing rows in batches.",
        ["squawk adding-field-with-default", "strong_migrations add_column_default_callable"]);
    GENERATED_STORED = ("generated-column-stored", Lock,
        "Stored generated column added to an existing table",
        "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED computes the value for every row: a table rewrite under an AccessExclusiveLock.",
        "Add a plain column, fill it in batches, and keep it up to date with a trigger; or compute the value in a view or in queries.",
        ["strong_migrations add_column_generated_stored", "Eugene E11"]);
    SERIAL_COLUMN = ("serial-column", Lock,
        "serial or identity column added to an existing table",
        "Adding a serial/bigserial or GENERATED ... AS IDENTITY column fills a value for every row: a table rewrite under an AccessExclusiveLock.",
        "Add a nullable bigint column, attach a sequence as its default (new rows only), fill existing rows in batches, then make it NOT NULL the safe way (see set-not-null).",
        ["Eugene E11", "strong_migrations add_column_auto_incrementing"]);
    PRIMARY_KEY_ADDED = ("primary-key-added", Lock,
        "Primary key added to an existing table without USING INDEX",
        "ALTER TABLE ... ADD PRIMARY KEY builds the unique index (and sets NOT NULL, scanning the table) under an AccessExclusiveLock.",
        "CREATE UNIQUE INDEX CONCURRENTLY on the columns (made NOT NULL the safe way first), then ALTER TABLE t ADD CONSTRAINT name PRIMARY KEY USING INDEX idx: a brief lock.",
        ["squawk adding-serial-primary-key-field"]);
    PRIMARY_KEY_NULLABLE = ("primary-key-using-index-nullable", Lock,
        "PRIMARY KEY USING INDEX over columns not known to be NOT NULL",
        "ADD PRIMARY KEY USING INDEX sets NOT NULL on its columns, which scans the table under an AccessExclusiveLock when a column is nullable.",
        "Make each column NOT NULL first (CHECK NOT VALID, VALIDATE, SET NOT NULL), then add the primary key using the index.",
        ["Eugene W14"]);
    UNIQUE_CONSTRAINT = ("unique-constraint", Lock,
        "UNIQUE constraint added without an existing index",
        "ADD CONSTRAINT ... UNIQUE (or ADD COLUMN ... UNIQUE) builds a unique index under an AccessExclusiveLock: reads and writes wait for the build.",
        "CREATE UNIQUE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration, then ALTER TABLE t ADD CONSTRAINT name UNIQUE USING INDEX idx (a brief lock).",
        ["squawk disallowed-unique-constraint", "Eugene E7", "strong_migrations add_unique_constraint"]);
    EXCLUSION_CONSTRAINT = ("exclusion-constraint", Lock,
        "Exclusion constraint added to an existing table",
        "ADD CONSTRAINT ... EXCLUDE builds its index and checks every row under an AccessExclusiveLock; exclusion constraints cannot be NOT VALID.",
        "There is no lock-free way: add it when the table is small, in a maintenance window, or enforce the rule in a new table and move the data.",
        ["Eugene E8", "strong_migrations add_exclusion_constraint"]);
    VACUUM_FULL = ("vacuum-full", Lock,
        "VACUUM FULL",
        "VACUUM FULL rewrites the table under an AccessExclusiveLock, and cannot run inside a transaction.",
        "Use plain VACUUM (no blocking lock); to reclaim space online use the pg_repack extension, or REPACK CONCURRENTLY on PostgreSQL 19+.",
        ["squawk prefer-repack"]);
    CLUSTER = ("cluster", Lock,
        "CLUSTER",
        "CLUSTER rewrites the table in index order under an AccessExclusiveLock.",
        "Use the pg_repack extension (or REPACK CONCURRENTLY on PostgreSQL 19+) outside migrations.",
        ["squawk prefer-repack"]);
    REFRESH_NOT_CONCURRENT = ("refresh-not-concurrent", Lock,
        "REFRESH MATERIALIZED VIEW without CONCURRENTLY",
        "A plain refresh holds an AccessExclusiveLock on the view for the whole query: every read of it waits.",
        "Give the view a unique index and use REFRESH MATERIALIZED VIEW CONCURRENTLY (reads go on).",
        []);
    DETACH_NOT_CONCURRENT = ("detach-partition-not-concurrent", Lock,
        "DETACH PARTITION without CONCURRENTLY",
        "DETACH PARTITION takes an AccessExclusiveLock on the partitioned table: every query on it waits.",
        "Use ALTER TABLE parent DETACH PARTITION child CONCURRENTLY (PostgreSQL 14+) in a `-- strata:no-transaction` migration.",
        ["squawk require-concurrent-partition-detach"]);
    TABLE_REWRITE = ("table-rewrite", Lock,
        "ALTER TABLE form that rewrites the table",
        "SET LOGGED, SET UNLOGGED, SET TABLESPACE and SET ACCESS METHOD copy the whole table under an AccessExclusiveLock.",
        "Do it when the table is small, or build a new table, copy in batches and swap names.",
        []);
    DOMAIN_CHECK_ADDED = ("domain-check-added", Lock,
        "ALTER DOMAIN ... ADD CONSTRAINT",
        "Adding a constraint to a domain checks every column of every table that uses it, locking those tables against writes while it scans.",
        "Add it with NOT VALID and run ALTER DOMAIN ... VALIDATE CONSTRAINT in a later migration.",
        ["squawk ban-alter-domain-with-add-constraint"]);
    VALIDATE_SAME_TRANSACTION = ("validate-same-transaction", Lock,
        "VALIDATE CONSTRAINT in the transaction that holds a strong lock on the table",
        "VALIDATE CONSTRAINT only helps when it runs in its own transaction: after ADD CONSTRAINT ... NOT VALID (or any other strong lock on the table) in the same transaction, the strong lock is still held during the whole validation scan.",
        "Move the VALIDATE CONSTRAINT to the next migration.",
        ["squawk constraint-missing-not-valid", "strong_migrations validate_check_constraint", "strong_migrations validate_foreign_key"]);
    LOCKS_HELD = ("locks-held-across-statements", Lock,
        "More statements after a strong lock in the same transaction",
        "Locks are held until the transaction ends: after a statement takes an AccessExclusiveLock on an existing table, every later statement of the migration runs while reads and writes of that table wait.",
        "Put the statement that takes the AccessExclusiveLock in a migration of its own (or last), so the lock is released as soon as its work is done.",
        ["Eugene E4"]);
    BACKFILL = ("backfill-in-migration", Lock,
        "UPDATE or DELETE of an existing table in a migration",
        "A data change inside the migration's transaction locks every row it touches until the migration commits, and an unbounded one scans and writes the whole table in one transaction (bloat, replication lag).",
        "Backfill outside the schema migration, in batches of a few thousand rows, each in its own transaction.",
        ["strong_migrations backfilling data"]);
    DROP_COLUMN = ("drop-column", Breaking,
        "Column dropped",
        "Running application code that still reads or writes the column fails as soon as it is gone (an ORM that lists columns breaks even if nobody uses it).",
        "First deploy code that no longer uses the column (tell the ORM to ignore it), then drop it in a later migration; mark that migration with `-- strata:allow drop-column <why it is unused>`.",
        ["squawk ban-drop-column", "strong_migrations remove_column"]);
    DROP_TABLE = ("drop-table", Breaking,
        "Table dropped",
        "Dropping a table the running application still uses breaks it, and the data is gone.",
        "Stop using the table in code first, keep a backup, then drop it with `-- strata:allow drop-table <why it is unused>`.",
        ["squawk ban-drop-table"]);
    RENAME_COLUMN = ("rename-column", Breaking,
        "Column renamed",
        "Code still using the old name fails from the moment the migration commits until new code is deployed.",
        "Add the new column, write to both, backfill, move reads, then drop the old one; or rename behind a view that keeps the old name.",
        ["squawk renaming-column", "strong_migrations rename_column"]);
    RENAME_TABLE = ("rename-table", Breaking,
        "Table renamed",
        "Code still using the old name fails from the moment the migration commits until new code is deployed.",
        "Create the new table, write to both, backfill, move reads, drop the old one; or rename and leave a view with the old name until the code has moved.",
        ["squawk renaming-table", "strong_migrations rename_table"]);
    RENAME_SCHEMA = ("rename-schema", Breaking,
        "Schema renamed",
        "Every query naming the old schema (or relying on a search_path with it) fails.",
        "Create the new schema, move objects one by one while code uses both, then drop the old one.",
        ["strong_migrations rename_schema"]);
    RENAME_ENUM_VALUE = ("rename-enum-value", Breaking,
        "Enum value renamed",
        "Code writing the old label fails once it is renamed.",
        "Add the new value, make code accept both and write the new one, update rows in batches, and stop using the old value.",
        ["strong_migrations rename_enum_value"]);
    TRUNCATE_CASCADE = ("truncate-cascade", Breaking,
        "TRUNCATE ... CASCADE",
        "CASCADE also empties every table with a foreign key to it, and theirs in turn: far more data than the statement names can vanish.",
        "TRUNCATE the tables you mean, by name, without CASCADE (it fails if another table still refers to them), or DELETE in batches.",
        ["squawk ban-truncate-cascade"]);
    LOCK_TABLE = ("lock-table", Breaking,
        "LOCK TABLE",
        "An explicit lock is held until the migration commits; everything queued behind it waits, and an ACCESS EXCLUSIVE one blocks reads too.",
        "Let each statement take the lock it needs; if an explicit lock is really needed, take the weakest mode that works and set lock_timeout.",
        []);
    DROP_DATABASE = ("drop-database", Breaking,
        "DROP DATABASE",
        "Drops a whole database; it has no place in a schema migration (and cannot run in a transaction).",
        "Drop databases by hand.",
        ["squawk ban-drop-database"]);
    NOT_NULL_NO_DEFAULT = ("not-null-column-without-default", Breaking,
        "NOT NULL column added without a default",
        "ADD COLUMN ... NOT NULL without a default fails on a table with rows, and inserts from the running application (which does not know the column) fail afterwards.",
        "Add it with a constant default (no rewrite since PostgreSQL 11), or nullable first and made NOT NULL after a backfill.",
        ["squawk adding-required-field"]);
    CONCURRENTLY_IN_TRANSACTION = ("concurrently-in-transaction", Runtime,
        "CONCURRENTLY inside a transaction",
        "CREATE INDEX / DROP INDEX / REINDEX / DETACH PARTITION ... CONCURRENTLY cannot run inside a transaction block; the migration fails.",
        "Put it in a migration of its own whose first line is `-- strata:no-transaction`.",
        ["squawk ban-concurrent-index-creation-in-transaction"]);
    NO_TRANSACTION_REQUIRED = ("no-transaction-required", Runtime,
        "Statement that cannot run inside a transaction",
        "VACUUM, CREATE/DROP DATABASE, CREATE/DROP TABLESPACE, ALTER SYSTEM and REINDEX SYSTEM/DATABASE refuse to run in a transaction block; the migration fails.",
        "Put it in a migration whose first line is `-- strata:no-transaction`, or outside migrations.",
        []);
    ENUM_VALUE_IN_TRANSACTION = ("enum-value-used-in-transaction", Runtime,
        "New enum value used in the transaction that adds it",
        "A value added with ALTER TYPE ... ADD VALUE cannot be used until the transaction commits: the statement using it fails (`unsafe use of new value`).",
        "Add the value in one migration and use it in the next one.",
        []);
    TRANSACTION_CONTROL = ("transaction-control", Runtime,
        "BEGIN/COMMIT that does not fit how the migration runs",
        "strata runs a migration in its own transaction unless it starts with `-- strata:no-transaction`; a BEGIN inside it nests (a warning, then the COMMIT ends strata's transaction early), and a BEGIN without COMMIT in a no-transaction migration leaves work uncommitted.",
        "Let strata manage the transaction: remove BEGIN/COMMIT, or mark the migration no-transaction and close every BEGIN with COMMIT.",
        ["squawk transaction-nesting", "squawk ban-uncommitted-transaction"]);
    DUPLICATE_ASSIGNMENT = ("duplicate-column-assignment", Runtime,
        "The same column assigned twice",
        "UPDATE ... SET a = 1, a = 2 or INSERT INTO t (a, a) fails with `multiple assignments to same column`.",
        "Assign each column once.",
        ["squawk ban-duplicate-column-assignments"]);
    MISSING_LOCK_TIMEOUT = ("missing-lock-timeout", Advice,
        "Strong lock taken without lock_timeout",
        "A statement waiting for its lock (behind a long query or an idle transaction) makes every later query on the table queue behind it: an outage without any work being done. strata sets lock_timeout from the project's ddl_lock_timeout; this fires when that is 0 and the migration sets none itself.",
        "Set ddl_lock_timeout in schema.toml ([settings], e.g. \"5s\"), or SET lock_timeout = '5s' at the top of the migration, and retry when it times out.",
        ["squawk require-lock-timeout", "Eugene E9", "strong_migrations lock_timeout"]);
    MISSING_STATEMENT_TIMEOUT = ("missing-statement-timeout", Advice,
        "Long locked work without statement_timeout",
        "A rewrite or scan under a strong lock runs as long as the table needs, with the table blocked all that time; nothing stops it when it takes longer than planned.",
        "Set statement_timeout in schema.toml ([settings]) or SET statement_timeout at the top of the migration.",
        ["squawk require-statement-timeout", "strong_migrations statement_timeout"]);
    PREFER_TIMESTAMPTZ = ("prefer-timestamptz", Advice,
        "timestamp without time zone",
        "timestamp stores wall-clock time without its zone: values written from sessions in different time zones cannot be compared, and daylight-saving changes make them ambiguous.",
        "Use timestamptz (timestamp with time zone).",
        ["squawk prefer-timestamp-tz"]);
    PREFER_BIGINT = ("prefer-bigint", Advice,
        "integer or smallint key",
        "A 32-bit (or 16-bit) primary key, identity or serial runs out (2.1 billion), and widening it later rewrites the table and every referencing table.",
        "Use bigint (bigint GENERATED ALWAYS AS IDENTITY) for keys.",
        ["squawk prefer-bigint-over-int", "squawk prefer-bigint-over-smallint"]);
    PREFER_TEXT = ("prefer-text", Advice,
        "varchar(n)",
        "A length limit in the type can only be raised without a rewrite, never lowered, and changing it takes an AccessExclusiveLock; it is the same storage as text.",
        "Use text, with a CHECK (length(col) <= n) constraint if a limit is a rule of the domain (it can be changed with NOT VALID + VALIDATE).",
        ["squawk prefer-text-field"]);
    PREFER_IDENTITY = ("prefer-identity", Advice,
        "serial instead of identity",
        "serial creates a sequence the column does not fully own (permissions, copying the table, and the sequence's type differ from the column's).",
        "Use GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).",
        ["squawk prefer-identity"]);
    PREFER_TEXT_OVER_CHAR = ("prefer-text-over-char", Advice,
        "char(n)",
        "char(n) pads with spaces, compares with surprising rules and is never faster than text.",
        "Use text (with a CHECK on the length if needed).",
        ["squawk ban-char-field"]);
    PREFER_JSONB = ("prefer-jsonb", Advice,
        "json instead of jsonb",
        "json has no equality operator: SELECT DISTINCT, UNION and GROUP BY over it fail; it is re-parsed on every access.",
        "Use jsonb.",
        ["Eugene E3", "strong_migrations add_column_json"]);
    CREATE_ENUM = ("create-enum", Advice,
        "New enum type",
        "Enum values cannot be removed or reordered without recreating the type, and extra data about a value has nowhere to go.",
        "A lookup table with a foreign key, or text with a CHECK constraint; keep the enum when its values really are fixed.",
        ["Eugene W13"]);
    ENUM_VALUE_POSITION = ("enum-value-position", Advice,
        "ADD VALUE without BEFORE or AFTER",
        "The new value goes last, so ORDER BY over the column sorts it after every existing value.",
        "Say where it goes: ADD VALUE 'x' BEFORE 'y' / AFTER 'y'.",
        ["squawk require-enum-value-ordering"]);
    FK_WITHOUT_INDEX = ("foreign-key-without-index", Advice,
        "Foreign key without an index on its columns",
        "Deleting or updating a referenced row scans the referencing table for rows to check, once per row.",
        "Create an index whose leading columns are the foreign key's columns (CONCURRENTLY on an existing table).",
        ["Eugene E15"]);
    ALTER_TABLE_COMBINE = ("alter-table-combine", Advice,
        "Several ALTER TABLE statements on one existing table",
        "Each ALTER TABLE takes its lock and, when it must, scans or rewrites the table again; one statement with several actions does it once.",
        "Combine the actions into one ALTER TABLE, separated by commas.",
        ["Eugene W12"]);
    DROP_NOT_NULL = ("drop-not-null", Advice,
        "DROP NOT NULL",
        "Code reading the column may not expect NULL; once NULLs are written, going back needs a scan.",
        "Make sure every reader handles NULL before dropping the constraint.",
        ["squawk ban-drop-not-null"]);
    DOMAIN_WITH_CONSTRAINT = ("domain-with-constraint", Advice,
        "Domain created with a constraint",
        "Changing a domain's constraint later checks every column that uses it, in every table, under locks.",
        "Put the CHECK on the table columns (changeable with NOT VALID + VALIDATE), or keep the domain's constraint fixed forever.",
        ["squawk ban-create-domain-with-constraint"]);
    IDENTIFIER_TOO_LONG = ("identifier-too-long", Advice,
        "Identifier longer than 63 bytes",
        "PostgreSQL silently truncates it to 63 bytes: two long names can collide, and later statements naming it in full refer to something else.",
        "Use a shorter name.",
        ["squawk identifier-too-long"]);
    NOT_IDEMPOTENT = ("not-idempotent", Advice,
        "No IF [NOT] EXISTS in a no-transaction migration",
        "A no-transaction migration that stops part-way is resumed or re-run by hand; statements without IF NOT EXISTS / IF EXISTS fail on the second run. (A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before re-running even with IF NOT EXISTS.)",
        "Write CREATE INDEX CONCURRENTLY IF NOT EXISTS and DROP INDEX CONCURRENTLY IF EXISTS.",
        ["squawk prefer-robust-stmts"]);
    INDEX_TOO_MANY_COLUMNS = ("index-too-many-columns", Advice,
        "Non-unique index on more than three columns",
        "Wide non-unique indexes are large and slow to write; the leading columns usually do the work.",
        "Index the most selective columns (three or fewer), or use a partial index.",
        ["strong_migrations add_index_columns"]);
    SYNTAX_ERROR = ("syntax-error", Runtime,
        "SQL that does not parse",
        "The statement does not parse as PostgreSQL: nothing after it was checked and the migration will fail.",
        "Fix the SQL (the message says where the parser stopped).",
        []);
    ALLOW_WITHOUT_REASON = ("allow-without-reason", Runtime,
        "strata:allow without a reason or with an unknown rule",
        "A suppression must say why the finding is acceptable, so the next reader can judge it; an unknown rule id suppresses nothing.",
        "Write `-- strata:allow RULE-ID why this is safe here`.",
        []);
    UNUSED_ALLOW = ("unused-allow", Advice,
        "strata:allow that suppresses nothing",
        "The rule it names did not fire where the suppression applies: the comment is stale or misplaced.",
        "Remove it, or put it on the statement (the comment lines right before it) it is meant for.",
        ["squawk unused-ignore"]);
}

/// The rule with `id`.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// The rules `--explain ID` shows: the one named, or every rule for `all`.
pub fn explain_list(id: &str) -> Result<Vec<&'static Rule>, UnknownRule> {
    if id == "all" {
        return Ok(ALL.to_vec());
    }
    by_id(id)
        .map(|r| vec![r])
        .ok_or_else(|| UnknownRule(id.to_string()))
}

/// `--explain` named no rule.
#[derive(Debug, thiserror::Error)]
#[error("unknown rule '{0}' (strata lint --explain all lists them)")]
pub struct UnknownRule(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in ALL {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(r
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert!(!r.instead.is_empty() && !r.why.is_empty());
        }
        assert!(by_id("set-not-null").is_some());
        assert!(by_id("nope").is_none());
    }
}
