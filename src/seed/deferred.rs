//! Keys, indexes and foreign keys of the seeded tables, taken off for a bulk load (`seed
//! --profile load`) and put back exactly as they were after it, as pg_restore does.

use std::collections::BTreeSet;

use super::spec::SeedSpec;
use super::{db, SeedError};
use crate::history::quote_literal;
use crate::local::quote_qualified;
use crate::ops::Session;

/// Keys, indexes and foreign keys of the seeded tables, taken off for a bulk load and put
/// back exactly (same names, definitions, options and comments) after it, inside the seed's
/// transaction: a failure anywhere (a duplicate key, a dangling reference) rolls all of it
/// back.
///
/// Only plain tables (not partitioned ones or partitions) are touched, and only objects
/// nothing else depends on but foreign keys that are taken off too: an index in a
/// non-default tablespace, with per-column statistics targets or used as replica identity,
/// and a key a view depends on, stay where they are.
#[derive(Debug, Default)]
pub(super) struct Deferred {
    /// PRIMARY KEY and UNIQUE constraints.
    keys: Vec<DeferredKey>,
    /// Indexes that back no constraint, unique ones first.
    indexes: Vec<DeferredIndex>,
    /// Foreign keys of the seeded tables and those referencing a key taken off.
    foreign_keys: Vec<DeferredForeignKey>,
}

#[derive(Debug)]
struct DeferredKey {
    table: String,
    /// Quoted constraint name (also the name of its index).
    name: String,
    /// `PRIMARY KEY` or `UNIQUE`.
    kind: &'static str,
    /// `DEFERRABLE ...` or nothing.
    timing: &'static str,
    comment: Option<String>,
    /// The backing index: CREATE UNIQUE INDEX (with its INCLUDE columns, NULLS NOT
    /// DISTINCT and storage options, which pg_get_constraintdef leaves out), comment and
    /// CLUSTER mark.
    index: DeferredIndex,
}

#[derive(Debug)]
struct DeferredIndex {
    table: String,
    name: String,
    create: String,
    unique: bool,
    comment: Option<String>,
    clustered: bool,
}

#[derive(Debug)]
struct DeferredForeignKey {
    table: String,
    name: String,
    definition: String,
    comment: Option<String>,
}

/// An index or constraint-backing index that may be dropped: on a plain table being seeded,
/// valid, in the default tablespace, not the replica identity, no statistics targets, and
/// nothing depending on it (or on its constraint) but the index itself and foreign keys on
/// plain tables.
const DROPPABLE_INDEX: &str = "
    t.relkind = 'r' AND NOT t.relispartition AND i.indisvalid AND NOT i.indisreplident
    AND ic.reltablespace = 0
    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0)
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid
          AND NOT (d.classid = 'pg_constraint'::regclass AND EXISTS (
              SELECT 1 FROM pg_constraint f JOIN pg_class ft ON ft.oid = f.conrelid
              WHERE f.oid = d.objid AND f.contype = 'f' AND ft.relkind = 'r' AND NOT ft.relispartition)))
    AND NOT EXISTS (
        SELECT 1 FROM pg_constraint k JOIN pg_depend d ON d.refclassid = 'pg_constraint'::regclass AND d.refobjid = k.oid
        WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u')
          AND NOT (d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid))";

