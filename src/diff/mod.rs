//! Schema comparison: two [`CatalogModel`]s in, a list of [`Difference`]s out, each an
//! object that is missing (expected, not live), extra (live only) or changed (with both
//! values, and a unified diff for long text). [`sql`] writes the script that turns the
//! live schema into the expected one.
//!
//! Columns are compared by name; their order is not compared (PostgreSQL cannot reorder
//! columns of an existing table, so no script could repair it).

pub mod sql;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::introspect::{CatalogModel, Column, Index, Policy, Table, TypeDef, View};

/// What kind of object a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Type,
    Sequence,
    Table,
    Column,
    Constraint,
    Index,
    Trigger,
    Policy,
    Function,
    View,
    MaterializedView,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Type => "type",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
            ObjectKind::Function => "function",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized_view",
        }
    }
}

/// How an object differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Made by the migrations (expected), not in the live database.
    Missing,
    /// In the live database only.
    Extra,
    /// In both, with a different value of `field`.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Missing => "missing",
            Change::Extra => "extra",
            Change::Changed => "changed",
        }
    }
}

/// One difference between the expected and the live schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The top-level object it belongs to, e.g. `table public.users` (for a column,
    /// constraint, index, trigger or policy: its table or materialized view).
    pub object: String,
    pub kind: ObjectKind,
    /// Qualified name of the object that differs (`public.users.email` for a column).
    pub name: String,
    pub change: Change,
    /// For `changed`: which property differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The expected value (the definition, for `missing`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The live value (the definition, for `extra`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    /// For long text (view and function bodies): a unified diff, expected to live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Counts by change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub missing: usize,
    pub extra: usize,
    pub changed: usize,
    pub total: usize,
}

pub fn count(differences: &[Difference]) -> Counts {
    let mut c = Counts::default();
    for d in differences {
        match d.change {
            Change::Missing => c.missing += 1,
            Change::Extra => c.extra += 1,
            Change::Changed => c.changed += 1,
        }
        c.total += 1;
    }
    c
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// Compare owners and grants.
    pub privileges: bool,
}

/// Objects whose name matches one of these glob patterns (`*`, `?`) are left out of both
/// sides. Patterns match unquoted qualified names: `audit.*`, `public.tmp_*`, `public.t.col`
/// does not apply (a table's parts follow their table).
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    patterns: Vec<String>,
}

impl Exclude {
    pub fn new(patterns: &[String]) -> Exclude {
        Exclude {
            patterns: patterns.to_vec(),
        }
    }

    pub fn matches(&self, quoted: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let name = display_unquoted(quoted);
        self.patterns.iter().any(|p| glob(p, &name))
    }

    /// Removes excluded objects from `model`.
    pub fn apply(&self, model: &mut CatalogModel) {
        if self.patterns.is_empty() {
            return;
        }
        model.schemas.retain(|k, _| !self.matches(k));
        model.extensions.retain(|k, _| !self.matches(k));
        model.types.retain(|k, _| !self.matches(k));
        model.sequences.retain(|k, _| !self.matches(k));
        model.tables.retain(|k, _| !self.matches(k));
        model.views.retain(|k, _| !self.matches(k));
        model.functions.retain(|k, _| {
            let base = k.split('(').next().unwrap_or(k);
            !self.matches(base) && !self.matches(k)
        });
        for table in model.tables.values_mut() {
            table.indexes.retain(|k, _| !self.matches(k));
        }
    }
}

/// `"a b".c` → `a b.c` (for matching and display of patterns).
fn display_unquoted(quoted: &str) -> String {
    let mut out = String::new();
    let mut chars = quoted.chars().peekable();
    let mut in_quotes = false;
    while let Some(ch) = chars.next() {
        match ch {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => in_quotes = !in_quotes,
            c => out.push(c),
        }
    }
    out
}

/// Glob match with `*` (any run) and `?` (one character).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Text longer than this, or on several lines, gets a unified diff.
const LONG_TEXT: usize = 80;

fn unified(expected: &str, live: &str) -> String {
    similar::TextDiff::from_lines(expected, live)
        .unified_diff()
        .context_radius(3)
        .header("expected", "live")
        .to_string()
}

/// Collects differences as it walks the two models.
struct Collector<'o> {
    out: Vec<Difference>,
    options: &'o CompareOptions,
}

