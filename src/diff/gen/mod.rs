//! The generators: for each kind, the statements that create, drop, alter or recreate an
//! object as the change set and the plan say, each naming the differences it repairs and,
//! for ordering, the nodes it provides, removes, requires (expected side) and uses (live
//! side). A created object also gets its comment, owner and grants — relative to what a
//! new object has, PUBLIC's defaults included.

mod columns;
mod foreign;
mod inheritance;
mod other;
mod parts;
mod privileges;
mod routines;
mod tables;
mod textsearch;
mod types;
mod views;

use std::collections::{BTreeMap, BTreeSet};

pub(crate) use privileges::parse as parse_acl;
pub(crate) use privileges::sorted as sorted_acl;
pub use privileges::AclDefaults;

use super::change::{ChangeKind, ChangeSet};
use super::order::Step;
use super::plan::{split_node, Action, Plan};
use super::script::Hazard;
use crate::history::quote_literal;
use crate::introspect::{split_qualified, CatalogModel};

/// Ranks: the order among statements free to go (drops of dependents, then creations in
/// the usual order, then comments and privileges, then drops of what nothing uses).
pub(crate) mod rank {
    pub const DROP_TRIGGER: u16 = 10;
    pub const DROP_POLICY: u16 = 11;
    pub const DROP_VIEW: u16 = 12;
    pub const DROP_INDEX: u16 = 13;
    pub const DROP_FK: u16 = 14;
    pub const DROP_CONSTRAINT: u16 = 15;
    pub const DROP_IDENTITY: u16 = 16;
    pub const DISOWN: u16 = 17;
    pub const DROP_DEFAULT: u16 = 18;
    pub const SCHEMA: u16 = 20;
    pub const EXTENSION: u16 = 21;
    pub const COLLATION: u16 = 22;
    pub const TYPE: u16 = 23;
    pub const SEQUENCE: u16 = 24;
    pub const FUNCTION: u16 = 25;
    pub const OPERATOR: u16 = 26;
    pub const TABLE: u16 = 27;
    pub const PARTITION: u16 = 28;
    pub const COLUMN: u16 = 29;
    pub const COLUMN_DEFAULT: u16 = 30;
    pub const CONSTRAINT: u16 = 31;
    pub const FK: u16 = 32;
    pub const INDEX: u16 = 33;
    pub const VIEW: u16 = 34;
    pub const STATISTICS: u16 = 35;
    pub const TRIGGER: u16 = 36;
    pub const RULE: u16 = 37;
    pub const POLICY: u16 = 38;
    pub const TABLE_OPTIONS: u16 = 39;
    pub const OTHER: u16 = 40;
    pub const COMMENT: u16 = 41;
    pub const OWNED_BY: u16 = 42;
    pub const PRIVILEGES: u16 = 43;
    pub const DROP_LATE: u16 = 50;
    pub const DROP_ROUTINE: u16 = 51;
    pub const DROP_TYPE: u16 = 52;
    pub const DROP_SEQUENCE: u16 = 53;
    pub const DROP_EXTENSION: u16 = 54;
    pub const DROP_SCHEMA: u16 = 55;
}

/// What every generator reads.
pub(crate) struct Ctx<'a> {
    pub e: &'a CatalogModel,
    pub l: &'a CatalogModel,
    pub cs: &'a ChangeSet,
    pub plan: &'a Plan,
    pub privileges: bool,
    pub acl_defaults: &'a AclDefaults,
}

/// What one object is to become, and why.
#[derive(Debug, Clone)]
pub(crate) struct Work {
    pub action: Action,
    /// Difference numbers of the whole change (and of the plan's reasons).
    pub causes: Vec<usize>,
    /// The change, when the object differs itself.
    pub change: Option<usize>,
}