impl Deferred {
    pub(super) async fn take_off(
        session: &Session<'_>,
        spec: &SeedSpec,
    ) -> Result<Deferred, SeedError> {
        let tables: Vec<String> = spec
            .tables
            .iter()
            .map(|t| quote_qualified(&t.name))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let client = &session.client;
        let keys = client
            .query(
                &format!(
                    "SELECT c.conrelid::regclass::text, quote_ident(c.conname), c.contype = 'p', c.condeferrable, c.condeferred,
                            obj_description(c.oid, 'pg_constraint'), i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                            obj_description(i.indexrelid, 'pg_class'), i.indisclustered, i.indexrelid
                     FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
                     JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY($1::text[]::regclass[]) AND ic.relname = c.conname
                       AND {DROPPABLE_INDEX}
                     ORDER BY 1, 2"
                ),
                &[&tables],
            )
            .await
            .map_err(db("reading the seeded tables' keys"))?;
        let indexes = client
            .query(
                &format!(
                    "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                            i.indisunique, obj_description(i.indexrelid, 'pg_class'), i.indisclustered, i.indexrelid
                     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = ANY($1::text[]::regclass[]) AND {DROPPABLE_INDEX}
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
                     ORDER BY NOT i.indisunique, 2"
                ),
                &[&tables],
            )
            .await
            .map_err(db("reading the seeded tables' indexes"))?;
        // The keys' indexes and the unique indexes: foreign keys referencing them go too.
        let referenced: Vec<u32> = keys
            .iter()
            .map(|r| r.get::<_, u32>(10))
            .chain(
                indexes
                    .iter()
                    .filter(|r| r.get::<_, bool>(3))
                    .map(|r| r.get::<_, u32>(6)),
            )
            .collect();
        let fks = client
            .query(
                "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid), obj_description(c.oid, 'pg_constraint')
                 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                 WHERE c.contype = 'f' AND t.relkind = 'r' AND NOT t.relispartition
                   AND (c.conrelid = ANY($1::text[]::regclass[]) OR c.conindid = ANY($2::oid[]))
                 ORDER BY 1, 2",
                &[&tables, &referenced],
            )
            .await
            .map_err(db("reading the seeded tables' foreign keys"))?;
        let deferred = Deferred {
            keys: keys
                .iter()
                .map(|r| DeferredKey {
                    table: r.get(0),
                    name: r.get(1),
                    kind: if r.get(2) { "PRIMARY KEY" } else { "UNIQUE" },
                    timing: match (r.get(3), r.get(4)) {
                        (true, true) => " DEFERRABLE INITIALLY DEFERRED",
                        (true, false) => " DEFERRABLE",
                        _ => "",
                    },
                    comment: r.get(5),
                    index: DeferredIndex {
                        table: r.get(0),
                        name: r.get(6),
                        create: r.get(7),
                        unique: true,
                        comment: r.get(8),
                        clustered: r.get(9),
                    },
                })
                .collect(),
            indexes: indexes
                .iter()
                .map(|r| DeferredIndex {
                    table: r.get(0),
                    name: r.get(1),
                    create: r.get(2),
                    unique: r.get(3),
                    comment: r.get(4),
                    clustered: r.get(5),
                })
                .collect(),
            foreign_keys: fks
                .iter()
                .map(|r| DeferredForeignKey {
                    table: r.get(0),
                    name: r.get(1),
                    definition: r.get(2),
                    comment: r.get(3),
                })
                .collect(),
        };
        let mut sql = String::new();
        for fk in &deferred.foreign_keys {
            sql.push_str(&format!(
                "ALTER TABLE {} DROP CONSTRAINT {};\n",
                fk.table, fk.name
            ));
        }
        for key in &deferred.keys {
            sql.push_str(&format!(
                "ALTER TABLE {} DROP CONSTRAINT {};\n",
                key.table, key.name
            ));
        }
        for index in &deferred.indexes {
            sql.push_str(&format!("DROP INDEX {};\n", index.name));
        }
        client
            .batch_execute(&sql)
            .await
            .map_err(db("taking keys, indexes and foreign keys off for the load"))?;
        Ok(deferred)
    }

    /// Primary keys, unique constraints and unique indexes: before anything that needs them
    /// (the recompute's ON CONFLICT, foreign keys). Fails on a duplicate key.
    pub(super) async fn keys_back(&self, session: &Session<'_>) -> Result<(), SeedError> {
        let mut sql = String::new();
        for key in &self.keys {
            // The index first, then the constraint on it: as ADD CONSTRAINT would make it,
            // with the index's options.
            create_indexes(&mut sql, std::iter::once(&key.index));
            sql.push_str(&format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}{};\n",
                key.table, key.name, key.kind, key.name, key.timing
            ));
            if let Some(c) = &key.comment {
                sql.push_str(&format!(
                    "COMMENT ON CONSTRAINT {} ON {} IS {};\n",
                    key.name,
                    key.table,
                    quote_literal(c)
                ));
            }
        }
        let unique = self.indexes.iter().filter(|i| i.unique);
        create_indexes(&mut sql, unique);
        run_batch(
            session,
            &sql,
            "adding the primary keys and unique constraints back after the load",
        )
        .await
    }

    /// Indexes that are not unique.
    pub(super) async fn indexes_back(&self, session: &Session<'_>) -> Result<(), SeedError> {
        let mut sql = String::new();
        create_indexes(&mut sql, self.indexes.iter().filter(|i| !i.unique));
        run_batch(session, &sql, "building indexes after the load").await
    }

    /// Foreign keys: re-adding one checks every row at once (one join per key).
    pub(super) async fn foreign_keys_back(&self, session: &Session<'_>) -> Result<(), SeedError> {
        let mut sql = String::new();
        for fk in &self.foreign_keys {
            sql.push_str(&format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {};\n",
                fk.table, fk.name, fk.definition
            ));
            if let Some(c) = &fk.comment {
                sql.push_str(&format!(
                    "COMMENT ON CONSTRAINT {} ON {} IS {};\n",
                    fk.name,
                    fk.table,
                    quote_literal(c)
                ));
            }
        }
        run_batch(session, &sql, "checking foreign keys after the load").await
    }
}

fn create_indexes<'a>(sql: &mut String, indexes: impl Iterator<Item = &'a DeferredIndex>) {
    for index in indexes {
        sql.push_str(&index.create);
        sql.push_str(";\n");
        restore_index_marks(
            sql,
            &index.table,
            &index.name,
            &index.comment,
            index.clustered,
        );
    }
}

fn restore_index_marks(
    sql: &mut String,
    table: &str,
    index: &str,
    comment: &Option<String>,
    clustered: bool,
) {
    if let Some(c) = comment {
        sql.push_str(&format!(
            "COMMENT ON INDEX {index} IS {};\n",
            quote_literal(c)
        ));
    }
    if clustered {
        sql.push_str(&format!("ALTER TABLE {table} CLUSTER ON {index};\n"));
    }
}

async fn run_batch(session: &Session<'_>, sql: &str, context: &str) -> Result<(), SeedError> {
    if sql.is_empty() {
        return Ok(());
    }
    session.client.batch_execute(sql).await.map_err(db(context))
}
