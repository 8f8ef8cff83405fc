//! The script that brings the live schema to the expected one. Statements are ordered by
//! dependencies: drops of dependent objects that change first (triggers, policies, views,
//! indexes, foreign keys, constraints), then creates and alters (schemas, extensions,
//! types, sequences, functions, tables, columns, constraints, foreign keys, indexes, views,
//! triggers, policies, comments). Every statement that can lose data — dropping a table,
//! column or sequence, a type change that is not a plain widening, recreating an enum
//! without some of its labels — is marked `-- DATA LOSS:` and grouped last, followed only
//! by what has to wait for it (views over those tables, drops of functions, types and
//! schemas that nothing uses any more).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::constraint_body;
use crate::history::quote_literal;
use crate::introspect::{
    split_qualified, unquote, CatalogModel, Column, ConstraintKind, Index, Table, TypeDef,
    TypeKind, View,
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
// The data-loss group and what must follow it.
const LOSS_FK: u32 = 100;
const LOSS: u32 = 101;
const LOSS_TABLE: u32 = 103;
const AFTER_LOSS_VIEW: u32 = 110;
const DROP_FUNCTION: u32 = 111;
const DROP_TYPE: u32 = 112;
const DROP_SEQUENCE: u32 = 113;
const DROP_EXTENSION: u32 = 114;
const DROP_SCHEMA: u32 = 115;

struct Step {
    order: u32,
    sub: i64,
    sql: String,
    loss: Option<String>,
}

struct Builder {
    steps: Vec<Step>,
}

impl Builder {
    fn add(&mut self, order: u32, sql: impl Into<String>) {
        self.add_sub(order, 0, sql);
    }
    fn add_sub(&mut self, order: u32, sub: i64, sql: impl Into<String>) {
        self.steps.push(Step {
            order,
            sub,
            sql: sql.into(),
            loss: None,
        });
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

/// Views of `model` that read any of `roots`, directly or through other views.
fn dependents(model: &CatalogModel, roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = found.len();
        for (name, v) in &model.views {
            if v.depends_on
                .iter()
                .any(|d| roots.contains(d) || found.contains(d))
            {
                found.insert(name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
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
        s.push_str(&format!(" GENERATED {} AS IDENTITY", i.to_uppercase()));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
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
    let mut b = Builder { steps: Vec::new() };

    // Which views must be dropped and created again: changed ones, those over tables whose
    // column types change, and everything that reads those.
    let mut type_changed: BTreeSet<String> = BTreeSet::new();
    let mut loss_tables: BTreeSet<String> = BTreeSet::new();
    for (name, e) in &expected.tables {
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
    let mut rebuild: BTreeSet<String> = expected
        .views
        .iter()
        .filter(|(k, e)| {
            live.views
                .get(*k)
                .is_some_and(|l| l.definition != e.definition || l.materialized != e.materialized)
        })
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let mut roots = rebuild.clone();
        roots.extend(type_changed.iter().cloned());
        let mut more = dependents(expected, &roots);
        more.extend(dependents(live, &roots));
        more.retain(|v| expected.views.contains_key(v) && live.views.contains_key(v));
        let before = rebuild.len();
        rebuild.extend(more);
        if rebuild.len() == before {
            break;
        }
    }
    let late_views = dependents(expected, &loss_tables);

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
        match l {
            None => b.add(TYPE, type_sql(name, e)),
            Some(l) if l.kind != e.kind => {
                b.loss(
                    LOSS,
                    0,
                    format!("DROP {} {name}", type_keyword(l)),
                    format!("type {name} changes kind"),
                );
                b.loss(
                    LOSS,
                    0,
                    type_sql(name, e),
                    format!("type {name} changes kind"),
                );
            }
            Some(l) => alter_type(&mut b, expected, name, e, l),
        }
        b.comment(
            &format!("{keyword} {name}"),
            &e.comment,
            l.map(|l| &l.comment),
        );
        if privileges {
            if let (Some(o), Some(l)) = (&e.owner, l) {
                if l.owner.as_ref() != Some(o) {
                    b.add(PRIVILEGES, format!("ALTER {keyword} {name} OWNER TO {o}"));
                }
            }
        }
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
            b.add(OWNED_BY, format!("ALTER SEQUENCE {name} OWNED BY {target}"));
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
        match l {
            None => b.add(FUNCTION, create),
            Some(l) if l.definition != e.definition => {
                if l.kind != e.kind || l.returns != e.returns {
                    b.add(
                        FUNCTION,
                        format!("DROP {} {name}", function_keyword(&l.kind)),
                    );
                }
                b.add(FUNCTION, create);
            }
            Some(_) => {}
        }
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
            );
        }
    }
    for (name, l) in &live.functions {
        if !expected.functions.contains_key(name) {
            b.add(
                DROP_FUNCTION,
                format!("DROP {} IF EXISTS {name}", function_keyword(&l.kind)),
            );
        }
    }

    // Tables.
    for (name, e) in &expected.tables {
        match live.tables.get(name) {
            None => create_table(&mut b, expected, name, e),
            Some(l) => alter_table(&mut b, name, e, l),
        }
        let l = live.tables.get(name);
        if privileges {
            owner_and_grants(
                &mut b,
                "TABLE",
                name,
                (&e.owner, l.and_then(|l| l.owner.as_ref())),
                (&e.acl, l.and_then(|l| l.acl.as_ref())),
            );
        }
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
        if !expected.views.contains_key(name) || rebuild.contains(name) {
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
        let order = if late_views.contains(name) {
            AFTER_LOSS_VIEW
        } else {
            VIEW
        };
        let created = l.is_none() || rebuild.contains(name);
        let keyword = view_keyword(e);
        if created {
            // Comments right after what they describe: a view rebuilt after the data-loss
            // group does not exist yet when the other comments run.
            let sub = position as i64;
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
            indexes(&mut b, &e.indexes, &l.indexes);
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

fn alter_type(b: &mut Builder, expected: &CatalogModel, name: &str, e: &TypeDef, l: &TypeDef) {
    match e.kind {
        TypeKind::Enum if e.labels != l.labels => {
            if is_subsequence(&l.labels, &e.labels) {
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
            } else {
                let why = format!(
                    "recreates enum {name}: rows holding a label it no longer has make this fail"
                );
                let (schema, base) = split_qualified(name);
                let old = ident(&format!("{}__strata_old", unquote(base)));
                let old_qualified = if schema.is_empty() {
                    old.clone()
                } else {
                    format!("{schema}.{old}")
                };
                b.loss(
                    LOSS,
                    0,
                    format!("ALTER TYPE {name} RENAME TO {old}"),
                    why.clone(),
                );
                b.loss(LOSS, 0, type_sql(name, e), why.clone());
                for (tname, t) in &expected.tables {
                    for c in &t.columns {
                        let array = c.data_type == format!("{name}[]");
                        if c.data_type != name && !array {
                            continue;
                        }
                        if c.default.is_some() {
                            b.loss(
                                LOSS,
                                0,
                                format!("ALTER TABLE {tname} ALTER COLUMN {} DROP DEFAULT", c.name),
                                why.clone(),
                            );
                        }
                        let cast = if array {
                            format!("{}::text[]::{name}[]", c.name)
                        } else {
                            format!("{}::text::{name}", c.name)
                        };
                        b.loss(
                            LOSS,
                            0,
                            format!(
                                "ALTER TABLE {tname} ALTER COLUMN {} TYPE {} USING {cast}",
                                c.name, c.data_type
                            ),
                            why.clone(),
                        );
                        if let Some(d) = &c.default {
                            b.loss(
                                LOSS,
                                0,
                                format!(
                                    "ALTER TABLE {tname} ALTER COLUMN {} SET DEFAULT {d}",
                                    c.name
                                ),
                                why.clone(),
                            );
                        }
                    }
                }
                b.loss(LOSS, 0, format!("DROP TYPE {old_qualified}"), why);
            }
        }
        TypeKind::Domain => {
            if e.base_type != l.base_type || e.collation != l.collation {
                let why = format!("domain {name} changes its base type");
                b.loss(LOSS, 0, format!("DROP DOMAIN {name}"), why.clone());
                b.loss(LOSS, 0, type_sql(name, e), why);
                return;
            }
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

fn create_table(b: &mut Builder, model: &CatalogModel, name: &str, t: &Table) {
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
    if let Some(key) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if t.parent.is_some() {
        b.add_sub(PARTITION, partition_depth(model, name), sql);
    } else {
        b.add(TABLE, sql);
    }
    for c in &t.columns {
        b.comment(&format!("COLUMN {name}.{}", c.name), &c.comment, None);
    }
    table_parts(b, name, t, &Table::default());
    b.comment(&format!("TABLE {name}"), &t.comment, None);
}

fn alter_table(b: &mut Builder, name: &str, e: &Table, l: &Table) {
    if e.unlogged != l.unlogged {
        b.add(
            TABLE_OPTIONS,
            format!(
                "ALTER TABLE {name} SET {}",
                if e.unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
        );
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
    if e.partition_key != l.partition_key {
        b.add(TABLE_OPTIONS, format!(
            "-- the partition key of {name} differs ({} expected, {} live): PostgreSQL cannot change it in place; recreate the table by hand",
            e.partition_key.as_deref().unwrap_or("none"),
            l.partition_key.as_deref().unwrap_or("none")
        ));
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
            Some(lc) => alter_column(b, name, ec, lc),
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
    table_parts(b, name, e, l);
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

fn alter_column(b: &mut Builder, table: &str, e: &Column, l: &Column) {
    let col = &e.name;
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {col}");
    if e.generated != l.generated {
        // A stored generated column's expression cannot be altered: drop it and add it
        // again (its values are computed, nothing is lost).
        b.add(COLUMN, format!("ALTER TABLE {table} DROP COLUMN {col}"));
        b.add(
            COLUMN,
            format!("ALTER TABLE {table} ADD COLUMN {}", column_definition(e)),
        );
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
                    format!("{prefix} ADD GENERATED {} AS IDENTITY", i.to_uppercase()),
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
    if e.default != l.default && e.identity.is_none() {
        b.add(
            COLUMN_DEFAULT,
            match &e.default {
                Some(d) => format!("{prefix} SET DEFAULT {d}"),
                None => format!("{prefix} DROP DEFAULT"),
            },
        );
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
fn table_parts(b: &mut Builder, name: &str, e: &Table, l: &Table) {
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
    }
    indexes(b, &e.indexes, &l.indexes);
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
    }
    for (pname, lp) in &l.policies {
        if e.policies.get(pname) != Some(lp) {
            b.add(
                DROP_POLICY,
                format!("DROP POLICY IF EXISTS {pname} ON {name}"),
            );
        }
    }
    for (pname, ep) in &e.policies {
        if l.policies.get(pname) != Some(ep) {
            b.add(POLICY, policy_sql(name, pname, ep));
        }
    }
}

fn indexes(b: &mut Builder, e: &BTreeMap<String, Index>, l: &BTreeMap<String, Index>) {
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
        if li.is_none() {
            b.add(INDEX, index_sql(ei));
        }
        b.comment(
            &format!("INDEX {iname}"),
            &ei.comment,
            li.map(|li| &li.comment),
        );
    }
}

/// `ALTER .. OWNER TO` and grants, for `--privileges`.
fn owner_and_grants(
    b: &mut Builder,
    keyword: &str,
    name: &str,
    owners: (&Option<String>, Option<&String>),
    acls: (&Option<Vec<String>>, Option<&Vec<String>>),
) {
    if let Some(owner) = owners.0 {
        if owners.1 != Some(owner) {
            b.add(
                PRIVILEGES,
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
            b.add(
                PRIVILEGES,
                format!("REVOKE ALL ON {object} FROM {}", grantee_sql(grantee)),
            );
        }
    }
    for (grantee, privs) in &e {
        if l.get(grantee) != Some(privs) {
            let list = privilege_names(privs);
            if !list.is_empty() {
                b.add(
                    PRIVILEGES,
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
}
