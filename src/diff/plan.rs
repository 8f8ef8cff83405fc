//! What the script does to each object beyond its own change: what PostgreSQL cannot alter
//! in place is dropped and created again, and so is everything in the live database that
//! depends on it (from the live model's dependency graph): views, functions, constraints,
//! indexes, triggers, rules, policies, defaults, ... are dropped before and created again
//! after; columns of a type created again are converted; a sequence owned by a table
//! created again is released before and owned again after; partitions go with their
//! table. A column whose type changes in place takes along what reads it (views, rules,
//! policies, triggers, generated columns), not the indexes and constraints PostgreSQL
//! rebuilds itself.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{ChangeKind, ChangeSet, ObjectChange, ObjectKind};
use crate::introspect::{CatalogModel, Table, TypeDef, TypeKind};

/// What the script does with one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Expected only.
    Create,
    /// Live only.
    Drop,
    /// In both: altered in place.
    Alter,
    /// In both: dropped and created again.
    Recreate,
    /// A column converted to its type created again.
    Convert,
    /// A sequence released by the table it belongs to while that is created again.
    Disown,
}

/// The node of an object as the dependency graph names it: `table public.t`.
pub(crate) fn node(kind: &str, name: &str) -> String {
    format!("{kind} {name}")
}

/// The node kind of a change's object.
pub(crate) fn node_kind(kind: ObjectKind) -> &'static str {
    use ObjectKind as K;
    match kind {
        K::Schema => "schema",
        K::Extension => "extension",
        K::Type => "type",
        K::Collation => "collation",
        K::Sequence => "sequence",
        K::Table | K::ForeignTable => "table",
        K::Column => "column",
        K::Constraint => "constraint",
        K::Index => "index",
        K::Trigger => "trigger",
        K::Rule => "rule",
        K::Policy => "policy",
        K::Function | K::Aggregate => "function",
        K::Operator => "operator",
        K::OperatorFamily => "opfamily",
        K::OperatorClass => "opclass",
        K::Cast => "cast",
        K::TextSearchParser => "ts_parser",
        K::TextSearchTemplate => "ts_template",
        K::TextSearchDictionary => "ts_dictionary",
        K::TextSearchConfiguration => "ts_configuration",
        K::ForeignDataWrapper => "foreign_data_wrapper",
        K::ForeignServer => "server",
        K::UserMapping => "user_mapping",
        K::Publication => "publication",
        K::EventTrigger => "event_trigger",
        K::Statistics => "statistics",
        K::AccessMethod => "access_method",
        K::Conversion => "conversion",
        K::ExtensionMember => "extension_member",
        K::DefaultPrivileges => "default_privileges",
        K::View | K::MaterializedView => "view",
    }
}

/// The node of a change's object (a view's column is its view).
pub(crate) fn change_node(c: &ObjectChange) -> String {
    if c.kind == ObjectKind::Column
        && (c.object.starts_with("view ") || c.object.starts_with("materialized view "))
    {
        if let Some(p) = &c.parent {
            return node("view", p);
        }
    }
    node(node_kind(c.kind), &c.name)
}

/// How a replaced object affects what depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Dropped for good.
    Gone,
    /// Dropped and created again.
    Replaced,
    /// A column converted in place to another type.
    Converted,
}

/// The plan: every object's action, and why.
pub(crate) struct Plan {
    /// Objects in both models dropped and created again, with the differences that make it so.
    pub recreate: BTreeMap<String, BTreeSet<usize>>,
    /// Columns (nodes) converted to a type created again.
    pub convert: BTreeMap<String, BTreeSet<usize>>,
    /// Sequences released and owned again around their table's recreation.
    pub disown: BTreeMap<String, BTreeSet<usize>>,
    /// Types created again by renaming the old one, with how deep they are built on
    /// another such type (0: changed themselves).
    pub type_depth: BTreeMap<String, usize>,
    /// Tables created again, by name (with the partitions under them).
    pub tables: BTreeSet<String>,
    /// node → index of its change.
    pub change_of: BTreeMap<String, usize>,
    /// Of every live node, the nodes that depend on it.
    pub dependents: BTreeMap<String, Vec<String>>,
    /// index node → its table or view.
    pub index_owner: BTreeMap<String, String>,
}