impl Ctx<'_> {
    /// What happens to `node`, if anything.
    pub fn work(&self, node: &str) -> Option<Work> {
        let change = self.plan.change_of.get(node).copied();
        let mut causes: Vec<usize> = change.map(|c| self.cs.ids(c).collect()).unwrap_or_default();
        causes.extend(self.plan.causes(node));
        let action = match change.map(|c| self.cs.changes[c].change) {
            Some(ChangeKind::Added) => Action::Create,
            Some(ChangeKind::Dropped) => Action::Drop,
            Some(ChangeKind::Altered) => self.plan.action(node).unwrap_or(Action::Alter),
            None => self.plan.action(node)?,
        };
        Some(Work {
            action,
            causes,
            change,
        })
    }

    /// The difference number of `field` of change `change`.
    pub fn field(&self, change: Option<usize>, field: &str) -> Vec<usize> {
        change
            .and_then(|c| self.cs.id(c, field))
            .into_iter()
            .collect()
    }

    /// True when change `change` has `field`.
    pub fn has(&self, change: Option<usize>, field: &str) -> bool {
        change.is_some_and(|c| self.cs.changes[c].has(field))
    }

    /// What `node` depends on in the expected model, with its schema or table.
    pub fn edeps(&self, node: &str) -> Vec<String> {
        self.deps(self.e, node)
    }

    /// What `node` depends on in the live model, with its schema or table.
    pub fn ldeps(&self, node: &str) -> Vec<String> {
        self.deps(self.l, node)
    }

    fn deps(&self, m: &CatalogModel, node: &str) -> Vec<String> {
        let mut out: Vec<String> = m
            .depends
            .get(node)
            .map(|d| d.iter().filter(|d| *d != node).cloned().collect())
            .unwrap_or_default();
        out.extend(self.structural(node));
        out
    }

    /// The schema or the table an object belongs to.
    pub fn structural(&self, node: &str) -> Vec<String> {
        let (kind, name) = split_node(node);
        match kind {
            "column" | "default" | "constraint" | "trigger" | "rule" | "policy" => {
                parent_of(self.e, name)
                    .or_else(|| parent_of(self.l, name))
                    .into_iter()
                    .collect()
            }
            "index" => self
                .plan
                .index_owner
                .get(node)
                .map(|t| {
                    if self.e.views.contains_key(t) || self.l.views.contains_key(t) {
                        format!("view {t}")
                    } else {
                        format!("table {t}")
                    }
                })
                .into_iter()
                .collect(),
            "extension" => self
                .e
                .extensions
                .get(name)
                .or_else(|| self.l.extensions.get(name))
                .map(|x| format!("schema {}", x.schema))
                .into_iter()
                .collect(),
            "type" | "collation" | "conversion" | "sequence" | "table" | "view" | "function"
            | "operator" | "opclass" | "opfamily" | "ts_parser" | "ts_template"
            | "ts_dictionary" | "ts_configuration" | "statistics" => {
                // Up to the arguments or ` USING method`, outside quotes.
                let mut quoted = false;
                let end = name
                    .char_indices()
                    .find(|(_, c)| {
                        if *c == '"' {
                            quoted = !quoted;
                        }
                        !quoted && (*c == '(' || *c == ' ')
                    })
                    .map_or(name.len(), |(i, _)| i);
                let base = &name[..end];
                let (schema, _) = split_qualified(base);
                if schema.is_empty() {
                    vec![]
                } else {
                    vec![format!("schema {schema}")]
                }
            }
            _ => vec![],
        }
    }
}

/// The table or view node of a part named `table.part`.
fn parent_of(m: &CatalogModel, name: &str) -> Option<String> {
    name.char_indices()
        .filter(|(_, c)| *c == '.')
        .find_map(|(i, _)| {
            let t = &name[..i];
            if m.tables.contains_key(t) {
                Some(format!("table {t}"))
            } else if m.views.contains_key(t) {
                Some(format!("view {t}"))
            } else {
                None
            }
        })
}

