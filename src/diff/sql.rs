//! The script that brings the live schema to the expected one. Statements are ordered by
//! dependencies: drops of dependent objects that change first (triggers, policies, views,
//! indexes, foreign keys, constraints, defaults), then creates and alters (schemas,
//! extensions, types, sequences, functions, tables, columns, constraints, foreign keys,
//! indexes, views, triggers, policies, comments). Every statement that can lose data —
//! dropping a table, column or sequence, a type change that is not a plain widening,
//! recreating an enum without some of its labels or a domain over another type, recreating a
//! partitioned table whose key changes — is marked `-- DATA LOSS:` and grouped last,
//! followed only by what has to wait for it (tables recreated there with everything on
//! them, views over what it changes, with their comments and grants, foreign keys to
//! recreated tables; drops of functions, types and schemas that nothing uses any more).
//!
//! What PostgreSQL cannot alter in place is dropped and created again, and so is everything
//! that depends on it (a `Plan` computed from the two models alone: the views' relations,
//! functions and types, the functions that defaults, constraints, indexes, triggers and
//! policies call, foreign keys, sequence ownership): dropped before, created again after.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::constraint_body;
use crate::history::quote_literal;
use crate::introspect::{
    split_qualified, unquote, CatalogModel, Column, ConstraintKind, Function, Index, Table,
    TypeDef, TypeKind, View,
};

/// One statement of the script.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub sql: String,
    /// Why the statement can lose data, when it can.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_loss: Option<String>,
}

/// The whole script, in order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Script {
    pub statements: Vec<Statement>,
}

impl Script {
    /// The script as text, runnable by psql (each statement ends with `;`).
    pub fn text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str(&format!("-- {line}\n"));
        }
        if self.statements.is_empty() {
            out.push_str("-- nothing to do: the schemas match\n");
            return out;
        }
        let losses = self
            .statements
            .iter()
            .filter(|s| s.data_loss.is_some())
            .count();
        out.push_str(&format!(
            "-- {} statement{}, {} marked DATA LOSS (grouped last)\n\nSET check_function_bodies = false;\n",
            self.statements.len(),
            if self.statements.len() == 1 { "" } else { "s" },
            losses
        ));
        let mut in_loss_group = false;
        for s in &self.statements {
            if s.data_loss.is_some() && !in_loss_group {
                in_loss_group = true;
                out.push_str("\n-- ==== statements below can lose data ====\n");
            }
            out.push('\n');
            if let Some(why) = &s.data_loss {
                out.push_str(&format!("-- DATA LOSS: {why}\n"));
            }
            out.push_str(s.sql.trim_end());
            out.push_str(";\n");
        }
        out
    }
}

// Order of the steps; equal orders keep the order they were added in.
const DROP_TRIGGER: u32 = 10;
const DROP_POLICY: u32 = 11;
const DROP_VIEW: u32 = 12;
const DROP_INDEX: u32 = 13;
const DROP_FK: u32 = 14;
const DROP_CONSTRAINT: u32 = 15;
const DROP_IDENTITY: u32 = 16;
const DISOWN: u32 = 17;
const DROP_DEFAULT: u32 = 18;
const SCHEMA: u32 = 20;
const EXTENSION: u32 = 21;
const TYPE: u32 = 22;
const SEQUENCE: u32 = 24;
const FUNCTION: u32 = 25;
const TABLE: u32 = 26;
const PARTITION: u32 = 27;
const COLUMN: u32 = 28;
const COLUMN_DEFAULT: u32 = 29;
const CONSTRAINT: u32 = 30;
const FK: u32 = 31;
const INDEX: u32 = 32;
const VIEW: u32 = 33;
const TRIGGER: u32 = 35;
const POLICY: u32 = 36;
const TABLE_OPTIONS: u32 = 37;
const COMMENT: u32 = 38;
const OWNED_BY: u32 = 39;
const PRIVILEGES: u32 = 40;
// The data-loss group and what must follow it: what is created again after it (the steps
// above, shifted by LATE: tables recreated with their parts, views over what it changes,
// foreign keys to recreated tables), then drops of what nothing uses any more.
const LOSS_FK: u32 = 100;
const LOSS: u32 = 101;
const LOSS_TABLE: u32 = 103;
const LATE: u32 = 100;
const DROP_FUNCTION: u32 = 150;
const DROP_TYPE: u32 = 151;
const DROP_SEQUENCE: u32 = 152;
const DROP_EXTENSION: u32 = 153;
const DROP_SCHEMA: u32 = 154;

struct Step {
    order: u32,
    sub: i64,
    sql: String,
    loss: Option<String>,
}

struct Builder {
    steps: Vec<Step>,
    /// Steps added now wait for the data-loss group (their order is shifted by LATE).
    late: bool,
}

impl Builder {
    fn add(&mut self, order: u32, sql: impl Into<String>) {
        self.add_sub(order, 0, sql);
    }
    fn add_sub(&mut self, order: u32, sub: i64, sql: impl Into<String>) {
        let order = if self.late && order < LOSS_FK {
            order + LATE
        } else {
            order
        };
        self.steps.push(Step {
            order,
            sub,
            sql: sql.into(),
            loss: None,
        });
    }
    /// Runs `f` with every step it adds after the data-loss group.
    fn after_loss(&mut self, f: impl FnOnce(&mut Builder)) {
        let was = self.late;
        self.late = true;
        f(self);
        self.late = was;
    }
    fn loss(&mut self, order: u32, sub: i64, sql: impl Into<String>, why: impl Into<String>) {
        self.steps.push(Step {
            order,
            sub,
            sql: sql.into(),
            loss: Some(why.into()),
        });
    }
    fn comment(&mut self, target: &str, expected: &Option<String>, live: Option<&Option<String>>) {
        let live_value = live.cloned().unwrap_or(None);
        if *expected != live_value && (expected.is_some() || live.is_some()) {
            self.add(COMMENT, comment_sql(target, expected.as_ref()));
        }
    }
}

/// `COMMENT ON target IS 'text'` (or `IS NULL`).
fn comment_sql(target: &str, value: Option<&String>) -> String {
    let value = value
        .map(|v| quote_literal(v))
        .unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {target} IS {value}")
}

/// Quotes a generated identifier when it is not a plain lower-case name.
fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// True when changing a column from `from` to `to` keeps every value as it is.
pub fn is_widening(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    fn split(t: &str) -> (&str, Vec<i64>) {
        const SIZED: [&str; 5] = [
            "character varying",
            "character",
            "numeric",
            "bit varying",
            "bit",
        ];
        match t.find('(') {
            Some(i) if t.ends_with(')') && SIZED.contains(&&t[..i]) => {
                let args = t[i + 1..t.len() - 1]
                    .split(',')
                    .filter_map(|a| a.trim().parse().ok())
                    .collect();
                (&t[..i], args)
            }
            _ => (t, Vec::new()),
        }
    }
    let (fb, fa) = split(from);
    let (tb, ta) = split(to);
    let ints = ["smallint", "integer", "bigint"];
    let rank = |b: &str| ints.iter().position(|i| *i == b);
    match (fb, tb) {
        (f, t) if rank(f).is_some() && rank(t).is_some() => rank(f) <= rank(t),
        (f, "numeric") if rank(f).is_some() => {
            ta.is_empty()
                || ta.first().copied().unwrap_or(0) - ta.get(1).copied().unwrap_or(0) >= 19
        }
        ("real", "double precision") => true,
        ("character varying", "character varying") => {
            ta.is_empty() || (!fa.is_empty() && ta[0] >= fa[0])
        }
        ("character varying" | "text", "text") => true,
        ("numeric", "numeric") => match (fa.as_slice(), ta.as_slice()) {
            (_, []) => true,
            ([p1, s1], [p2, s2]) => s2 >= s1 && p2 - s2 >= p1 - s1,
            ([p1], [p2, s2]) => p2 - s2 >= *p1,
            ([p1], [p2]) => p2 >= p1,
            _ => false,
        },
        ("bit varying", "bit varying") => ta.is_empty() || (!fa.is_empty() && ta[0] >= fa[0]),
        _ => false,
    }
}