impl Plan {
    pub fn action(&self, node: &str) -> Option<Action> {
        if self.convert.contains_key(node) {
            return Some(Action::Convert);
        }
        if self.disown.contains_key(node) {
            return Some(Action::Disown);
        }
        if self.recreate.contains_key(node) {
            return Some(Action::Recreate);
        }
        None
    }

    /// Why `node` is recreated (or converted, or released), as difference numbers.
    pub fn causes(&self, node: &str) -> Vec<usize> {
        self.recreate
            .get(node)
            .or_else(|| self.convert.get(node))
            .or_else(|| self.disown.get(node))
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn recreated(&self, node: &str) -> bool {
        self.recreate.contains_key(node)
    }
}

/// True when the type cannot be altered into the expected one and is created again under
/// its name: another kind, an enum losing or reordering labels, a domain over another base
/// type or collation, a range or base type with other properties.
pub(crate) fn type_needs_recreate(e: &TypeDef, l: &TypeDef) -> bool {
    if e.kind != l.kind {
        return true;
    }
    match e.kind {
        TypeKind::Enum => e.labels != l.labels && !is_subsequence(&l.labels, &e.labels),
        TypeKind::Domain => e.base_type != l.base_type || e.collation != l.collation,
        TypeKind::Composite => false,
        TypeKind::Range | TypeKind::Base => e.properties != l.properties,
    }
}

pub(crate) fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// The first line of a function's definition: `CREATE OR REPLACE FUNCTION name(arguments)`,
/// with parameter names, modes and defaults.
fn function_header(definition: &str) -> &str {
    definition.lines().next().unwrap_or_default()
}

/// True when `CREATE OR REPLACE` cannot turn `live` into `expected`: another kind or
/// result, or other parameters (names, modes, defaults).
pub(crate) fn function_needs_drop(
    e: &crate::introspect::Function,
    l: &crate::introspect::Function,
) -> bool {
    e.kind != l.kind
        || e.returns != l.returns
        || function_header(&e.definition) != function_header(&l.definition)
}

/// True when a change to this object is made by dropping and creating it again.
fn replaces_itself(expected: &CatalogModel, live: &CatalogModel, c: &ObjectChange) -> bool {
    use ObjectKind as K;
    let only_meta = || {
        c.fields
            .iter()
            .all(|f| matches!(f.field.as_str(), "comment" | "owner" | "grants"))
    };
    match c.kind {
        K::Table | K::ForeignTable => {
            c.has("partition_key")
                || c.has("server")
                    && (table(expected, c).foreign.is_none() || table(live, c).foreign.is_none())
        }
        K::Column => c.has("generated") || c.has("generated_virtual"),
        K::Constraint => {
            c.has("definition") || c.field("validated").is_some_and(|f| f.expected == "false")
        }
        K::Index => c.has("definition") || c.has("valid"),
        K::Trigger | K::Rule | K::Policy => c.has("definition"),
        K::Function => match (expected.functions.get(&c.name), live.functions.get(&c.name)) {
            (Some(e), Some(l)) => e.definition != l.definition && function_needs_drop(e, l),
            _ => false,
        },
        K::Aggregate
        | K::Operator
        | K::OperatorClass
        | K::Cast
        | K::Collation
        | K::TextSearchParser
        | K::TextSearchTemplate
        | K::AccessMethod
        | K::Conversion => !only_meta(),
        K::TextSearchDictionary => c.has("template") || c.has("options"),
        K::TextSearchConfiguration => c.has("parser"),
        K::ForeignServer => c.has("wrapper") || c.has("type"),
        K::Publication => c.has("all_tables"),
        K::EventTrigger => c.has("event") || c.has("tags") || c.has("function"),
        K::Statistics => c.has("definition"),
        K::Type => match (expected.types.get(&c.name), live.types.get(&c.name)) {
            (Some(e), Some(l)) => type_needs_recreate(e, l),
            _ => false,
        },
        K::View | K::MaterializedView => c.has("definition") || c.has("materialized"),
        _ => false,
    }
}

fn table<'m>(m: &'m CatalogModel, c: &ObjectChange) -> &'m Table {
    static EMPTY: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    m.tables
        .get(&c.name)
        .unwrap_or_else(|| EMPTY.get_or_init(Table::default))
}