impl Step {
    pub(crate) fn new(rank: u16, sql: impl Into<String>, why: &[usize]) -> Step {
        Step {
            sql: sql.into(),
            rank,
            differences: why.to_vec(),
            ..Step::default()
        }
    }
    pub(crate) fn provide(mut self, n: impl Into<String>) -> Step {
        self.provides.push(n.into());
        self
    }
    pub(crate) fn provide_all(mut self, ns: impl IntoIterator<Item = String>) -> Step {
        self.provides.extend(ns);
        self
    }
    pub(crate) fn remove(mut self, n: impl Into<String>) -> Step {
        self.removes.push(n.into());
        self
    }
    pub(crate) fn remove_all(mut self, ns: impl IntoIterator<Item = String>) -> Step {
        self.removes.extend(ns);
        self
    }
    pub(crate) fn require(mut self, n: impl Into<String>) -> Step {
        self.requires.push(n.into());
        self
    }
    pub(crate) fn require_all(mut self, ns: impl IntoIterator<Item = String>) -> Step {
        self.requires.extend(ns);
        self
    }
    pub(crate) fn uses_all(mut self, ns: impl IntoIterator<Item = String>) -> Step {
        self.uses.extend(ns);
        self
    }
    pub(crate) fn after(mut self, i: usize) -> Step {
        self.after.push(i);
        self
    }
    pub(crate) fn after_all(mut self, is: impl IntoIterator<Item = usize>) -> Step {
        self.after.extend(is);
        self
    }
    pub(crate) fn loss(mut self, why: impl Into<String>) -> Step {
        self.hazard = Some(Hazard::data_loss(why));
        self
    }
    pub(crate) fn last(mut self) -> Step {
        self.last = true;
        self
    }
}

/// The statements made so far.
#[derive(Default)]
pub(crate) struct Out {
    pub steps: Vec<Step>,
}

impl Out {
    pub fn add(&mut self, s: Step) -> usize {
        self.steps.push(s);
        self.steps.len() - 1
    }
}

/// Quotes a generated or role identifier when it is not a plain lower-case name.
pub(crate) fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain || name == "PUBLIC" {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A role name as the model holds it (`pg_get_userbyid`, unquoted) for SQL.
pub(crate) fn role(name: &str) -> String {
    if name.starts_with('"') {
        name.to_string()
    } else {
        ident(name)
    }
}

/// `COMMENT ON target IS 'text'` (or `IS NULL`).
pub(crate) fn comment_sql(target: &str, value: Option<&String>) -> String {
    let value = value
        .map(|v| quote_literal(v))
        .unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {target} IS {value}")
}

/// `(k = 'v', ..)` options.
pub(crate) fn options_list(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k} {}", quote_literal(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `OPTIONS (SET k 'v', ADD k 'v', DROP k)` turning `live` into `expected`, if they differ.
pub(crate) fn options_change(
    expected: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
) -> Option<String> {
    let mut items = Vec::new();
    for (k, v) in expected {
        match live.get(k) {
            None => items.push(format!("ADD {k} {}", quote_literal(v))),
            Some(l) if l != v => items.push(format!("SET {k} {}", quote_literal(v))),
            Some(_) => {}
        }
    }
    for k in live.keys() {
        if !expected.contains_key(k) {
            items.push(format!("DROP {k}"));
        }
    }
    (!items.is_empty()).then(|| format!("OPTIONS ({})", items.join(", ")))
}

/// How to say an object in `COMMENT ON`, `ALTER .. OWNER TO` and `GRANT`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta<'m> {
    /// `COMMENT ON {comment_on}`.
    pub comment_on: String,
    pub comment: Option<&'m String>,
    /// `ALTER {owner_of} OWNER TO`.
    pub owner_of: Option<String>,
    pub owner: Option<&'m String>,
    /// `GRANT .. ON {target}`, and the kind `acldefault` knows it by.
    pub grant_on: Option<(String, char)>,
    pub acl: Option<&'m Vec<String>>,
}

