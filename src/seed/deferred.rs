//! Keys, indexes and foreign keys of the seeded tables, taken off for a bulk load and put
//! back exactly (same names, definitions, options and comments) after it, as `pg_restore`
//! does: each index is built once from the loaded rows and each foreign key checked by one
//! join, instead of row by row during the COPY.
//!
//! Only plain tables (not partitioned ones or partitions) are touched, and only objects
//! nothing else depends on but foreign keys that are taken off too: an index in a
//! non-default tablespace, with per-column statistics targets or used as replica identity,
//! and a key a view depends on, stay where they are.

use std::collections::HashSet;

use tokio_postgres::Client;

use super::{db, SeedError};
use crate::history::quote_literal;

/// What was taken off, to be put back.
#[derive(Debug, Default)]
pub(super) struct Deferred {
    /// PRIMARY KEY and UNIQUE constraints.
    pub keys: Vec<DeferredKey>,
    /// Indexes that back no constraint, unique ones first.
    pub indexes: Vec<DeferredIndex>,
    /// Foreign keys of the seeded tables and those referencing a key taken off.
    pub foreign_keys: Vec<DeferredForeignKey>,
}

#[derive(Debug)]
pub(super) struct DeferredKey {
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
    pub index: DeferredIndex,
}

#[derive(Debug)]
pub(super) struct DeferredIndex {
    pub table: String,
    pub table_oid: u32,
    pub name: String,
    create: String,
    pub unique: bool,
    comment: Option<String>,
    clustered: bool,
}