/// Every node of table `name` in `model`: the table, its columns, defaults, constraints,
/// indexes, triggers, rules and policies.
pub(crate) fn table_nodes(name: &str, t: &Table) -> Vec<String> {
    let mut out = vec![node("table", name)];
    for c in &t.columns {
        out.push(node("column", &format!("{name}.{}", c.name)));
        if c.default.is_some() || c.generated.is_some() {
            out.push(node("default", &format!("{name}.{}", c.name)));
        }
    }
    out.extend(
        t.constraints
            .keys()
            .map(|k| node("constraint", &format!("{name}.{k}"))),
    );
    out.extend(t.indexes.keys().map(|k| node("index", k)));
    out.extend(
        t.triggers
            .keys()
            .map(|k| node("trigger", &format!("{name}.{k}"))),
    );
    out.extend(t.rules.keys().map(|k| node("rule", &format!("{name}.{k}"))));
    out.extend(
        t.policies
            .keys()
            .map(|k| node("policy", &format!("{name}.{k}"))),
    );
    out
}

/// `(kind, name)` of a node.
pub(crate) fn split_node(n: &str) -> (&str, &str) {
    n.split_once(' ').unwrap_or((n, ""))
}

/// True when `node` names an object the expected model has.
pub(crate) fn in_model(m: &CatalogModel, n: &str) -> bool {
    let (kind, name) = split_node(n);
    let part = |f: &dyn Fn(&Table, &str) -> bool| {
        // `table.part`: the table is the longest prefix that is a table.
        name.char_indices()
            .filter(|(_, c)| *c == '.')
            .any(|(i, _)| {
                m.tables
                    .get(&name[..i])
                    .is_some_and(|t| f(t, &name[i + 1..]))
            })
    };
    match kind {
        "schema" => m.schemas.contains_key(name),
        "extension" => m.extensions.contains_key(name),
        "type" => m.types.contains_key(name),
        "collation" => m.collations.contains_key(name),
        "sequence" => m.sequences.contains_key(name),
        "table" => m.tables.contains_key(name),
        "view" => m.views.contains_key(name),
        "function" => m.functions.contains_key(name) || m.aggregates.contains_key(name),
        "column" => part(&|t, c| t.column(c).is_some()),
        "default" => part(&|t, c| {
            t.column(c)
                .is_some_and(|c| c.default.is_some() || c.generated.is_some())
        }),
        "constraint" => part(&|t, c| t.constraints.contains_key(c)),
        "trigger" => {
            part(&|t, c| t.triggers.contains_key(c))
                || m.views.iter().any(|(v, x)| {
                    name.strip_prefix(v.as_str())
                        .and_then(|r| r.strip_prefix('.'))
                        .is_some_and(|r| x.triggers.contains_key(r))
                })
        }
        "rule" => {
            part(&|t, c| t.rules.contains_key(c))
                || m.views.iter().any(|(v, x)| {
                    name.strip_prefix(v.as_str())
                        .and_then(|r| r.strip_prefix('.'))
                        .is_some_and(|r| x.rules.contains_key(r))
                })
        }
        "policy" => part(&|t, c| t.policies.contains_key(c)),
        "index" => {
            m.tables.values().any(|t| t.indexes.contains_key(name))
                || m.views.values().any(|v| v.indexes.contains_key(name))
        }
        "operator" => m.operators.contains_key(name),
        "opclass" => m.operator_classes.contains_key(name),
        "opfamily" => m.operator_families.contains_key(name),
        "cast" => m.casts.contains_key(name),
        "ts_parser" => m.text_search_parsers.contains_key(name),
        "ts_template" => m.text_search_templates.contains_key(name),
        "ts_dictionary" => m.text_search_dictionaries.contains_key(name),
        "ts_configuration" => m.text_search_configurations.contains_key(name),
        "foreign_data_wrapper" => m.foreign_data_wrappers.contains_key(name),
        "server" => m.foreign_servers.contains_key(name),
        "user_mapping" => m.user_mappings.contains_key(name),
        "publication" => m.publications.contains_key(name),
        "event_trigger" => m.event_triggers.contains_key(name),
        "statistics" => m.statistics.contains_key(name),
        "access_method" => m.access_methods.contains_key(name),
        "conversion" => m.conversions.contains_key(name),
        _ => false,
    }
}