/// Ties a closure making an object's [`Meta`] to the object's lifetime.
pub(crate) fn meta_fn<'m, T: 'm>(f: impl Fn(&'m T) -> Meta<'m>) -> impl Fn(&'m T) -> Meta<'m> {
    f
}

/// Comment, owner and grants of an object just created (`node`), relative to what a new
/// object has; each step names `why`. The grants follow the owner, in order.
pub(crate) fn meta_created(
    cx: &Ctx<'_>,
    out: &mut Out,
    node: &str,
    m: &Meta<'_>,
    why: &[usize],
    after: Option<usize>,
) {
    let step = |s: Step, after: Option<usize>| {
        let s = s.require(node.to_string());
        match after {
            Some(a) => s.after(a),
            None => s,
        }
    };
    if let Some(c) = m.comment {
        out.add(step(
            Step::new(rank::COMMENT, comment_sql(&m.comment_on, Some(c)), why),
            after,
        ));
    }
    if !cx.privileges {
        return;
    }
    let mut prev = after;
    if let (Some(of), Some(owner)) = (&m.owner_of, m.owner) {
        prev = Some(out.add(step(
            Step::new(
                rank::PRIVILEGES,
                format!("ALTER {of} OWNER TO {}", role(owner)),
                why,
            ),
            prev,
        )));
    }
    if let (Some((on, kind)), Some(acl)) = (&m.grant_on, m.acl) {
        let owner = m.owner.map(String::as_str);
        let baseline = cx.acl_defaults.baseline(*kind, owner, cx.l);
        for sql in privileges::grants_as(on, None, acl, &baseline, owner) {
            prev = Some(out.add(step(Step::new(rank::PRIVILEGES, sql, why), prev)));
        }
    }
}

/// The comment, owner and grants fields of an altered object. A new owner takes the old
/// one's place in the grants before they are compared.
pub(crate) fn meta_altered(
    cx: &Ctx<'_>,
    out: &mut Out,
    node: &str,
    change: Option<usize>,
    e: &Meta<'_>,
    l: &Meta<'_>,
) {
    let step = |s: Step, after: Option<usize>| {
        let s = s.require(node.to_string());
        match after {
            Some(a) => s.after(a),
            None => s,
        }
    };
    if cx.has(change, "comment") {
        out.add(step(
            Step::new(
                rank::COMMENT,
                comment_sql(&e.comment_on, e.comment),
                &cx.field(change, "comment"),
            ),
            None,
        ));
    }
    let mut prev = None;
    let mut live: Vec<String> = l.acl.cloned().unwrap_or_default();
    if cx.has(change, "owner") {
        if let (Some(of), Some(owner)) = (&e.owner_of, e.owner) {
            prev = Some(out.add(step(
                Step::new(
                    rank::PRIVILEGES,
                    format!("ALTER {of} OWNER TO {}", role(owner)),
                    &cx.field(change, "owner"),
                ),
                None,
            )));
            if let Some(old) = l.owner {
                live = privileges::rename_role(&live, old, owner);
            }
        }
    }
    if cx.has(change, "grants") {
        let why = cx.field(change, "grants");
        let mut given = false;
        if let (Some((on, _)), Some(acl)) = (&e.grant_on, e.acl) {
            for sql in privileges::grants_as(on, None, acl, &live, e.owner.map(String::as_str)) {
                prev = Some(out.add(step(Step::new(rank::PRIVILEGES, sql, &why), prev)));
                given = true;
            }
        }
        // The new owner alone made the grants as expected.
        if let (false, Some(p)) = (given, prev) {
            out.steps[p].differences.extend(why);
        }
    }
}

/// An object's definition as a simple kind's generator gives it.
pub(crate) struct Def<'m> {
    /// Statements that create it (from the expected side), in order.
    pub create: Vec<String>,
    pub meta: Meta<'m>,
}

/// The generic life of a simple object: created, dropped, altered field by field
/// (`alter` gives the statements of one field, `None` when it cannot be altered), or
/// dropped and created again.
#[allow(clippy::too_many_arguments)]
pub(crate) fn simple(
    cx: &Ctx<'_>,
    out: &mut Out,
    node: &str,
    ranks: (u16, u16),
    expected: Option<Def<'_>>,
    live: Option<(String, Meta<'_>)>,
    drop_hazard: Option<String>,
    alter: &dyn Fn(&str) -> Option<Vec<String>>,
) {
    let Some(w) = cx.work(node) else { return };
    let (create_rank, drop_rank) = ranks;
    let mut action = w.action;
    let mut altered: Vec<(String, Vec<String>)> = Vec::new();
    if action == Action::Alter {
        let change = &cx.cs.changes[w.change.unwrap_or_default()];
        for f in &change.fields {
            if matches!(f.field.as_str(), "comment" | "owner" | "grants") {
                continue;
            }
            match alter(&f.field) {
                Some(sqls) => altered.push((f.field.clone(), sqls)),
                None => action = Action::Recreate,
            }
        }
    }
    let drop = |out: &mut Out, why: &[usize]| -> Option<usize> {
        let (sql, _) = live.as_ref()?;
        let mut s = Step::new(drop_rank, sql.clone(), why)
            .remove(node.to_string())
            .uses_all(cx.ldeps(node));
        if let Some(h) = &drop_hazard {
            s = s.loss(h.clone());
        }
        Some(out.add(s))
    };
    let create = |out: &mut Out, why: &[usize], after: Option<usize>| {
        let Some(def) = expected.as_ref() else { return };
        let mut prev = after;
        let mut first = None;
        for sql in &def.create {
            let mut s = Step::new(create_rank, sql.clone(), why)
                .provide(node.to_string())
                .require_all(cx.edeps(node));
            if let Some(p) = prev {
                s = s.after(p);
            }
            let i = out.add(s);
            first.get_or_insert(i);
            prev = Some(i);
        }
        meta_created(cx, out, node, &def.meta, why, prev);
    };
    let start = out.steps.len();
    match action {
        Action::Create => create(out, &w.causes, None),
        Action::Drop => {
            drop(out, &w.causes);
        }
        Action::Recreate | Action::Convert | Action::Disown => {
            let d = drop(out, &w.causes);
            create(out, &w.causes, d);
        }
        Action::Alter => {
            for (field, sqls) in altered {
                let why = cx.field(w.change, &field);
                let mut prev = None;
                for sql in sqls {
                    let mut s = Step::new(create_rank, sql, &why)
                        .provide(node.to_string())
                        .require_all(cx.edeps(node))
                        .uses_all(cx.ldeps(node));
                    if let Some(p) = prev {
                        s = s.after(p);
                    }
                    prev = Some(out.add(s));
                }
            }
            if let (Some(e), Some((_, l))) = (&expected, &live) {
                meta_altered(cx, out, node, w.change, &e.meta, l);
            }
            // A field repaired by the statements of another (a publication's schemas and
            // tables) is named by the last of them.
            let named: BTreeSet<usize> = out.steps[start..]
                .iter()
                .flat_map(|s| s.differences.iter().copied())
                .collect();
            let missing: Vec<usize> = w
                .causes
                .iter()
                .copied()
                .filter(|d| !named.contains(d))
                .collect();
            if let (false, Some(last)) = (missing.is_empty(), out.steps[start..].last_mut()) {
                last.differences.extend(missing);
            }
        }
    }
}

/// Every statement of the script, unordered.
pub(crate) fn generate(cx: &Ctx<'_>) -> Vec<Step> {
    let mut out = Out::default();
    other::generate(cx, &mut out);
    types::generate(cx, &mut out);
    routines::generate(cx, &mut out);
    tables::generate(cx, &mut out);
    views::generate(cx, &mut out);
    out.steps
}

/// The keys of two maps, each once.
pub(crate) fn keys<'a, V>(
    e: &'a BTreeMap<String, V>,
    l: &'a BTreeMap<String, V>,
) -> BTreeSet<&'a String> {
    e.keys().chain(l.keys()).collect()
}