impl Collector<'_> {
    fn push(
        &mut self,
        object: &str,
        kind: ObjectKind,
        name: &str,
        change: Change,
        value: Option<String>,
    ) {
        let (expected, live) = match change {
            Change::Missing => (value, None),
            _ => (None, value),
        };
        self.out.push(Difference {
            object: object.to_string(),
            kind,
            name: name.to_string(),
            change,
            field: None,
            expected,
            live,
            diff: None,
        });
    }

    /// Records a changed `field` when the two values differ.
    #[allow(clippy::too_many_arguments)]
    fn field<T: PartialEq + std::fmt::Debug>(
        &mut self,
        object: &str,
        kind: ObjectKind,
        name: &str,
        field: &str,
        expected: &T,
        live: &T,
        show: impl Fn(&T) -> String,
    ) -> bool {
        if expected == live {
            return false;
        }
        let (e, l) = (show(expected), show(live));
        let diff =
            (e.len() > LONG_TEXT || l.len() > LONG_TEXT || e.contains('\n') || l.contains('\n'))
                .then(|| unified(&with_newline(&e), &with_newline(&l)));
        self.out.push(Difference {
            object: object.to_string(),
            kind,
            name: name.to_string(),
            change: Change::Changed,
            field: Some(field.to_string()),
            expected: Some(e),
            live: Some(l),
            diff,
        });
        true
    }

    fn text(
        &mut self,
        object: &str,
        kind: ObjectKind,
        name: &str,
        field: &str,
        expected: &Option<String>,
        live: &Option<String>,
    ) -> bool {
        self.field(object, kind, name, field, expected, live, |v| {
            v.clone().unwrap_or_else(|| "(none)".into())
        })
    }

    fn privileges(
        &mut self,
        object: &str,
        kind: ObjectKind,
        name: &str,
        owners: (&Option<String>, &Option<String>),
        acls: (&Option<Vec<String>>, &Option<Vec<String>>),
    ) {
        if !self.options.privileges {
            return;
        }
        self.text(object, kind, name, "owner", owners.0, owners.1);
        self.field(object, kind, name, "grants", acls.0, acls.1, |v| {
            v.as_ref().map(|a| a.join(", ")).unwrap_or_default()
        });
    }
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