/// The table (and column) of a `column` or `default` node.
pub(crate) fn column_of<'m>(
    m: &'m CatalogModel,
    name: &str,
) -> Option<(&'m str, &'m Table, String)> {
    name.char_indices()
        .filter(|(_, c)| *c == '.')
        .find_map(|(i, _)| {
            m.tables
                .get_key_value(&name[..i])
                .filter(|(_, t)| t.column(&name[i + 1..]).is_some())
                .map(|(k, t)| (k.as_str(), t, name[i + 1..].to_string()))
        })
}

impl Plan {
    pub fn new(expected: &CatalogModel, live: &CatalogModel, changes: &ChangeSet) -> Plan {
        let mut dependents: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (n, deps) in &live.depends {
            for d in deps {
                dependents.entry(d.clone()).or_default().push(n.clone());
            }
        }
        let mut index_owner = BTreeMap::new();
        for m in [expected, live] {
            for (t, x) in &m.tables {
                for i in x.indexes.keys() {
                    index_owner.insert(node("index", i), t.clone());
                }
            }
            for (v, x) in &m.views {
                for i in x.indexes.keys() {
                    index_owner.insert(node("index", i), v.clone());
                }
            }
        }
        let mut plan = Plan {
            recreate: BTreeMap::new(),
            convert: BTreeMap::new(),
            disown: BTreeMap::new(),
            type_depth: BTreeMap::new(),
            tables: BTreeSet::new(),
            change_of: BTreeMap::new(),
            dependents,
            index_owner,
        };
        let mut todo: Vec<(String, Mode, BTreeSet<usize>)> = Vec::new();
        for (i, c) in changes.changes.iter().enumerate() {
            let n = change_node(c);
            plan.change_of.entry(n.clone()).or_insert(i);
            let causes: BTreeSet<usize> = changes.ids(i).collect();
            match c.change {
                ChangeKind::Dropped => todo.push((n, Mode::Gone, causes)),
                ChangeKind::Added => {}
                ChangeKind::Altered => {
                    if c.kind == ObjectKind::Column
                        && (c.has("type") || c.has("collation"))
                        && !c.has("generated")
                    {
                        todo.push((n.clone(), Mode::Converted, causes.clone()));
                    }
                    if replaces_itself(expected, live, c) {
                        if c.kind == ObjectKind::Type {
                            plan.type_depth.insert(n.clone(), 0);
                        }
                        if matches!(c.kind, ObjectKind::Table | ObjectKind::ForeignTable) {
                            plan.replace_table(expected, live, &c.name, &causes, &mut todo);
                        } else {
                            plan.recreate
                                .entry(n.clone())
                                .or_default()
                                .extend(causes.iter().copied());
                            todo.push((n, Mode::Replaced, causes));
                        }
                    }
                }
            }
        }
        plan.propagate(expected, live, todo);
        plan
    }