/// Views in dependency order: every view after the views it reads.
fn view_order(model: &CatalogModel) -> Vec<String> {
    fn visit(name: &str, model: &CatalogModel, seen: &mut BTreeSet<String>, out: &mut Vec<String>) {
        if !seen.insert(name.to_string()) {
            return;
        }
        if let Some(v) = model.views.get(name) {
            for dep in &v.depends_on {
                if model.views.contains_key(dep) {
                    visit(dep, model, seen, out);
                }
            }
            out.push(name.to_string());
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for name in model.views.keys() {
        visit(name, model, &mut seen, &mut out);
    }
    out
}

/// Views of `model` that read any of `roots` (relations, function keys, type names), directly
/// or through other views.
fn dependents(model: &CatalogModel, roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = found.len();
        for (name, v) in &model.views {
            if found.contains(name) {
                continue;
            }
            if v.depends_on
                .iter()
                .any(|d| roots.contains(d) || found.contains(d))
                || !v.functions.is_disjoint(roots)
                || !v.types.is_disjoint(roots)
            {
                found.insert(name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// `tables` and every partition under them, in either model.
fn with_partitions(
    tables: &BTreeSet<String>,
    expected: &CatalogModel,
    live: &CatalogModel,
) -> BTreeSet<String> {
    let mut all = tables.clone();
    loop {
        let before = all.len();
        for model in [expected, live] {
            for (name, t) in &model.tables {
                if t.parent.as_ref().is_some_and(|p| all.contains(p)) {
                    all.insert(name.clone());
                }
            }
        }
        if all.len() == before {
            return all;
        }
    }
}

/// The first line of a function's definition: `CREATE OR REPLACE FUNCTION name(arguments)`,
/// with parameter names, modes and defaults.
fn function_header(definition: &str) -> &str {
    definition.lines().next().unwrap_or_default()
}

/// True when `CREATE OR REPLACE` cannot turn `live` into `expected`: another kind or
/// result, or other parameters (names, modes, defaults).
fn function_needs_drop(e: &Function, l: &Function) -> bool {
    e.kind != l.kind
        || e.returns != l.returns
        || function_header(&e.definition) != function_header(&l.definition)
}

/// True when the type cannot be altered into the expected one and is created again under
/// its name: another kind, an enum losing or reordering labels, a domain over another base
/// type or collation.
fn type_needs_recreate(e: &TypeDef, l: &TypeDef) -> bool {
    if e.kind != l.kind {
        return true;
    }
    match e.kind {
        TypeKind::Enum => e.labels != l.labels && !is_subsequence(&l.labels, &e.labels),
        TypeKind::Domain => e.base_type != l.base_type || e.collation != l.collation,
        TypeKind::Composite => false,
    }
}

/// What the script drops and creates again beyond the objects that differ themselves, so
/// that no DROP meets an object that depends on what it drops, and everything dropped comes
/// back. Computed from the two models alone.
struct Plan {
    /// Tables dropped and created again (their partition key changes), with every partition
    /// under them on either side.
    recreated_tables: BTreeSet<String>,
    /// Types created again under their name (renamed, created, columns converted, the old
    /// one dropped) in the data-loss group.
    recreated_types: BTreeSet<String>,
    /// Live functions dropped before the expected one is created.
    recreated_functions: BTreeSet<String>,
    /// Expected function → the live one of the same signature it replaces under another key
    /// (parameters renamed).
    replaced_functions: BTreeMap<String, String>,
    /// Views in both models dropped and created again.
    rebuild_views: BTreeSet<String>,
    /// Views that, when created, must wait for the data-loss group.
    late_views: BTreeSet<String>,
    /// Recreated types that are recreated only because a type they are built on is (a
    /// domain over it, a composite type with an attribute of it), with how deep they are
    /// built on it.
    type_depth: BTreeMap<String, i64>,
    /// Expected functions whose parameters or result use a recreated type: created (and the
    /// live one dropped before) once the data-loss group has created the type again.
    late_functions: BTreeSet<String>,
    /// Per table, the columns whose type changes (converted in place, or because their type
    /// is created again) and whether that can lose data (it then runs in the data-loss group).
    converted: BTreeMap<String, BTreeMap<String, bool>>,
    /// What `detach_dependents` dropped that is created again after the data-loss group:
    /// `table.column` (default), `table.name` (constraint, trigger, policy), index names.
    late_parts: BTreeSet<String>,
}

/// A type name without its array brackets.
fn element_type(t: &str) -> &str {
    t.strip_suffix("[]").unwrap_or(t)
}

impl Plan {
    fn new(expected: &CatalogModel, live: &CatalogModel) -> Plan {
        let roots: BTreeSet<String> = expected
            .tables
            .iter()
            .filter(|(k, e)| {
                live.tables
                    .get(*k)
                    .is_some_and(|l| l.partition_key != e.partition_key)
            })
            .map(|(k, _)| k.clone())
            .collect();
        let recreated_tables = with_partitions(&roots, expected, live);

        let mut type_changed: BTreeSet<String> = BTreeSet::new();
        let mut loss_tables: BTreeSet<String> = BTreeSet::new();
        for (name, e) in &expected.tables {
            if recreated_tables.contains(name) {
                continue;
            }
            if let Some(l) = live.tables.get(name) {
                for ec in &e.columns {
                    if let Some(lc) = l.column(&ec.name) {
                        if ec.data_type != lc.data_type || ec.collation != lc.collation {
                            type_changed.insert(name.clone());
                            if !is_widening(&lc.data_type, &ec.data_type) {
                                loss_tables.insert(name.clone());
                            }
                        }
                    }
                }
            }
        }

        let mut recreated_types: BTreeSet<String> = expected
            .types
            .iter()
            .filter(|(k, e)| {
                live.types
                    .get(*k)
                    .is_some_and(|l| type_needs_recreate(e, l))
            })
            .map(|(k, _)| k.clone())
            .collect();
        // Domains and composite types built on a recreated type are created again over the
        // new one (the old one could not be dropped under them).
        let mut type_depth: BTreeMap<String, i64> = BTreeMap::new();
        for depth in 1..16 {
            let more: Vec<String> = expected
                .types
                .iter()
                .filter(|(k, e)| {
                    !recreated_types.contains(*k)
                        && live.types.contains_key(*k)
                        && (e
                            .base_type
                            .as_deref()
                            .is_some_and(|b| recreated_types.contains(element_type(b)))
                            || e.attributes
                                .iter()
                                .any(|(_, t)| recreated_types.contains(element_type(t))))
                })
                .map(|(k, _)| k.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            for k in more {
                type_depth.insert(k.clone(), depth);
                recreated_types.insert(k);
            }
        }
        let uses_recreated = |types: &BTreeSet<String>| !types.is_disjoint(&recreated_types);

        // Columns converted in place, and those whose type is created again.
        let mut converted: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
        for (name, e) in &expected.tables {
            if recreated_tables.contains(name) {
                continue;
            }
            let Some(l) = live.tables.get(name) else {
                continue;
            };
            for ec in &e.columns {
                let Some(lc) = l.column(&ec.name) else {
                    continue;
                };
                if ec.data_type != lc.data_type || ec.collation != lc.collation {
                    converted
                        .entry(name.clone())
                        .or_default()
                        .insert(ec.name.clone(), !is_widening(&lc.data_type, &ec.data_type));
                } else if recreated_types.contains(element_type(&ec.data_type)) {
                    converted
                        .entry(name.clone())
                        .or_default()
                        .insert(ec.name.clone(), true);
                }
            }
        }

        let mut recreated_functions: BTreeSet<String> = expected
            .functions
            .iter()
            .filter(|(k, e)| {
                live.functions
                    .get(*k)
                    .is_some_and(|l| l.definition != e.definition && function_needs_drop(e, l))
            })
            .map(|(k, _)| k.clone())
            .collect();
        // Functions over a recreated type are dropped before it is renamed and created again
        // after the data-loss group, with everything that calls them.
        let late_functions: BTreeSet<String> = expected
            .functions
            .iter()
            .filter(|(k, e)| {
                uses_recreated(&e.types)
                    || live
                        .functions
                        .get(*k)
                        .is_some_and(|l| uses_recreated(&l.types))
            })
            .map(|(k, _)| k.clone())
            .collect();
        recreated_functions.extend(
            late_functions
                .iter()
                .filter(|k| live.functions.contains_key(*k))
                .cloned(),
        );
        let mut replaced_functions = BTreeMap::new();
        for (k, e) in &expected.functions {
            if live.functions.contains_key(k) || e.signature.is_none() {
                continue;
            }
            let same = live.functions.iter().find(|(lk, l)| {
                l.signature == e.signature && !expected.functions.contains_key(*lk)
            });
            if let Some((lk, _)) = same {
                recreated_functions.insert(lk.clone());
                replaced_functions.insert(k.clone(), lk.clone());
            }
        }

        // Views are dropped and created again when they change, when they read what is
        // dropped, recreated or altered under them, and when they read such views.
        let mut changed_roots = with_partitions(&type_changed, expected, live);
        changed_roots.extend(recreated_tables.iter().cloned());
        changed_roots.extend(recreated_types.iter().cloned());
        changed_roots.extend(recreated_functions.iter().cloned());
        changed_roots.extend(replaced_functions.keys().cloned());
        let mut rebuild_views: BTreeSet<String> = expected
            .views
            .iter()
            .filter(|(k, e)| {
                live.views.get(*k).is_some_and(|l| {
                    l.definition != e.definition || l.materialized != e.materialized
                })
            })
            .map(|(k, _)| k.clone())
            .collect();
        loop {
            let mut roots = rebuild_views.clone();
            roots.extend(changed_roots.iter().cloned());
            let mut more = dependents(expected, &roots);
            more.extend(dependents(live, &roots));
            more.retain(|v| expected.views.contains_key(v) && live.views.contains_key(v));
            let before = rebuild_views.len();
            rebuild_views.extend(more);
            if rebuild_views.len() == before {
                break;
            }
        }

        let mut late_roots = with_partitions(&loss_tables, expected, live);
        late_roots.extend(recreated_tables.iter().cloned());
        late_roots.extend(recreated_types.iter().cloned());
        late_roots.extend(late_functions.iter().cloned());
        let late_views = dependents(expected, &late_roots);

        Plan {
            recreated_tables,
            recreated_types,
            recreated_functions,
            replaced_functions,
            rebuild_views,
            late_views,
            type_depth,
            late_functions,
            converted,
            late_parts: BTreeSet::new(),
        }
    }

    /// Drops, before anything else, what in the live schema depends on an object the
    /// script drops and creates again and would keep that DROP from running: the parts of
    /// tables (and indexes of materialized views) that call a recreated function, foreign
    /// keys to a recreated table, a recreated table's ownership of a kept sequence. Returns
    /// the live model without them, so that the rest of the script creates them again
    /// from the expected model like any other missing object.
    fn detach_dependents(
        &mut self,
        b: &mut Builder,
        expected: &CatalogModel,
        live: &CatalogModel,
    ) -> CatalogModel {
        let mut live = live.clone();
        let mut late: BTreeSet<String> = BTreeSet::new();
        let calls =
            |functions: &BTreeSet<String>| !functions.is_disjoint(&self.recreated_functions);
        // What must wait for the data-loss group to be created again: what uses a
        // recreated type or calls a function created again after it.
        let waits = |functions: &BTreeSet<String>, types: &BTreeSet<String>| {
            !functions.is_disjoint(&self.late_functions)
                || !types.is_disjoint(&self.recreated_types)
        };
        let none = BTreeMap::new();
        // What the expected side creates over a recreated type or a late function waits too.
        for (name, t) in &expected.tables {
            let converted = self.converted.get(name).unwrap_or(&none);
            for (cname, k) in &t.constraints {
                if waits(&k.functions, &k.types) {
                    late.insert(format!("{name}.{cname}"));
                }
            }
            for (iname, i) in &t.indexes {
                if waits(&i.functions, &i.types) {
                    late.insert(iname.clone());
                }
            }
            for (tname, tr) in &t.triggers {
                if waits(&tr.functions, &tr.types) {
                    late.insert(format!("{name}.{tname}"));
                }
            }
            for (pname, p) in &t.policies {
                if waits(&p.functions, &p.types) {
                    late.insert(format!("{name}.{pname}"));
                }
            }
            for c in &t.columns {
                if waits(&c.functions, &c.types) && !converted.contains_key(&c.name) {
                    late.insert(format!("{name}.{}", c.name));
                }
            }
        }
        for v in expected.views.values() {
            for (iname, i) in &v.indexes {
                if waits(&i.functions, &i.types) {
                    late.insert(iname.clone());
                }
            }
        }
        for (name, t) in live.tables.iter_mut() {
            let converted = self.converted.get(name).unwrap_or(&none);
            // A policy or trigger reading a column whose type changes keeps ALTER COLUMN
            // .. TYPE from running: dropped before, created again after it.
            let reads_converted = |columns: &BTreeSet<String>| -> Option<bool> {
                columns
                    .iter()
                    .filter_map(|c| converted.get(c).copied())
                    .reduce(|a, b| a || b)
            };
            t.constraints.retain(|cname, k| {
                let to_recreated = k.kind == ConstraintKind::ForeignKey
                    && k.references
                        .as_ref()
                        .is_some_and(|r| self.recreated_tables.contains(r));
                let wait = waits(&k.functions, &k.types);
                if wait {
                    late.insert(format!("{name}.{cname}"));
                }
                if !to_recreated && !calls(&k.functions) && !wait {
                    return true;
                }
                let order = if k.kind == ConstraintKind::ForeignKey {
                    DROP_FK
                } else {
                    DROP_CONSTRAINT
                };
                b.add(
                    order,
                    format!("ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {cname}"),
                );
                false
            });
            t.indexes.retain(|iname, i| {
                let wait = waits(&i.functions, &i.types);
                if wait {
                    late.insert(iname.clone());
                }
                let keep = !calls(&i.functions) && !wait;
                if !keep {
                    b.add(DROP_INDEX, format!("DROP INDEX IF EXISTS {iname}"));
                }
                keep
            });
            // Triggers and policies: (keep in place, must wait until after the data-loss
            // group) from what they call, use and read.
            let decide = |functions: &BTreeSet<String>,
                          types: &BTreeSet<String>,
                          columns: &BTreeSet<String>| {
                let reads = reads_converted(columns);
                let wait = waits(functions, types) || reads == Some(true);
                (!calls(functions) && !wait && reads.is_none(), wait)
            };
            t.triggers.retain(|tname, tr| {
                let (keep, wait) = decide(&tr.functions, &tr.types, &tr.columns);
                if wait {
                    late.insert(format!("{name}.{tname}"));
                }
                if !keep {
                    b.add(
                        DROP_TRIGGER,
                        format!("DROP TRIGGER IF EXISTS {tname} ON {name}"),
                    );
                }
                keep
            });
            t.policies.retain(|pname, p| {
                let (keep, wait) = decide(&p.functions, &p.types, &p.columns);
                if wait {
                    late.insert(format!("{name}.{pname}"));
                }
                if !keep {
                    b.add(
                        DROP_POLICY,
                        format!("DROP POLICY IF EXISTS {pname} ON {name}"),
                    );
                }
                keep
            });
            for c in t.columns.iter_mut() {
                // A converted column's default is dropped and set again by its conversion.
                let wait = waits(&c.functions, &c.types) && !converted.contains_key(&c.name);
                // A generated column reading a converted column keeps its type from
                // changing: it stops being generated before and is added again after.
                let reads = reads_converted(&c.reads);
                if wait || reads == Some(true) {
                    late.insert(format!("{name}.{}", c.name));
                }
                if !calls(&c.functions) && !wait && reads.is_none() {
                    continue;
                }
                if c.default.take().is_some() {
                    b.add(
                        DROP_DEFAULT,
                        format!("ALTER TABLE {name} ALTER COLUMN {} DROP DEFAULT", c.name),
                    );
                }
                if c.generated.take().is_some() {
                    // Keeps the values; the column is generated again once the function is.
                    b.add(
                        DROP_DEFAULT,
                        format!("ALTER TABLE {name} ALTER COLUMN {} DROP EXPRESSION", c.name),
                    );
                }
            }
        }
        for v in live.views.values_mut() {
            v.indexes.retain(|iname, i| {
                let wait = waits(&i.functions, &i.types);
                if wait {
                    late.insert(iname.clone());
                }
                let keep = !calls(&i.functions) && !wait;
                if !keep {
                    b.add(DROP_INDEX, format!("DROP INDEX IF EXISTS {iname}"));
                }
                keep
            });
        }
        for (name, s) in live.sequences.iter_mut() {
            let owner_recreated = s
                .owned_by
                .as_ref()
                .is_some_and(|(t, _)| self.recreated_tables.contains(t));
            if owner_recreated && expected.sequences.contains_key(name) {
                // Dropping the table would drop the sequence with it.
                b.add(DISOWN, format!("ALTER SEQUENCE {name} OWNED BY NONE"));
                s.owned_by = None;
            }
        }
        self.late_parts = late;
        live
    }
}

fn partition_depth(model: &CatalogModel, name: &str) -> i64 {
    let mut depth = 0;
    let mut current = model.tables.get(name);
    while let Some(parent) = current.and_then(|t| t.parent.as_ref()) {
        depth += 1;
        current = model.tables.get(parent);
        if depth > 64 {
            break;
        }
    }
    depth
}

fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", c.name, c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if let Some(i) = &c.identity {
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY{}",
            i.to_uppercase(),
            identity_options_sql(c)
        ));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// ` (START WITH .. NO CYCLE)` after `AS IDENTITY`, when the model has the options.
fn identity_options_sql(c: &Column) -> String {
    c.identity_options
        .as_ref()
        .map(|o| format!(" ({})", o.sql()))
        .unwrap_or_default()
}

/// Depth of `name` under the parents it inherits from (0 for a table that inherits nothing).
fn inheritance_depth(model: &CatalogModel, name: &str) -> i64 {
    let mut depth = 0;
    let mut current = vec![name.to_string()];
    while depth < 64 {
        let parents: Vec<String> = current
            .iter()
            .filter_map(|t| model.tables.get(t))
            .flat_map(|t| t.inherits.iter().cloned())
            .collect();
        if parents.is_empty() {
            break;
        }
        depth += 1;
        current = parents;
    }
    depth
}

/// `ALTER TABLE .. SET (..)` / `RESET (..)` turning storage parameters `live` into `expected`.
fn options_sql(
    table: &str,
    expected: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let reset: Vec<&str> = live
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !reset.is_empty() {
        out.push(format!("ALTER TABLE {table} RESET ({})", reset.join(", ")));
    }
    let set: Vec<String> = expected
        .iter()
        .filter(|(k, v)| live.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k} = {}", quote_literal(v)))
        .collect();
    if !set.is_empty() {
        out.push(format!("ALTER TABLE {table} SET ({})", set.join(", ")));
    }
    out
}

/// `pg_get_indexdef` of a partitioned table's index says `ON ONLY`; created that way it
/// would not cascade to the partitions.
fn index_sql(index: &Index) -> String {
    index.definition.replacen(" ON ONLY ", " ON ", 1)
}

fn view_sql(name: &str, v: &View) -> String {
    let body = v.definition.trim().trim_end_matches(';');
    if v.materialized {
        format!("CREATE MATERIALIZED VIEW {name} AS\n{body}\nWITH DATA")
    } else {
        format!("CREATE VIEW {name} AS\n{body}")
    }
}

fn view_keyword(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

fn type_keyword(t: &TypeDef) -> &'static str {
    if t.kind == TypeKind::Domain {
        "DOMAIN"
    } else {
        "TYPE"
    }
}

fn type_sql(name: &str, t: &TypeDef) -> String {
    match t.kind {
        TypeKind::Enum => format!(
            "CREATE TYPE {name} AS ENUM ({})",
            t.labels
                .iter()
                .map(|l| quote_literal(l))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeKind::Composite => format!(
            "CREATE TYPE {name} AS ({})",
            t.attributes
                .iter()
                .map(|(n, ty)| format!("{n} {ty}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeKind::Domain => {
            let mut s = format!(
                "CREATE DOMAIN {name} AS {}",
                t.base_type.clone().unwrap_or_else(|| "text".into())
            );
            if let Some(c) = &t.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(d) = &t.default {
                s.push_str(&format!(" DEFAULT {d}"));
            }
            if t.not_null {
                s.push_str(" NOT NULL");
            }
            for (n, def) in &t.checks {
                s.push_str(&format!(" CONSTRAINT {n} {def}"));
            }
            s
        }
    }
}

fn sequence_options(s: &crate::introspect::Sequence) -> String {
    format!(
        "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        s.data_type,
        s.increment,
        s.min,
        s.max,
        s.start,
        s.cache,
        if s.cycle { "CYCLE" } else { "NO CYCLE" }
    )
}

fn policy_sql(table: &str, name: &str, p: &crate::introspect::Policy) -> String {
    format!(
        "CREATE POLICY {name} ON {table} {}",
        super::policy_summary(p)
    )
}

fn trigger_state_sql(table: &str, name: &str, state: &str) -> String {
    let action = match state {
        "D" => "DISABLE TRIGGER",
        "R" => "ENABLE REPLICA TRIGGER",
        "A" => "ENABLE ALWAYS TRIGGER",
        _ => "ENABLE TRIGGER",
    };
    format!("ALTER TABLE {table} {action} {name}")
}

fn function_keyword(kind: &str) -> &'static str {
    if kind == "procedure" {
        "PROCEDURE"
    } else {
        "FUNCTION"
    }
}

/// Builds the script that turns `live` into `expected`.
pub fn script(expected: &CatalogModel, live: &CatalogModel, privileges: bool) -> Script {
    let mut b = Builder {
        steps: Vec::new(),
        late: false,
    };
    let mut plan = Plan::new(expected, live);
    let detached = plan.detach_dependents(&mut b, expected, live);
    let live = &detached;

    // Schemas.
    for (name, e) in &expected.schemas {
        let l = live.schemas.get(name);
        if l.is_none() {
            b.add(SCHEMA, format!("CREATE SCHEMA {name}"));
        }
        b.comment(&format!("SCHEMA {name}"), &e.comment, l.map(|l| &l.comment));
        if privileges {
            owner_and_grants(
                &mut b,
                "SCHEMA",
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
                (PRIVILEGES, 0),
            );
        }
    }
    for name in live.schemas.keys() {
        if !expected.schemas.contains_key(name) {
            b.add(DROP_SCHEMA, format!("DROP SCHEMA IF EXISTS {name}"));
        }
    }

    // Extensions.
    for (name, e) in &expected.extensions {
        match live.extensions.get(name) {
            None => b.add(
                EXTENSION,
                format!(
                    "CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {} VERSION {}",
                    e.schema,
                    quote_literal(&e.version)
                ),
            ),
            Some(l) => {
                if l.version != e.version {
                    b.add(
                        EXTENSION,
                        format!(
                            "ALTER EXTENSION {name} UPDATE TO {}",
                            quote_literal(&e.version)
                        ),
                    );
                }
                if l.schema != e.schema {
                    b.add(
                        EXTENSION,
                        format!("ALTER EXTENSION {name} SET SCHEMA {}", e.schema),
                    );
                }
            }
        }
    }
    for name in live.extensions.keys() {
        if !expected.extensions.contains_key(name) {
            b.loss(
                DROP_EXTENSION,
                0,
                format!("DROP EXTENSION IF EXISTS {name}"),
                format!("drops extension {name} and any data its objects hold"),
            );
        }
    }

    // Types.
    for (name, e) in &expected.types {
        let keyword = type_keyword(e);
        let l = live.types.get(name);
        let recreated = plan.recreated_types.contains(name);
        match l {
            None => b.add(TYPE, type_sql(name, e)),
            Some(l) if recreated => recreate_type(&mut b, expected, &plan, name, e, l),
            Some(l) => alter_type(&mut b, name, e, l),
        }
        // A recreated type is new once the data-loss group has run.
        let l = l.filter(|_| !recreated);
        let was = b.late;
        b.late = recreated;
        b.comment(
            &format!("{keyword} {name}"),
            &e.comment,
            l.map(|l| &l.comment),
        );
        if privileges {
            if let Some(o) = &e.owner {
                if l.and_then(|l| l.owner.as_ref()) != Some(o) {
                    b.add(PRIVILEGES, format!("ALTER {keyword} {name} OWNER TO {o}"));
                }
            }
        }
        b.late = was;
    }
    for (name, l) in &live.types {
        if !expected.types.contains_key(name) {
            b.add(
                DROP_TYPE,
                format!("DROP {} IF EXISTS {name}", type_keyword(l)),
            );
        }
    }

    // Sequences (ownership once the tables exist).
    for (name, e) in &expected.sequences {
        let l = live.sequences.get(name);
        match l {
            None => b.add(
                SEQUENCE,
                format!("CREATE SEQUENCE {name} {}", sequence_options(e)),
            ),
            Some(l) => {
                if sequence_options(l) != sequence_options(e) {
                    b.add(
                        SEQUENCE,
                        format!("ALTER SEQUENCE {name} {}", sequence_options(e)),
                    );
                }
            }
        }
        if l.map(|l| &l.owned_by) != Some(&e.owned_by) {
            let target = e
                .owned_by
                .as_ref()
                .map(|(t, c)| format!("{t}.{c}"))
                .unwrap_or_else(|| "NONE".into());
            let sql = format!("ALTER SEQUENCE {name} OWNED BY {target}");
            match &e.owned_by {
                Some((t, _)) if plan.recreated_tables.contains(t) => {
                    b.after_loss(|b| b.add(OWNED_BY, sql))
                }
                _ => b.add(OWNED_BY, sql),
            }
        }
        b.comment(
            &format!("SEQUENCE {name}"),
            &e.comment,
            l.map(|l| &l.comment),
        );
        if privileges {
            owner_and_grants(
                &mut b,
                "SEQUENCE",
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
                (PRIVILEGES, 0),
            );
        }
    }
    for name in live.sequences.keys() {
        if !expected.sequences.contains_key(name) {
            b.loss(
                DROP_SEQUENCE,
                0,
                format!("DROP SEQUENCE IF EXISTS {name}"),
                format!("drops sequence {name} and its current value"),
            );
        }
    }

    // Functions.
    for (name, e) in &expected.functions {
        let keyword = function_keyword(&e.kind);
        let l = live.functions.get(name);
        let create = e.definition.trim_end().to_string();
        // What depends on a function dropped here was dropped before (the plan) and is
        // created again after.
        let replaced = plan
            .replaced_functions
            .get(name)
            .and_then(|k| live.functions.get_key_value(k));
        if let Some((old, lf)) = replaced {
            b.add(
                FUNCTION,
                format!("DROP {} {old}", function_keyword(&lf.kind)),
            );
        }
        let recreated = plan.recreated_functions.contains(name);
        let late = plan.late_functions.contains(name);
        if let (true, Some(l)) = (late, l) {
            // Before the type it uses is renamed.
            b.add(
                FUNCTION,
                format!("DROP {} {name}", function_keyword(&l.kind)),
            );
        }
        let was = b.late;
        b.late |= late;
        match l {
            None => b.add(FUNCTION, create),
            Some(_) if late => b.add(FUNCTION, create),
            Some(l) if l.definition != e.definition => {
                if recreated {
                    b.add(
                        FUNCTION,
                        format!("DROP {} {name}", function_keyword(&l.kind)),
                    );
                }
                b.add(FUNCTION, create);
            }
            Some(_) => {}
        }
        // A function dropped and created again has lost its comment, owner and grants.
        let l = l.filter(|_| !recreated);
        b.comment(
            &format!("{keyword} {name}"),
            &e.comment,
            l.map(|l| &l.comment),
        );
        if privileges {
            owner_and_grants(
                &mut b,
                keyword,
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
                (PRIVILEGES, 0),
            );
        }
        b.late = was;
    }
    for (name, l) in &live.functions {
        if !expected.functions.contains_key(name) && !plan.recreated_functions.contains(name) {
            // One over a recreated type goes before the type is renamed (its name would
            // name the new type after).
            let order = if l.types.is_disjoint(&plan.recreated_types) {
                DROP_FUNCTION
            } else {
                FUNCTION
            };
            b.add(
                order,
                format!("DROP {} IF EXISTS {name}", function_keyword(&l.kind)),
            );
        }
    }

    // Tables. Those the plan recreates are created with everything on them once the
    // data-loss group has dropped them.
    let recreated = &plan.recreated_tables;
    for (name, e) in &expected.tables {
        let l = live.tables.get(name).filter(|_| !recreated.contains(name));
        let was = b.late;
        b.late = recreated.contains(name);
        match l {
            None => create_table(&mut b, expected, name, e, &plan),
            Some(l) => {
                let (ef, lf) = super::without_inherited(expected, live, name, e, l);
                alter_table(&mut b, name, &ef, &lf, &plan);
                inheritance(&mut b, expected, live, name, e, l);
            }
        }
        if privileges {
            owner_and_grants(
                &mut b,
                "TABLE",
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
                (PRIVILEGES, 0),
            );
        }
        b.late = was;
    }
    for (name, l) in &live.tables {
        if !recreated.contains(name) || !expected.tables.contains_key(name) {
            continue;
        }
        if l.parent.as_ref().is_some_and(|p| recreated.contains(p)) {
            continue; // dropped with its parent
        }
        let e = &expected.tables[name];
        let root: BTreeSet<String> = [name.clone()].into();
        let partitions = with_partitions(&root, &CatalogModel::default(), live).len() - 1;
        let subtree = with_partitions(&root, expected, live);
        let with = match partitions {
            0 => String::new(),
            1 => " with its partition".into(),
            n => format!(" with its {n} partitions"),
        };
        let mut why = if l.partition_key != e.partition_key {
            format!(
                "recreates table {name}, whose partition key changes ({} → {}) and cannot be altered: drops it{with} and all the rows",
                l.partition_key.as_deref().unwrap_or("none"),
                e.partition_key.as_deref().unwrap_or("none"),
            )
        } else {
            format!(
                "recreates table {name} under recreated table {}: drops it{with} and all the rows",
                e.parent.as_deref().unwrap_or("?")
            )
        };
        let referenced = expected.tables.iter().any(|(other, t)| {
            !recreated.contains(other)
                && t.constraints
                    .values()
                    .any(|k| k.references.as_ref().is_some_and(|r| subtree.contains(r)))
        });
        if referenced {
            why.push_str(
                "; rows of other tables that referenced them make adding their foreign keys back fail",
            );
        }
        b.loss(
            LOSS_TABLE,
            -partition_depth(live, name),
            format!("DROP TABLE IF EXISTS {name}"),
            why,
        );
    }
    for (name, l) in &live.tables {
        if expected.tables.contains_key(name) {
            continue;
        }
        for (cname, k) in &l.constraints {
            if k.kind == ConstraintKind::ForeignKey {
                b.add(
                    LOSS_FK,
                    format!("ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {cname}"),
                );
            }
        }
        b.loss(
            LOSS_TABLE,
            -partition_depth(live, name),
            format!("DROP TABLE IF EXISTS {name}"),
            format!("drops table {name} and all its rows"),
        );
    }

    // Views: drop in reverse dependency order, create in dependency order.
    let live_order = view_order(live);
    for name in live_order.iter().rev() {
        let Some(l) = live.views.get(name) else {
            continue;
        };
        if !expected.views.contains_key(name) || plan.rebuild_views.contains(name) {
            b.add(
                DROP_VIEW,
                format!("DROP {} IF EXISTS {name}", view_keyword(l)),
            );
        }
    }
    for (position, name) in view_order(expected).iter().enumerate() {
        let Some(e) = expected.views.get(name) else {
            continue;
        };
        let l = live.views.get(name);
        let order = if plan.late_views.contains(name) {
            VIEW + LATE
        } else {
            VIEW
        };
        let created = l.is_none() || plan.rebuild_views.contains(name);
        let keyword = view_keyword(e);
        let sub = position as i64;
        if created {
            // Comments and grants right after what they describe: a view rebuilt after the
            // data-loss group does not exist yet when the other comments and grants run.
            b.add_sub(order, sub, view_sql(name, e));
            if let Some(c) = &e.comment {
                b.add_sub(
                    order,
                    sub,
                    comment_sql(&format!("{keyword} {name}"), Some(c)),
                );
            }
            for (iname, index) in &e.indexes {
                b.add_sub(order, sub, index_sql(index));
                if let Some(c) = &index.comment {
                    b.add_sub(order, sub, comment_sql(&format!("INDEX {iname}"), Some(c)));
                }
            }
        } else if let Some(l) = l {
            indexes(&mut b, &e.indexes, &l.indexes, &plan.late_parts);
            b.comment(&format!("{keyword} {name}"), &e.comment, Some(&l.comment));
        }
        if privileges {
            let l = l.filter(|_| !created);
            owner_and_grants(
                &mut b,
                "TABLE",
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
                if created {
                    (order, sub)
                } else {
                    (PRIVILEGES, 0)
                },
            );
        }
    }

    b.steps.sort_by_key(|s| (s.order, s.sub));
    Script {
        statements: b
            .steps
            .into_iter()
            .map(|s| Statement {
                sql: s.sql,
                data_loss: s.loss,
            })
            .collect(),
    }
}

/// Changes the parents table `name` inherits from. A table leaving a parent does so before
/// the parents' columns change, so that it keeps the columns it had (those it is not to
/// have are dropped); a table joining a parent does so after the data-loss group, once the
/// parents are as expected, given first the columns and checks of theirs it lacks.
fn inheritance(
    b: &mut Builder,
    expected: &CatalogModel,
    live: &CatalogModel,
    name: &str,
    e: &Table,
    l: &Table,
) {
    if e.inherits == l.inherits {
        return;
    }
    let common = e
        .inherits
        .iter()
        .zip(&l.inherits)
        .take_while(|(a, b)| a == b)
        .count();
    let (left, joined) = (&l.inherits[common..], &e.inherits[common..]);
    for parent in left {
        b.add(PARTITION, format!("ALTER TABLE {name} NO INHERIT {parent}"));
    }
    let (kept, _) = super::inherited_names(expected, &CatalogModel::default(), name);
    for col in ancestor_columns(live, left) {
        if e.column(&col.name).is_none() && !kept.contains(&col.name) {
            b.loss(
                LOSS,
                -1,
                format!("ALTER TABLE {name} DROP COLUMN IF EXISTS {}", col.name),
                format!(
                    "drops column {name}.{}, inherited until now, and its values",
                    col.name
                ),
            );
        }
    }
    b.after_loss(|b| {
        let mut have: BTreeSet<String> = l.columns.iter().map(|c| c.name.clone()).collect();
        for col in ancestor_columns(expected, joined) {
            if have.insert(col.name.clone()) {
                let mut def = format!("{} {}", col.name, col.data_type);
                if let Some(coll) = &col.collation {
                    def.push_str(&format!(" COLLATE {coll}"));
                }
                if col.not_null {
                    def.push_str(" NOT NULL");
                }
                b.add_sub(
                    PARTITION,
                    -2,
                    format!("ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {def}"),
                );
            }
        }
        let mut checks: BTreeSet<&String> = l.constraints.keys().collect();
        for parent in joined {
            for (cname, k) in expected
                .tables
                .get(parent)
                .map(|t| &t.constraints)
                .into_iter()
                .flatten()
            {
                if k.kind == ConstraintKind::Check && checks.insert(cname) {
                    b.add_sub(
                        PARTITION,
                        -1,
                        format!("ALTER TABLE {name} ADD CONSTRAINT {cname} {}", k.definition),
                    );
                }
            }
        }
        for parent in joined {
            b.add(PARTITION, format!("ALTER TABLE {name} INHERIT {parent}"));
        }
    });
}

/// The columns of `parents` and of the tables they inherit from, in `model`.
fn ancestor_columns<'m>(model: &'m CatalogModel, parents: &[String]) -> Vec<&'m Column> {
    let mut out: Vec<&Column> = Vec::new();
    let mut todo: Vec<&String> = parents.iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(p) = todo.pop() {
        if !seen.insert(p) {
            continue;
        }
        if let Some(t) = model.tables.get(p) {
            out.extend(t.columns.iter());
            todo.extend(t.inherits.iter());
        }
    }
    out
}

/// Creates type `name` again as `e` in the data-loss group: the live one is renamed, the
/// expected one created, the columns of the expected tables that use it (or arrays of it)
/// converted, and the old one dropped once nothing uses it any more. The views that use it
/// or read those columns are in the plan's rebuild set, created again after the group.
fn recreate_type(
    b: &mut Builder,
    expected: &CatalogModel,
    plan: &Plan,
    name: &str,
    e: &TypeDef,
    l: &TypeDef,
) {
    // Built on another recreated type: created again after it, dropped before it.
    let depth = plan.type_depth.get(name).copied().unwrap_or(0);
    let why = if depth > 0 {
        format!(
            "recreates type {name} over a recreated type: values that do not convert make this fail"
        )
    } else if e.kind != l.kind {
        format!(
            "recreates type {name}, which changes kind: values that do not convert make this fail"
        )
    } else if e.kind == TypeKind::Enum {
        format!("recreates enum {name}: rows holding a label it no longer has make this fail")
    } else {
        format!(
            "recreates domain {name} over {}: values that do not convert make this fail",
            e.base_type.as_deref().unwrap_or("another type")
        )
    };
    let (schema, base) = split_qualified(name);
    let old = ident(&format!("{}__strata_old", unquote(base)));
    let old_qualified = if schema.is_empty() {
        old.clone()
    } else {
        format!("{schema}.{old}")
    };
    let live_keyword = type_keyword(l);
    b.loss(
        LOSS,
        depth,
        format!("ALTER {live_keyword} {name} RENAME TO {old}"),
        why.clone(),
    );
    b.loss(LOSS, depth, type_sql(name, e), why.clone());
    // A domain converts to a domain by a cast between their base types (not when the
    // base type is itself recreated); anything else through its text form.
    let via_text = e.kind != TypeKind::Domain || l.kind != TypeKind::Domain || depth > 0;
    for (tname, t) in &expected.tables {
        if plan.recreated_tables.contains(tname) {
            continue;
        }
        for c in &t.columns {
            let array = c.data_type == format!("{name}[]");
            if c.data_type != name && !array {
                continue;
            }
            if c.default.is_some() {
                b.loss(
                    LOSS,
                    depth,
                    format!("ALTER TABLE {tname} ALTER COLUMN {} DROP DEFAULT", c.name),
                    why.clone(),
                );
            }
            let cast = match (via_text, array) {
                (true, true) => format!("{}::text[]::{name}[]", c.name),
                (true, false) => format!("{}::text::{name}", c.name),
                (false, true) => format!("{}::{name}[]", c.name),
                (false, false) => format!("{}::{name}", c.name),
            };
            b.loss(
                LOSS,
                depth,
                format!(
                    "ALTER TABLE {tname} ALTER COLUMN {} TYPE {} USING {cast}",
                    c.name, c.data_type
                ),
                why.clone(),
            );
            if let Some(d) = &c.default {
                b.loss(
                    LOSS,
                    depth,
                    format!(
                        "ALTER TABLE {tname} ALTER COLUMN {} SET DEFAULT {d}",
                        c.name
                    ),
                    why.clone(),
                );
            }
        }
    }
    // Last: tables and columns the script drops may still use it until then.
    b.add_sub(
        DROP_TYPE,
        -depth,
        format!("DROP {live_keyword} {old_qualified}"),
    );
}

fn alter_type(b: &mut Builder, name: &str, e: &TypeDef, l: &TypeDef) {
    match e.kind {
        // Only labels to add (anything else recreates the type).
        TypeKind::Enum => {
            for (i, label) in e.labels.iter().enumerate() {
                if l.labels.contains(label) {
                    continue;
                }
                let position = match e.labels[..i].iter().rev().find(|x| l.labels.contains(x)) {
                    Some(prev) => format!(" AFTER {}", quote_literal(prev)),
                    None => match e.labels[i + 1..].iter().find(|x| l.labels.contains(x)) {
                        Some(next) => format!(" BEFORE {}", quote_literal(next)),
                        None => String::new(),
                    },
                };
                b.add(
                    TYPE,
                    format!(
                        "ALTER TYPE {name} ADD VALUE {}{position}",
                        quote_literal(label)
                    ),
                );
            }
        }
        TypeKind::Domain => {
            if e.default != l.default {
                b.add(
                    TYPE,
                    match &e.default {
                        Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d}"),
                        None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
                    },
                );
            }
            if e.not_null != l.not_null {
                b.add(
                    TYPE,
                    format!(
                        "ALTER DOMAIN {name} {} NOT NULL",
                        if e.not_null { "SET" } else { "DROP" }
                    ),
                );
            }
            for (cname, def) in &l.checks {
                if e.checks.get(cname) != Some(def) {
                    b.add(
                        DROP_CONSTRAINT,
                        format!("ALTER DOMAIN {name} DROP CONSTRAINT {cname}"),
                    );
                }
            }
            for (cname, def) in &e.checks {
                if l.checks.get(cname) != Some(def) {
                    b.add(
                        CONSTRAINT,
                        format!("ALTER DOMAIN {name} ADD CONSTRAINT {cname} {def}"),
                    );
                }
            }
        }
        TypeKind::Composite if e.attributes != l.attributes => {
            let live_attrs: BTreeMap<&String, &String> =
                l.attributes.iter().map(|(n, t)| (n, t)).collect();
            let expected_attrs: BTreeMap<&String, &String> =
                e.attributes.iter().map(|(n, t)| (n, t)).collect();
            for (n, _) in &l.attributes {
                if !expected_attrs.contains_key(n) {
                    b.loss(
                        LOSS,
                        0,
                        format!("ALTER TYPE {name} DROP ATTRIBUTE {n}"),
                        format!("drops attribute {n} of type {name}"),
                    );
                }
            }
            for (n, t) in &e.attributes {
                match live_attrs.get(n) {
                    None => b.add(TYPE, format!("ALTER TYPE {name} ADD ATTRIBUTE {n} {t}")),
                    Some(lt) if *lt != t => b.add(
                        TYPE,
                        format!("ALTER TYPE {name} ALTER ATTRIBUTE {n} TYPE {t}"),
                    ),
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// `recreated`: tables the script drops and creates again; foreign keys to them wait for it.
fn create_table(b: &mut Builder, model: &CatalogModel, name: &str, t: &Table, plan: &Plan) {
    let persistence = if t.unlogged { "UNLOGGED " } else { "" };
    let mut sql = match (&t.parent, &t.partition_bound) {
        (Some(parent), Some(bound)) => {
            format!("CREATE {persistence}TABLE {name} PARTITION OF {parent} {bound}")
        }
        _ => {
            let columns: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("    {}", column_definition(c)))
                .collect();
            format!(
                "CREATE {persistence}TABLE {name} (\n{}\n)",
                columns.join(",\n")
            )
        }
    };
    if !t.inherits.is_empty() {
        sql.push_str(&format!(" INHERITS ({})", t.inherits.join(", ")));
    }
    if let Some(key) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if t.parent.is_some() {
        b.add_sub(PARTITION, partition_depth(model, name), sql);
    } else {
        // Parents before the tables that inherit from them.
        b.add_sub(TABLE, inheritance_depth(model, name), sql);
    }
    for sql in options_sql(name, &t.options, &BTreeMap::new()) {
        b.add(TABLE_OPTIONS, sql);
    }
    for c in &t.columns {
        b.comment(&format!("COLUMN {name}.{}", c.name), &c.comment, None);
    }
    table_parts(b, name, t, &Table::default(), plan);
    if t.rls_enabled {
        b.add(
            TABLE_OPTIONS,
            format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"),
        );
    }
    if t.rls_forced {
        b.add(
            TABLE_OPTIONS,
            format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"),
        );
    }
    b.comment(&format!("TABLE {name}"), &t.comment, None);
}

fn alter_table(b: &mut Builder, name: &str, e: &Table, l: &Table, plan: &Plan) {
    if e.unlogged != l.unlogged {
        b.add(
            TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} SET {}",
                if e.unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
        );
    }
    for sql in options_sql(name, &e.options, &l.options) {
        b.add(TABLE_OPTIONS, sql);
    }
    if e.parent != l.parent || e.partition_bound != l.partition_bound {
        if let Some(old) = &l.parent {
            b.add(
                PARTITION,
                format!("ALTER TABLE {old} DETACH PARTITION {name}"),
            );
        }
        if let (Some(parent), Some(bound)) = (&e.parent, &e.partition_bound) {
            b.add(
                PARTITION,
                format!("ALTER TABLE {parent} ATTACH PARTITION {name} {bound}"),
            );
        }
    }
    for ec in &e.columns {
        match l.column(&ec.name) {
            None => {
                b.add(
                    COLUMN,
                    format!("ALTER TABLE {name} ADD COLUMN {}", column_definition(ec)),
                );
                b.comment(&format!("COLUMN {name}.{}", ec.name), &ec.comment, None);
            }
            Some(lc) => {
                let late = plan.late_parts.contains(&format!("{name}.{}", ec.name));
                alter_column(b, name, ec, lc, late)
            }
        }
    }
    for lc in &l.columns {
        if e.column(&lc.name).is_none() {
            // Before type changes: a dropped generated column may read a changed one.
            b.loss(
                LOSS,
                -1,
                format!("ALTER TABLE {name} DROP COLUMN {}", lc.name),
                format!("drops column {name}.{} and its values", lc.name),
            );
        }
    }
    table_parts(b, name, e, l, plan);
    if e.rls_enabled != l.rls_enabled {
        b.add(
            TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} {} ROW LEVEL SECURITY",
                if e.rls_enabled { "ENABLE" } else { "DISABLE" }
            ),
        );
    }
    if e.rls_forced != l.rls_forced {
        b.add(
            TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} {} ROW LEVEL SECURITY",
                if e.rls_forced { "FORCE" } else { "NO FORCE" }
            ),
        );
    }
    b.comment(&format!("TABLE {name}"), &e.comment, Some(&l.comment));
}

/// `late_default`: the default (or generation expression) is set again after the
/// data-loss group.
fn alter_column(b: &mut Builder, table: &str, e: &Column, l: &Column, late_default: bool) {
    let col = &e.name;
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {col}");
    if e.generated != l.generated {
        // A stored generated column's expression cannot be altered: drop it and add it
        // again (its values are computed, nothing is lost).
        let drop = format!("ALTER TABLE {table} DROP COLUMN {col}");
        let add = format!("ALTER TABLE {table} ADD COLUMN {}", column_definition(e));
        if late_default {
            b.after_loss(|b| {
                b.add(COLUMN, drop);
                b.add(COLUMN, add);
            });
        } else {
            b.add(COLUMN, drop);
            b.add(COLUMN, add);
        }
        return;
    }
    if e.data_type != l.data_type || e.collation != l.collation {
        let collate = e
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        let sql = format!(
            "{prefix} TYPE {}{collate} USING {col}::{}",
            e.data_type, e.data_type
        );
        if is_widening(&l.data_type, &e.data_type) {
            b.add(COLUMN, sql);
        } else {
            b.loss(
                LOSS,
                0,
                sql,
                format!(
                    "changes {table}.{col} from {} to {}: values may be cut or fail to convert",
                    l.data_type, e.data_type
                ),
            );
        }
    }
    if e.identity != l.identity {
        match (&e.identity, &l.identity) {
            (Some(i), None) => {
                if l.default.is_some() {
                    b.add(COLUMN, format!("{prefix} DROP DEFAULT"));
                }
                b.add(
                    COLUMN,
                    format!(
                        "{prefix} ADD GENERATED {} AS IDENTITY{}",
                        i.to_uppercase(),
                        identity_options_sql(e)
                    ),
                )
            }
            // Early: the identity sequence may have the name of a sequence to create.
            (None, Some(_)) => b.add(DROP_IDENTITY, format!("{prefix} DROP IDENTITY IF EXISTS")),
            (Some(i), Some(_)) => b.add(
                COLUMN,
                format!("{prefix} SET GENERATED {}", i.to_uppercase()),
            ),
            (None, None) => {}
        }
    }
    if let (Some(_), Some(_), Some(o)) = (&e.identity, &l.identity, &e.identity_options) {
        if l.identity_options.as_ref() != Some(o) {
            b.add(
                COLUMN,
                format!(
                    "{prefix} SET START WITH {} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET CACHE {} SET {}",
                    o.start,
                    o.increment,
                    o.min,
                    o.max,
                    o.cache,
                    if o.cycle { "CYCLE" } else { "NO CYCLE" }
                ),
            );
        }
    }
    if e.default != l.default && e.identity.is_none() {
        let sql = match &e.default {
            Some(d) => format!("{prefix} SET DEFAULT {d}"),
            None => format!("{prefix} DROP DEFAULT"),
        };
        if late_default {
            b.after_loss(|b| b.add(COLUMN_DEFAULT, sql));
        } else {
            b.add(COLUMN_DEFAULT, sql);
        }
    }
    if e.not_null != l.not_null && e.identity.is_none() {
        b.add(
            COLUMN_DEFAULT,
            format!(
                "{prefix} {} NOT NULL",
                if e.not_null { "SET" } else { "DROP" }
            ),
        );
    }
    b.comment(
        &format!("COLUMN {table}.{col}"),
        &e.comment,
        Some(&l.comment),
    );
}

/// Constraints, indexes, triggers and policies of a table that exists (or is created).
/// Foreign keys to `recreated` tables are added once those are created again.
/// What `plan` recreates after the data-loss group is created after it.
fn table_parts(b: &mut Builder, name: &str, e: &Table, l: &Table, plan: &Plan) {
    let recreated = &plan.recreated_tables;
    let late = |part: &str| plan.late_parts.contains(&format!("{name}.{part}"));
    for (cname, lk) in &l.constraints {
        let keep = e.constraints.get(cname).is_some_and(|ek| {
            constraint_body(&ek.definition) == constraint_body(&lk.definition)
                && (ek.validated || !lk.validated)
        });
        if !keep {
            let order = if lk.kind == ConstraintKind::ForeignKey {
                DROP_FK
            } else {
                DROP_CONSTRAINT
            };
            b.add(
                order,
                format!("ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {cname}"),
            );
        }
    }
    for (cname, ek) in &e.constraints {
        let lk = l.constraints.get(cname);
        let order = if ek.kind == ConstraintKind::ForeignKey {
            FK
        } else {
            CONSTRAINT
        };
        let was = b.late;
        b.late |= ek
            .references
            .as_ref()
            .is_some_and(|r| recreated.contains(r))
            || late(cname);
        match lk {
            Some(lk) if constraint_body(&ek.definition) == constraint_body(&lk.definition) => {
                if ek.validated && !lk.validated {
                    b.add(
                        order,
                        format!("ALTER TABLE {name} VALIDATE CONSTRAINT {cname}"),
                    );
                } else if !ek.validated && lk.validated {
                    b.add(
                        order,
                        format!(
                            "ALTER TABLE {name} ADD CONSTRAINT {cname} {}",
                            ek.definition
                        ),
                    );
                }
            }
            _ => b.add(
                order,
                format!(
                    "ALTER TABLE {name} ADD CONSTRAINT {cname} {}",
                    ek.definition
                ),
            ),
        }
        let live_comment = lk
            .filter(|lk| lk.definition == ek.definition)
            .map(|lk| &lk.comment);
        b.comment(
            &format!("CONSTRAINT {cname} ON {name}"),
            &ek.comment,
            live_comment,
        );
        b.late = was;
    }
    indexes(b, &e.indexes, &l.indexes, &plan.late_parts);
    for (tname, lt) in &l.triggers {
        if e.triggers
            .get(tname)
            .is_none_or(|et| et.definition != lt.definition)
        {
            b.add(
                DROP_TRIGGER,
                format!("DROP TRIGGER IF EXISTS {tname} ON {name}"),
            );
        }
    }
    for (tname, et) in &e.triggers {
        let was = b.late;
        b.late |= late(tname);
        let lt = l
            .triggers
            .get(tname)
            .filter(|lt| lt.definition == et.definition);
        if lt.is_none() {
            b.add(TRIGGER, et.definition.clone());
        }
        if lt.map(|lt| lt.enabled.as_str()).unwrap_or("O") != et.enabled {
            b.add(TRIGGER, trigger_state_sql(name, tname, &et.enabled));
        }
        b.comment(
            &format!("TRIGGER {tname} ON {name}"),
            &et.comment,
            lt.map(|lt| &lt.comment),
        );
        b.late = was;
    }
    for (pname, lp) in &l.policies {
        if e.policies.get(pname).map(super::policy_summary) != Some(super::policy_summary(lp)) {
            b.add(
                DROP_POLICY,
                format!("DROP POLICY IF EXISTS {pname} ON {name}"),
            );
        }
    }
    for (pname, ep) in &e.policies {
        if l.policies.get(pname).map(super::policy_summary) != Some(super::policy_summary(ep)) {
            let was = b.late;
            b.late |= late(pname);
            b.add(POLICY, policy_sql(name, pname, ep));
            b.late = was;
        }
    }
}

/// `late`: indexes created again after the data-loss group.
fn indexes(
    b: &mut Builder,
    e: &BTreeMap<String, Index>,
    l: &BTreeMap<String, Index>,
    late: &BTreeSet<String>,
) {
    for (iname, li) in l {
        if e.get(iname)
            .is_none_or(|ei| ei.definition != li.definition || ei.valid != li.valid)
        {
            b.add(DROP_INDEX, format!("DROP INDEX IF EXISTS {iname}"));
        }
    }
    for (iname, ei) in e {
        let li = l
            .get(iname)
            .filter(|li| li.definition == ei.definition && li.valid == ei.valid);
        let was = b.late;
        b.late |= late.contains(iname);
        if li.is_none() {
            b.add(INDEX, index_sql(ei));
        }
        b.comment(
            &format!("INDEX {iname}"),
            &ei.comment,
            li.map(|li| &li.comment),
        );
        b.late = was;
    }
}

/// `ALTER .. OWNER TO` and grants, for `--privileges`.
fn owner_and_grants(
    b: &mut Builder,
    keyword: &str,
    name: &str,
    owners: (&Option<String>, Option<&String>),
    acls: (&Option<Vec<String>>, Option<&Vec<String>>),
    (order, sub): (u32, i64),
) {
    if let Some(owner) = owners.0 {
        if owners.1 != Some(owner) {
            b.add_sub(
                order,
                sub,
                format!("ALTER {keyword} {name} OWNER TO {owner}"),
            );
        }
    }
    let (Some(expected), live) = acls else { return };
    let live: Vec<String> = live.cloned().unwrap_or_default();
    if *expected == live {
        return;
    }
    let object = match keyword {
        "TABLE" | "VIEW" | "MATERIALIZED VIEW" => format!("TABLE {name}"),
        other => format!("{other} {name}"),
    };
    let grants = |acl: &[String]| -> BTreeMap<String, String> {
        acl.iter()
            .filter_map(|item| {
                let (grantee, rest) = item.split_once('=')?;
                let privs = rest.split('/').next().unwrap_or_default();
                Some((grantee.to_string(), privs.to_string()))
            })
            .collect()
    };
    let (e, l) = (grants(expected), grants(&live));
    for (grantee, privs) in &l {
        if e.get(grantee) != Some(privs) {
            b.add_sub(
                order,
                sub,
                format!("REVOKE ALL ON {object} FROM {}", grantee_sql(grantee)),
            );
        }
    }
    for (grantee, privs) in &e {
        if l.get(grantee) != Some(privs) {
            let list = privilege_names(privs);
            if !list.is_empty() {
                b.add_sub(
                    order,
                    sub,
                    format!(
                        "GRANT {} ON {object} TO {}",
                        list.join(", "),
                        grantee_sql(grantee)
                    ),
                );
            }
        }
    }
}

fn grantee_sql(grantee: &str) -> String {
    if grantee.is_empty() {
        "PUBLIC".into()
    } else {
        grantee.to_string()
    }
}

fn privilege_names(privs: &str) -> Vec<&'static str> {
    privs
        .chars()
        .filter_map(|c| {
            Some(match c {
                'r' => "SELECT",
                'a' => "INSERT",
                'w' => "UPDATE",
                'd' => "DELETE",
                'D' => "TRUNCATE",
                'x' => "REFERENCES",
                't' => "TRIGGER",
                'X' => "EXECUTE",
                'U' => "USAGE",
                'C' => "CREATE",
                'c' => "CONNECT",
                'T' => "TEMPORARY",
                _ => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_type_changes_keep_values() {
        assert!(is_widening(
            "character varying(32)",
            "character varying(64)"
        ));
        assert!(is_widening("character varying(32)", "text"));
        assert!(is_widening("integer", "bigint"));
        assert!(is_widening("numeric(10,2)", "numeric(12,2)"));
        assert!(!is_widening(
            "character varying(64)",
            "character varying(32)"
        ));
        assert!(!is_widening("bigint", "integer"));
        assert!(!is_widening("text", "integer"));
        assert!(!is_widening("numeric(10,2)", "numeric(10,1)"));
    }

    #[test]
    fn storage_parameters_are_reset_and_set() {
        let expected: BTreeMap<String, String> = [("fillfactor".into(), "80".into())].into();
        let live: BTreeMap<String, String> = [
            ("fillfactor".into(), "40".into()),
            ("autovacuum_enabled".into(), "off".into()),
        ]
        .into();
        assert_eq!(
            options_sql("public.t", &expected, &live),
            [
                "ALTER TABLE public.t RESET (autovacuum_enabled)",
                "ALTER TABLE public.t SET (fillfactor = '80')"
            ]
        );
        assert!(options_sql("public.t", &live, &live).is_empty());
    }

    #[test]
    fn children_are_created_after_the_tables_they_inherit_from() {
        let mut model = CatalogModel::default();
        model.tables.insert("public.a".into(), Table::default());
        let child = |parents: &[&str]| Table {
            inherits: parents.iter().map(|p| p.to_string()).collect(),
            ..Table::default()
        };
        model.tables.insert("public.b".into(), child(&["public.a"]));
        model
            .tables
            .insert("public.c".into(), child(&["public.b", "public.a"]));
        let script = script(&model, &CatalogModel::default(), false);
        let a = at(&script, "CREATE TABLE public.a");
        let b = at(&script, "CREATE TABLE public.b");
        let c = at(&script, "CREATE TABLE public.c");
        assert!(a < b && b < c, "{script:#?}");
        assert!(script.statements[c]
            .sql
            .ends_with(") INHERITS (public.b, public.a)"));
    }

    #[test]
    fn generated_names_are_quoted_only_when_needed() {
        assert_eq!(ident("mood__strata_old"), "mood__strata_old");
        assert_eq!(ident("Mood__strata_old"), "\"Mood__strata_old\"");
    }

    #[test]
    fn data_loss_statements_come_last_and_are_marked() {
        let mut live = CatalogModel::default();
        live.tables.insert("public.gone".into(), Table::default());
        let expected = CatalogModel {
            schemas: [("s".to_string(), Default::default())].into(),
            ..CatalogModel::default()
        };
        let script = script(&expected, &live, false);
        assert_eq!(script.statements.len(), 2);
        assert_eq!(script.statements[0].sql, "CREATE SCHEMA s");
        assert!(script.statements[1].data_loss.is_some());
        let text = script.text("test");
        assert!(text.contains("-- DATA LOSS: drops table public.gone"));
    }

    fn column(name: &str, default: Option<&str>, functions: &[&str]) -> Column {
        Column {
            name: name.into(),
            data_type: "integer".into(),
            not_null: false,
            default: default.map(Into::into),
            identity: None,
            identity_options: None,
            generated: None,
            collation: None,
            comment: None,
            functions: functions.iter().map(|f| f.to_string()).collect(),
            types: Default::default(),
            reads: Default::default(),
        }
    }

    /// Index of the statement containing `needle`.
    fn at(script: &Script, needle: &str) -> usize {
        script
            .statements
            .iter()
            .position(|s| s.sql.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in {script:#?}"))
    }

    #[test]
    fn a_function_create_or_replace_cannot_change_takes_its_dependents_along() {
        let function = |returns: &str| {
            Function {
            kind: "function".into(),
            language: "sql".into(),
            volatility: "immutable".into(),
            security_definer: false,
            returns: Some(returns.into()),
            signature: Some("public.f(integer)".into()),
            body: "SELECT 1".into(),
            definition: format!(
                "CREATE OR REPLACE FUNCTION public.f(x integer)\n RETURNS {returns}\n AS $$SELECT 1$$\n"
            ),
            comment: Some("f".into()),
            owner: None,
            acl: None,
            types: Default::default(),
        }
        };
        let mut expected = CatalogModel::default();
        expected
            .functions
            .insert("public.f(x integer)".into(), function("integer"));
        let mut t = Table {
            columns: vec![column("a", Some("public.f(1)"), &["public.f(x integer)"])],
            ..Table::default()
        };
        t.triggers.insert(
            "t_f".into(),
            crate::introspect::Trigger {
                definition: "CREATE TRIGGER t_f WHEN (public.f(1) > 0) ...".into(),
                enabled: "D".into(),
                comment: None,
                functions: ["public.f(x integer)".to_string()].into(),
                types: Default::default(),
                columns: Default::default(),
            },
        );
        expected.tables.insert("public.t".into(), t);
        let mut live = expected.clone();
        live.functions
            .insert("public.f(x integer)".into(), function("bigint"));

        let script = script(&expected, &live, false);
        let dropped = at(&script, "DROP FUNCTION public.f(x integer)");
        let created = at(&script, "CREATE OR REPLACE FUNCTION public.f");
        assert!(at(&script, "DROP TRIGGER IF EXISTS t_f ON public.t") < dropped);
        assert!(at(&script, "ALTER COLUMN a DROP DEFAULT") < dropped);
        assert!(dropped < created);
        assert!(at(&script, "CREATE TRIGGER t_f") > created);
        assert!(at(&script, "DISABLE TRIGGER t_f") > created);
        assert!(at(&script, "ALTER COLUMN a SET DEFAULT public.f(1)") > created);
        // Its comment went with it.
        assert!(at(&script, "COMMENT ON FUNCTION public.f(x integer) IS 'f'") > created);
        assert!(script.statements.iter().all(|s| s.data_loss.is_none()));
    }

    #[test]
    fn a_changed_partition_key_recreates_the_table_after_dropping_it() {
        let parent = |key: &str| Table {
            partition_key: Some(key.into()),
            columns: vec![column("a", None, &[]), column("b", None, &[])],
            ..Table::default()
        };
        let partition = |bound: &str| Table {
            parent: Some("public.t".into()),
            partition_bound: Some(bound.into()),
            ..Table::default()
        };
        let mut expected = CatalogModel::default();
        expected
            .tables
            .insert("public.t".into(), parent("RANGE (a)"));
        expected.tables.insert(
            "public.t_1".into(),
            partition("FOR VALUES FROM (0) TO (10)"),
        );
        let mut live = CatalogModel::default();
        live.tables.insert("public.t".into(), parent("LIST (b)"));
        live.tables
            .insert("public.t_1".into(), partition("FOR VALUES IN (1)"));

        let script = script(&expected, &live, false);
        let dropped = script
            .statements
            .iter()
            .position(|s| s.sql == "DROP TABLE IF EXISTS public.t")
            .unwrap();
        let why = script.statements[dropped].data_loss.as_deref().unwrap();
        assert!(
            why.contains("partition key changes (LIST (b) → RANGE (a))"),
            "{why}"
        );
        assert!(at(&script, "PARTITION BY RANGE (a)") > dropped);
        assert!(
            at(
                &script,
                "CREATE TABLE public.t_1 PARTITION OF public.t FOR VALUES FROM (0) TO (10)"
            ) > dropped
        );
        assert!(!script.statements.iter().any(|s| s.sql.contains("ATTACH")));
        assert_eq!(
            script
                .statements
                .iter()
                .filter(|s| s.data_loss.is_some())
                .count(),
            1
        );
    }
}