#[derive(Debug)]
pub(super) struct DeferredForeignKey {
    pub table: String,
    pub table_oid: u32,
    pub name: String,
    /// `FOREIGN KEY (...) REFERENCES ...`, with `NOT VALID` when it was not validated.
    definition: String,
    validated: bool,
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
    /// Reads what may be taken off `tables` (quoted, qualified names) and drops it.
    pub async fn take_off(client: &Client, tables: &[String]) -> Result<Deferred, SeedError> {
        let keys = client
            .query(
                &format!(
                    "SELECT c.conrelid::regclass::text, quote_ident(c.conname), c.contype = 'p', c.condeferrable, c.condeferred,
                            obj_description(c.oid, 'pg_constraint'), i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                            obj_description(i.indexrelid, 'pg_class'), i.indisclustered, i.indexrelid, c.conrelid
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
                            i.indisunique, obj_description(i.indexrelid, 'pg_class'), i.indisclustered, i.indexrelid, i.indrelid
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
                "SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid), obj_description(c.oid, 'pg_constraint'),
                        c.conrelid, c.convalidated
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
                        table_oid: r.get(11),
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
                    table_oid: r.get(7),
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
                    table_oid: r.get(4),
                    name: r.get(1),
                    definition: r.get(2),
                    validated: r.get(5),
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
                key.index.table, key.name
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
    pub fn keys_sql(&self) -> String {
        let mut sql: String = self.keys.iter().map(key_sql).collect();
        sql.extend(self.indexes.iter().filter(|i| i.unique).map(index_sql));
        sql
    }

    /// Indexes that are not unique.
    pub fn indexes_sql(&self) -> String {
        self.indexes
            .iter()
            .filter(|i| !i.unique)
            .map(index_sql)
            .collect()
    }

    /// Foreign keys: re-adding one checks every row at once (one join per key).
    pub fn foreign_keys_sql(&self) -> String {
        self.foreign_keys
            .iter()
            .map(|fk| fk_sql(fk, false))
            .collect()
    }

    /// Each key and index as a statement batch of its own, keys and unique indexes first.
    pub fn builds(&self) -> Vec<Build> {
        let keys = self.keys.iter().map(|k| Build {
            table_oid: k.index.table_oid,
            unique: true,
            exclusive: true,
            sql: key_sql(k),
        });
        let indexes = self.indexes.iter().map(|i| Build {
            table_oid: i.table_oid,
            unique: i.unique,
            exclusive: i.clustered,
            sql: index_sql(i),
        });
        let mut all: Vec<Build> = keys.chain(indexes).collect();
        all.sort_by_key(|b| !b.unique);
        all
    }

    /// Every foreign key added back without checking its rows (`NOT VALID`): one quick
    /// batch; [`Deferred::validations`] then checks them, each on its own.
    pub fn foreign_keys_unchecked_sql(&self) -> String {
        self.foreign_keys
            .iter()
            .map(|fk| fk_sql(fk, true))
            .collect()
    }

    /// `VALIDATE CONSTRAINT` of each foreign key added unchecked that was validated before.
    /// A validation takes a lock that lets others run at the same time (unlike adding a
    /// checked key, which locks the referenced table against every other such addition).
    pub fn validations(&self) -> Vec<(u32, String)> {
        self.foreign_keys
            .iter()
            .filter(|fk| fk.validated)
            .map(|fk| (fk.table_oid, validate_sql(fk)))
            .collect()
    }

    /// Puts back whatever is missing (or left unchecked) after a run that did not end in
    /// one transaction failed: the SQL for the objects not in the catalog now.
    pub async fn missing_sql(&self, client: &Client) -> Result<String, SeedError> {
        let oids: Vec<u32> = self
            .keys
            .iter()
            .map(|k| k.index.table_oid)
            .chain(self.indexes.iter().map(|i| i.table_oid))
            .chain(self.foreign_keys.iter().map(|f| f.table_oid))
            .collect();
        let rows = client
            .query(
                "SELECT conrelid::regclass::text || ' ' || quote_ident(conname), convalidated FROM pg_constraint WHERE conrelid = ANY($1::oid[])
                 UNION ALL SELECT indexrelid::regclass::text, true FROM pg_index WHERE indrelid = ANY($1::oid[])",
                &[&oids],
            )
            .await
            .map_err(db("reading which keys, indexes and foreign keys are in place"))?;
        let present: HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
        let validated: HashSet<String> = rows
            .iter()
            .filter(|r| r.get::<_, bool>(1))
            .map(|r| r.get(0))
            .collect();
        let mut sql = String::new();
        for key in &self.keys {
            if !present.contains(&format!("{} {}", key.index.table, key.name)) {
                if present.contains(&key.index.name) {
                    sql.push_str(&format!("DROP INDEX {};\n", key.index.name));
                }
                sql.push_str(&key_sql(key));
            }
        }
        for index in &self.indexes {
            if !present.contains(&index.name) {
                sql.push_str(&index_sql(index));
            }
        }
        for fk in &self.foreign_keys {
            let id = format!("{} {}", fk.table, fk.name);
            if !present.contains(&id) {
                sql.push_str(&fk_sql(fk, false));
            } else if fk.validated && !validated.contains(&id) {
                sql.push_str(&validate_sql(fk));
            }
        }
        Ok(sql)
    }
}

/// One key or index to build.
#[derive(Debug)]
pub(super) struct Build {
    /// The table it is on.
    pub table_oid: u32,
    /// A key or unique index (built before anything that needs it).
    pub unique: bool,
    /// It takes a lock on the table that conflicts with another build of it (ALTER TABLE
    /// of a key or a CLUSTER mark): never run beside one.
    pub exclusive: bool,
    pub sql: String,
}

/// A key: its index first, then the constraint on it (as ADD CONSTRAINT would make it, with
/// the index's options), and its comment.
fn key_sql(key: &DeferredKey) -> String {
    let mut sql = index_sql(&key.index);
    sql.push_str(&format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}{};\n",
        key.index.table, key.name, key.kind, key.name, key.timing
    ));
    if let Some(c) = &key.comment {
        sql.push_str(&format!(
            "COMMENT ON CONSTRAINT {} ON {} IS {};\n",
            key.name,
            key.index.table,
            quote_literal(c)
        ));
    }
    sql
}

fn index_sql(index: &DeferredIndex) -> String {
    let mut sql = format!("{};\n", index.create);
    if let Some(c) = &index.comment {
        sql.push_str(&format!(
            "COMMENT ON INDEX {} IS {};\n",
            index.name,
            quote_literal(c)
        ));
    }
    if index.clustered {
        sql.push_str(&format!(
            "ALTER TABLE {} CLUSTER ON {};\n",
            index.table, index.name
        ));
    }
    sql
}

fn fk_sql(fk: &DeferredForeignKey, unchecked: bool) -> String {
    let not_valid = if unchecked && fk.validated {
        " NOT VALID"
    } else {
        ""
    };
    let mut sql = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {}{not_valid};\n",
        fk.table, fk.name, fk.definition
    );
    if let Some(c) = &fk.comment {
        sql.push_str(&format!(
            "COMMENT ON CONSTRAINT {} ON {} IS {};\n",
            fk.name,
            fk.table,
            quote_literal(c)
        ));
    }
    sql
}

fn validate_sql(fk: &DeferredForeignKey) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {};\n",
        fk.table, fk.name
    )
}