    /// Table `name` and every partition under it (in either model) are created again.
    fn replace_table(
        &mut self,
        expected: &CatalogModel,
        live: &CatalogModel,
        name: &str,
        causes: &BTreeSet<usize>,
        todo: &mut Vec<(String, Mode, BTreeSet<usize>)>,
    ) {
        let mut all: BTreeSet<String> = [name.to_string()].into();
        loop {
            let before = all.len();
            for m in [expected, live] {
                for (n, t) in &m.tables {
                    if t.parent.as_ref().is_some_and(|p| all.contains(p)) {
                        all.insert(n.clone());
                    }
                }
            }
            if all.len() == before {
                break;
            }
        }
        for t in all {
            if !(expected.tables.contains_key(&t) && live.tables.contains_key(&t)) {
                continue;
            }
            self.tables.insert(t.clone());
            for n in table_nodes(&t, &live.tables[&t]) {
                self.recreate
                    .entry(n.clone())
                    .or_default()
                    .extend(causes.iter().copied());
                todo.push((n, Mode::Replaced, causes.clone()));
            }
            for n in table_nodes(&t, &expected.tables[&t]) {
                self.recreate
                    .entry(n)
                    .or_default()
                    .extend(causes.iter().copied());
            }
        }
    }

    fn propagate(
        &mut self,
        expected: &CatalogModel,
        live: &CatalogModel,
        mut todo: Vec<(String, Mode, BTreeSet<usize>)>,
    ) {
        let mut seen: BTreeSet<(String, u8)> = BTreeSet::new();
        while let Some((y, mode, causes)) = todo.pop() {
            if !seen.insert((y.clone(), mode as u8)) {
                continue;
            }
            let Some(deps) = self.dependents.get(&y).cloned() else {
                continue;
            };
            let (ykind, yname) = split_node(&y);
            for x in deps {
                if !in_model(expected, &x) || !in_model(live, &x) {
                    continue; // created or dropped anyway
                }
                let (xkind, xname) = split_node(&x);
                let reaction = match (xkind, mode) {
                    // A column of a type created again is converted to it.
                    ("column", Mode::Replaced) if ykind == "type" => Some(Mode::Converted),
                    ("column", _) => None,
                    // A sequence owned by a column of a table created again is released.
                    ("sequence", Mode::Replaced) if matches!(ykind, "column" | "table") => {
                        self.disown
                            .entry(x.clone())
                            .or_default()
                            .extend(causes.iter().copied());
                        None
                    }
                    ("sequence" | "table" | "schema" | "extension", _) => None,
                    ("type", Mode::Replaced) if ykind == "type" => {
                        let depth = self.type_depth.get(&y).copied().unwrap_or(0) + 1;
                        self.type_depth.entry(x.clone()).or_insert(depth);
                        Some(Mode::Replaced)
                    }
                    ("type", _) => None,
                    // The column's own default goes with its conversion.
                    ("default", _) if ykind == "column" && xname == yname => None,
                    // PostgreSQL rebuilds the indexes and constraints of a converted column.
                    ("index" | "constraint", Mode::Converted) => None,
                    _ => Some(Mode::Replaced),
                };
                let Some(reaction) = reaction else { continue };
                // A generated column is added again, not given its expression back.
                let generated = xkind == "default"
                    && column_of(expected, xname).is_some_and(|(_, t, c)| {
                        t.column(&c).is_some_and(|c| c.generated.is_some())
                    });
                let x = if generated { node("column", xname) } else { x };
                let target = match reaction {
                    Mode::Converted => &mut self.convert,
                    _ => &mut self.recreate,
                };
                target
                    .entry(x.clone())
                    .or_default()
                    .extend(causes.iter().copied());
                todo.push((x, reaction, causes.clone()));
            }
        }
        // A converted column whose type is created again is not also recreated.
        let converted: Vec<String> = self.convert.keys().cloned().collect();
        for c in converted {
            if let Some(r) = self.recreate.remove(&c) {
                self.convert.entry(c).or_default().extend(r);
            }
        }
        // Types made again for any reason, by name.
        let types: Vec<String> = self
            .recreate
            .keys()
            .filter(|n| n.starts_with("type "))
            .cloned()
            .collect();
        for t in types {
            self.type_depth.entry(t).or_insert(0);
        }
    }
}