/// Walks keys of two maps: missing, extra and common.
fn walk<'a, 'o, V>(
    c: &mut Collector<'o>,
    expected: &'a BTreeMap<String, V>,
    live: &'a BTreeMap<String, V>,
    missing: impl Fn(&mut Collector<'o>, &'a str, &'a V),
    extra: impl Fn(&mut Collector<'o>, &'a str, &'a V),
    both: impl Fn(&mut Collector<'o>, &'a str, &'a V, &'a V),
) {
    for (k, e) in expected {
        match live.get(k) {
            None => missing(c, k, e),
            Some(l) => both(c, k, e, l),
        }
    }
    for (k, l) in live {
        if !expected.contains_key(k) {
            extra(c, k, l);
        }
    }
}

/// `text NOT NULL DEFAULT 'x'`.
pub fn column_summary(c: &Column) -> String {
    let mut s = c.data_type.clone();
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if let Some(i) = &c.identity {
        s.push_str(&format!(" GENERATED {} AS IDENTITY", i.to_uppercase()));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    s
}

/// A constraint definition without its `NOT VALID` marker (validity is compared apart).
pub(crate) fn constraint_body(definition: &str) -> &str {
    definition.strip_suffix(" NOT VALID").unwrap_or(definition)
}

/// Compares the expected model with the live one.
pub fn compare(
    expected: &CatalogModel,
    live: &CatalogModel,
    options: &CompareOptions,
) -> Vec<Difference> {
    let mut c = Collector {
        out: Vec::new(),
        options,
    };
    use ObjectKind as K;

    // Schemas.
    walk(
        &mut c,
        &expected.schemas,
        &live.schemas,
        |c, k, _| c.push(&format!("schema {k}"), K::Schema, k, Change::Missing, None),
        |c, k, _| c.push(&format!("schema {k}"), K::Schema, k, Change::Extra, None),
        |c, k, e, l| {
            let obj = format!("schema {k}");
            c.text(&obj, K::Schema, k, "comment", &e.comment, &l.comment);
            c.privileges(&obj, K::Schema, k, (&e.owner, &l.owner), (&e.acl, &l.acl));
        },
    );

    // Extensions.
    for (k, e) in &expected.extensions {
        let obj = format!("extension {k}");
        match live.extensions.get(k) {
            None => c.push(
                &obj,
                K::Extension,
                k,
                Change::Missing,
                Some(format!("version {}", e.version)),
            ),
            Some(l) => {
                c.field(
                    &obj,
                    K::Extension,
                    k,
                    "version",
                    &e.version,
                    &l.version,
                    Clone::clone,
                );
                c.field(
                    &obj,
                    K::Extension,
                    k,
                    "schema",
                    &e.schema,
                    &l.schema,
                    Clone::clone,
                );
            }
        }
    }
    for (k, l) in &live.extensions {
        if !expected.extensions.contains_key(k) {
            c.push(
                &format!("extension {k}"),
                K::Extension,
                k,
                Change::Extra,
                Some(format!("version {}", l.version)),
            );
        }
    }

    // Types.
    for (k, e) in &expected.types {
        match live.types.get(k) {
            None => c.push(
                &format!("type {k}"),
                K::Type,
                k,
                Change::Missing,
                Some(type_summary(e)),
            ),
            Some(l) => compare_type(&mut c, k, e, l),
        }
    }
    for (k, l) in &live.types {
        if !expected.types.contains_key(k) {
            c.push(
                &format!("type {k}"),
                K::Type,
                k,
                Change::Extra,
                Some(type_summary(l)),
            );
        }
    }

    // Sequences.
    for (k, e) in &expected.sequences {
        let obj = format!("sequence {k}");
        match live.sequences.get(k) {
            None => c.push(&obj, K::Sequence, k, Change::Missing, None),
            Some(l) => {
                let n = |v: &i64| v.to_string();
                c.field(
                    &obj,
                    K::Sequence,
                    k,
                    "data_type",
                    &e.data_type,
                    &l.data_type,
                    Clone::clone,
                );
                c.field(&obj, K::Sequence, k, "start", &e.start, &l.start, n);
                c.field(
                    &obj,
                    K::Sequence,
                    k,
                    "increment",
                    &e.increment,
                    &l.increment,
                    n,
                );
                c.field(&obj, K::Sequence, k, "min", &e.min, &l.min, n);
                c.field(&obj, K::Sequence, k, "max", &e.max, &l.max, n);
                c.field(&obj, K::Sequence, k, "cache", &e.cache, &l.cache, n);
                c.field(&obj, K::Sequence, k, "cycle", &e.cycle, &l.cycle, |b| {
                    b.to_string()
                });
                c.field(
                    &obj,
                    K::Sequence,
                    k,
                    "owned_by",
                    &e.owned_by,
                    &l.owned_by,
                    |o| {
                        o.as_ref()
                            .map(|(t, col)| format!("{t}.{col}"))
                            .unwrap_or_else(|| "(none)".into())
                    },
                );
                c.text(&obj, K::Sequence, k, "comment", &e.comment, &l.comment);
                c.privileges(&obj, K::Sequence, k, (&e.owner, &l.owner), (&e.acl, &l.acl));
            }
        }
    }
    for k in live.sequences.keys() {
        if !expected.sequences.contains_key(k) {
            c.push(
                &format!("sequence {k}"),
                K::Sequence,
                k,
                Change::Extra,
                None,
            );
        }
    }

    // Functions.
    for (k, e) in &expected.functions {
        match live.functions.get(k) {
            None => c.push(
                &format!("{} {k}", e.kind),
                K::Function,
                k,
                Change::Missing,
                Some(e.definition.clone()),
            ),
            Some(l) => {
                let obj = format!("{} {k}", e.kind);
                let mut any = c.field(&obj, K::Function, k, "kind", &e.kind, &l.kind, Clone::clone);
                any |= c.text(&obj, K::Function, k, "returns", &e.returns, &l.returns);
                any |= c.field(
                    &obj,
                    K::Function,
                    k,
                    "language",
                    &e.language,
                    &l.language,
                    Clone::clone,
                );
                any |= c.field(
                    &obj,
                    K::Function,
                    k,
                    "volatility",
                    &e.volatility,
                    &l.volatility,
                    Clone::clone,
                );
                any |= c.field(
                    &obj,
                    K::Function,
                    k,
                    "security_definer",
                    &e.security_definer,
                    &l.security_definer,
                    |b| b.to_string(),
                );
                any |= c.field(&obj, K::Function, k, "body", &e.body, &l.body, Clone::clone);
                if !any {
                    c.field(
                        &obj,
                        K::Function,
                        k,
                        "definition",
                        &e.definition,
                        &l.definition,
                        Clone::clone,
                    );
                }
                c.text(&obj, K::Function, k, "comment", &e.comment, &l.comment);
                c.privileges(&obj, K::Function, k, (&e.owner, &l.owner), (&e.acl, &l.acl));
            }
        }
    }
    for (k, l) in &live.functions {
        if !expected.functions.contains_key(k) {
            c.push(
                &format!("{} {k}", l.kind),
                K::Function,
                k,
                Change::Extra,
                Some(l.definition.clone()),
            );
        }
    }

    // Tables and what they hold.
    for (k, e) in &expected.tables {
        match live.tables.get(k) {
            None => c.push(
                &format!("table {k}"),
                K::Table,
                k,
                Change::Missing,
                Some(table_summary(e)),
            ),
            Some(l) => {
                let (e, l) = without_inherited(expected, live, k, e, l);
                compare_table(&mut c, k, &e, &l)
            }
        }
    }
    for (k, l) in &live.tables {
        if !expected.tables.contains_key(k) {
            c.push(
                &format!("table {k}"),
                K::Table,
                k,
                Change::Extra,
                Some(table_summary(l)),
            );
        }
    }

    // Views.
    for (k, e) in &expected.views {
        match live.views.get(k) {
            None => c.push(
                &view_object(k, e),
                view_kind(e),
                k,
                Change::Missing,
                Some(e.definition.clone()),
            ),
            Some(l) => compare_view(&mut c, k, e, l),
        }
    }
    for (k, l) in &live.views {
        if !expected.views.contains_key(k) {
            c.push(
                &view_object(k, l),
                view_kind(l),
                k,
                Change::Extra,
                Some(l.definition.clone()),
            );
        }
    }
    c.out
}

fn view_kind(v: &View) -> ObjectKind {
    if v.materialized {
        ObjectKind::MaterializedView
    } else {
        ObjectKind::View
    }
}

fn view_object(k: &str, v: &View) -> String {
    if v.materialized {
        format!("materialized view {k}")
    } else {
        format!("view {k}")
    }
}

pub(crate) fn type_summary(t: &TypeDef) -> String {
    use crate::introspect::TypeKind;
    match t.kind {
        TypeKind::Enum => format!("enum ({})", t.labels.join(", ")),
        TypeKind::Domain => format!("domain {}", t.base_type.clone().unwrap_or_default()),
        TypeKind::Composite => format!(
            "composite ({})",
            t.attributes
                .iter()
                .map(|(n, ty)| format!("{n} {ty}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn table_summary(t: &Table) -> String {
    match (&t.parent, &t.partition_bound) {
        (Some(p), Some(b)) => format!("partition of {p} {b}"),
        _ => format!(
            "{} column{}",
            t.columns.len(),
            if t.columns.len() == 1 { "" } else { "s" }
        ),
    }
}

fn compare_type(c: &mut Collector<'_>, k: &str, e: &TypeDef, l: &TypeDef) {
    use ObjectKind as K;
    let obj = format!("type {k}");
    if c.field(&obj, K::Type, k, "kind", &e.kind, &l.kind, |v| {
        format!("{v:?}").to_lowercase()
    }) {
        return;
    }
    c.field(&obj, K::Type, k, "labels", &e.labels, &l.labels, |v| {
        v.join(", ")
    });
    c.text(&obj, K::Type, k, "base_type", &e.base_type, &l.base_type);
    c.field(
        &obj,
        K::Type,
        k,
        "not_null",
        &e.not_null,
        &l.not_null,
        |b| b.to_string(),
    );
    c.text(&obj, K::Type, k, "default", &e.default, &l.default);
    c.text(&obj, K::Type, k, "collation", &e.collation, &l.collation);
    c.field(&obj, K::Type, k, "checks", &e.checks, &l.checks, |m| {
        m.iter()
            .map(|(n, d)| format!("{n} {d}"))
            .collect::<Vec<_>>()
            .join("; ")
    });
    c.field(
        &obj,
        K::Type,
        k,
        "attributes",
        &e.attributes,
        &l.attributes,
        |v| {
            v.iter()
                .map(|(n, t)| format!("{n} {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    c.text(&obj, K::Type, k, "comment", &e.comment, &l.comment);
    if c.options.privileges {
        c.text(&obj, K::Type, k, "owner", &e.owner, &l.owner);
    }
}

/// The names of the columns and check constraints the parents of inheritance child `table`
/// hold (their own parents' included), in either model.
pub(crate) fn inherited_names(
    expected: &CatalogModel,
    live: &CatalogModel,
    table: &str,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut columns = BTreeSet::new();
    let mut constraints = BTreeSet::new();
    for model in [expected, live] {
        let mut todo: Vec<&String> = model
            .tables
            .get(table)
            .map(|t| t.inherits.iter().collect())
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        while let Some(parent) = todo.pop() {
            if !seen.insert(parent) {
                continue;
            }
            if let Some(p) = model.tables.get(parent) {
                columns.extend(p.columns.iter().map(|c| c.name.clone()));
                constraints.extend(
                    p.constraints
                        .iter()
                        .filter(|(_, k)| k.kind == crate::introspect::ConstraintKind::Check)
                        .map(|(n, _)| n.clone()),
                );
                todo.extend(p.inherits.iter());
            }
        }
    }
    (columns, constraints)
}

/// `e` and `l` (table `table` in `expected` and `live`) without the columns and check
/// constraints that one side has and the other inherits from a parent: the model leaves
/// out what a child inherits, and what a table that gains or loses a parent holds becomes
/// or stops being inherited with `INHERIT` / `NO INHERIT`, not added or dropped. A column
/// the parents gain or lose is the parents' difference alone.
pub(crate) fn without_inherited(
    expected: &CatalogModel,
    live: &CatalogModel,
    table: &str,
    e: &Table,
    l: &Table,
) -> (Table, Table) {
    let (columns, constraints) = inherited_names(expected, live, table);
    let (mut e, mut l) = (e.clone(), l.clone());
    if columns.is_empty() && constraints.is_empty() {
        return (e, l);
    }
    let (ec, lc) = (e.clone(), l.clone());
    e.columns
        .retain(|c| !columns.contains(&c.name) || lc.column(&c.name).is_some());
    l.columns
        .retain(|c| !columns.contains(&c.name) || ec.column(&c.name).is_some());
    e.constraints
        .retain(|n, _| !constraints.contains(n) || lc.constraints.contains_key(n));
    l.constraints
        .retain(|n, _| !constraints.contains(n) || ec.constraints.contains_key(n));
    (e, l)
}

/// `fillfactor=70, autovacuum_enabled=false`.
fn options_summary(options: &BTreeMap<String, String>) -> String {
    if options.is_empty() {
        return "(none)".into();
    }
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_table(c: &mut Collector<'_>, k: &str, e: &Table, l: &Table) {
    use ObjectKind as K;
    let obj = format!("table {k}");
    c.field(
        &obj,
        K::Table,
        k,
        "unlogged",
        &e.unlogged,
        &l.unlogged,
        |b| b.to_string(),
    );
    c.text(
        &obj,
        K::Table,
        k,
        "partition_key",
        &e.partition_key,
        &l.partition_key,
    );
    c.text(&obj, K::Table, k, "parent", &e.parent, &l.parent);
    c.text(
        &obj,
        K::Table,
        k,
        "partition_bound",
        &e.partition_bound,
        &l.partition_bound,
    );
    c.field(
        &obj,
        K::Table,
        k,
        "inherits",
        &e.inherits,
        &l.inherits,
        |v| {
            if v.is_empty() {
                "(none)".into()
            } else {
                v.join(", ")
            }
        },
    );
    c.field(
        &obj,
        K::Table,
        k,
        "options",
        &e.options,
        &l.options,
        options_summary,
    );
    c.field(
        &obj,
        K::Table,
        k,
        "rls_enabled",
        &e.rls_enabled,
        &l.rls_enabled,
        |b| b.to_string(),
    );
    c.field(
        &obj,
        K::Table,
        k,
        "rls_forced",
        &e.rls_forced,
        &l.rls_forced,
        |b| b.to_string(),
    );
    c.text(&obj, K::Table, k, "comment", &e.comment, &l.comment);
    c.privileges(&obj, K::Table, k, (&e.owner, &l.owner), (&e.acl, &l.acl));

    // Columns, by name.
    for ec in &e.columns {
        let name = format!("{k}.{}", ec.name);
        match l.column(&ec.name) {
            None => c.push(
                &obj,
                K::Column,
                &name,
                Change::Missing,
                Some(column_summary(ec)),
            ),
            Some(lc) => {
                c.field(
                    &obj,
                    K::Column,
                    &name,
                    "type",
                    &ec.data_type,
                    &lc.data_type,
                    Clone::clone,
                );
                c.field(
                    &obj,
                    K::Column,
                    &name,
                    "not_null",
                    &ec.not_null,
                    &lc.not_null,
                    |b| b.to_string(),
                );
                c.text(&obj, K::Column, &name, "default", &ec.default, &lc.default);
                c.text(
                    &obj,
                    K::Column,
                    &name,
                    "identity",
                    &ec.identity,
                    &lc.identity,
                );
                if ec.identity.is_some() && lc.identity.is_some() {
                    c.field(
                        &obj,
                        K::Column,
                        &name,
                        "identity_options",
                        &ec.identity_options,
                        &lc.identity_options,
                        |o| {
                            o.as_ref()
                                .map(|o| o.sql())
                                .unwrap_or_else(|| "(none)".into())
                        },
                    );
                }
                c.text(
                    &obj,
                    K::Column,
                    &name,
                    "generated",
                    &ec.generated,
                    &lc.generated,
                );
                c.text(
                    &obj,
                    K::Column,
                    &name,
                    "collation",
                    &ec.collation,
                    &lc.collation,
                );
                c.text(&obj, K::Column, &name, "comment", &ec.comment, &lc.comment);
            }
        }
    }
    for lc in &l.columns {
        if e.column(&lc.name).is_none() {
            let name = format!("{k}.{}", lc.name);
            c.push(
                &obj,
                K::Column,
                &name,
                Change::Extra,
                Some(column_summary(lc)),
            );
        }
    }

    // Constraints, by name.
    walk(
        c,
        &e.constraints,
        &l.constraints,
        |c, n, ek| {
            c.push(
                &obj,
                K::Constraint,
                &format!("{k}.{n}"),
                Change::Missing,
                Some(ek.definition.clone()),
            )
        },
        |c, n, lk| {
            c.push(
                &obj,
                K::Constraint,
                &format!("{k}.{n}"),
                Change::Extra,
                Some(lk.definition.clone()),
            )
        },
        |c, n, ek, lk| {
            let name = format!("{k}.{n}");
            let (eb, lb) = (
                constraint_body(&ek.definition),
                constraint_body(&lk.definition),
            );
            c.field(&obj, K::Constraint, &name, "definition", &eb, &lb, |s| {
                s.to_string()
            });
            c.field(
                &obj,
                K::Constraint,
                &name,
                "validated",
                &ek.validated,
                &lk.validated,
                |b| b.to_string(),
            );
            c.text(
                &obj,
                K::Constraint,
                &name,
                "comment",
                &ek.comment,
                &lk.comment,
            );
        },
    );

    compare_indexes(c, &obj, &e.indexes, &l.indexes);

    // Triggers.
    walk(
        c,
        &e.triggers,
        &l.triggers,
        |c, n, t| {
            c.push(
                &obj,
                K::Trigger,
                &format!("{k}.{n}"),
                Change::Missing,
                Some(t.definition.clone()),
            )
        },
        |c, n, t| {
            c.push(
                &obj,
                K::Trigger,
                &format!("{k}.{n}"),
                Change::Extra,
                Some(t.definition.clone()),
            )
        },
        |c, n, et, lt| {
            let name = format!("{k}.{n}");
            c.field(
                &obj,
                K::Trigger,
                &name,
                "definition",
                &et.definition,
                &lt.definition,
                Clone::clone,
            );
            c.field(
                &obj,
                K::Trigger,
                &name,
                "enabled",
                &et.enabled,
                &lt.enabled,
                |s| trigger_state(s).to_string(),
            );
            c.text(&obj, K::Trigger, &name, "comment", &et.comment, &lt.comment);
        },
    );

    // Policies.
    walk(
        c,
        &e.policies,
        &l.policies,
        |c, n, p| {
            c.push(
                &obj,
                K::Policy,
                &format!("{k}.{n}"),
                Change::Missing,
                Some(policy_summary(p)),
            )
        },
        |c, n, p| {
            c.push(
                &obj,
                K::Policy,
                &format!("{k}.{n}"),
                Change::Extra,
                Some(policy_summary(p)),
            )
        },
        |c, n, ep, lp| {
            c.field(
                &obj,
                K::Policy,
                &format!("{k}.{n}"),
                "definition",
                &policy_summary(ep),
                &policy_summary(lp),
                Clone::clone,
            );
        },
    );
}

fn compare_indexes(
    c: &mut Collector<'_>,
    obj: &str,
    e: &BTreeMap<String, Index>,
    l: &BTreeMap<String, Index>,
) {
    use ObjectKind as K;
    walk(
        c,
        e,
        l,
        |c, n, i| {
            c.push(
                obj,
                K::Index,
                n,
                Change::Missing,
                Some(i.definition.clone()),
            )
        },
        |c, n, i| c.push(obj, K::Index, n, Change::Extra, Some(i.definition.clone())),
        |c, n, ei, li| {
            c.field(
                obj,
                K::Index,
                n,
                "definition",
                &ei.definition,
                &li.definition,
                Clone::clone,
            );
            c.field(obj, K::Index, n, "valid", &ei.valid, &li.valid, |b| {
                b.to_string()
            });
            c.text(obj, K::Index, n, "comment", &ei.comment, &li.comment);
        },
    );
}

fn compare_view(c: &mut Collector<'_>, k: &str, e: &View, l: &View) {
    let obj = view_object(k, e);
    let kind = view_kind(e);
    if c.field(
        &obj,
        kind,
        k,
        "materialized",
        &e.materialized,
        &l.materialized,
        |b| b.to_string(),
    ) {
        return;
    }
    c.field(
        &obj,
        kind,
        k,
        "definition",
        &e.definition,
        &l.definition,
        Clone::clone,
    );
    compare_indexes(c, &obj, &e.indexes, &l.indexes);
    c.text(&obj, kind, k, "comment", &e.comment, &l.comment);
    c.privileges(&obj, kind, k, (&e.owner, &l.owner), (&e.acl, &l.acl));
}

/// `enabled`, `disabled`, `replica`, `always`.
pub fn trigger_state(code: &str) -> &'static str {
    match code {
        "D" => "disabled",
        "R" => "enabled replica",
        "A" => "enabled always",
        _ => "enabled",
    }
}

/// `AS PERMISSIVE FOR SELECT TO public USING (..) WITH CHECK (..)`.
pub fn policy_summary(p: &Policy) -> String {
    let command = match p.command.as_str() {
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        _ => "ALL",
    };
    let mut s = format!(
        "AS {} FOR {command} TO {}",
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        if p.roles.is_empty() {
            "public".to_string()
        } else {
            p.roles.join(", ")
        }
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({w})"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_stars_and_question_marks() {
        assert!(glob("audit.*", "audit.events"));
        assert!(glob("public.tmp_*", "public.tmp_x"));
        assert!(!glob("public.tmp_*", "public.users"));
        assert!(glob("public.t?", "public.t1"));
        assert!(glob("*", "anything"));
        assert_eq!(display_unquoted("\"my \"\"x\"\"\".t"), "my \"x\".t");
    }

    #[test]
    fn identical_models_have_no_differences() {
        let mut m = CatalogModel::default();
        m.tables.insert(
            "public.t".into(),
            Table {
                columns: vec![Column {
                    name: "id".into(),
                    data_type: "integer".into(),
                    not_null: true,
                    default: None,
                    identity: None,
                    identity_options: None,
                    generated: None,
                    collation: None,
                    comment: None,
                    functions: Default::default(),
                    types: Default::default(),
                    reads: Default::default(),
                }],
                ..Table::default()
            },
        );
        assert!(compare(&m, &m, &CompareOptions::default()).is_empty());
        let mut live = m.clone();
        live.tables.get_mut("public.t").unwrap().columns[0].data_type = "bigint".into();
        let d = compare(&m, &live, &CompareOptions::default());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, ObjectKind::Column);
        assert_eq!(d[0].name, "public.t.id");
        assert_eq!(d[0].field.as_deref(), Some("type"));
        assert_eq!(d[0].expected.as_deref(), Some("integer"));
        assert_eq!(d[0].live.as_deref(), Some("bigint"));
    }
}
