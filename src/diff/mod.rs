//! Schema comparison: two [`CatalogModel`]s in, one [`ChangeSet`] out (what is added,
//! dropped or altered, field by field), read by the report ([`ChangeSet::differences`])
//! and by the script that turns the live schema into the expected one ([`script`]).
//!
//! - [`compare`] walks the two models once;
//! - [`plan`] decides what else must be dropped and created again, from the live
//!   dependency graph;
//! - [`gen`] writes each kind's statements, each naming the differences it repairs and the
//!   objects it needs and removes;
//! - [`order`] sorts them by one dependency graph.

pub mod change;
pub mod compare;
pub mod describe;
mod gen;
pub mod order;
mod plan;
pub mod references;
pub mod residual;
pub mod script;

pub use change::{
    count, Change, ChangeKind, ChangeSet, Counts, Difference, FieldChange, ObjectChange, ObjectKind,
};
pub use describe::{column_summary, policy_summary, trigger_state};
pub use script::{script, Hazard, HazardKind, Script, Statement};

use crate::introspect::CatalogModel;

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
        let keep = |k: &str| !self.matches(k);
        let keep_routine = |k: &String| {
            let base = k.split('(').next().unwrap_or(k);
            !self.matches(base) && !self.matches(k)
        };
        model.schemas.retain(|k, _| keep(k));
        model.extensions.retain(|k, _| keep(k));
        model.types.retain(|k, _| keep(k));
        model.collations.retain(|k, _| keep(k));
        model.sequences.retain(|k, _| keep(k));
        model.tables.retain(|k, _| keep(k));
        model.views.retain(|k, _| keep(k));
        model.functions.retain(|k, _| keep_routine(k));
        model.aggregates.retain(|k, _| keep_routine(k));
        model.operators.retain(|k, _| keep_routine(k));
        model
            .operator_families
            .retain(|k, _| keep(k.split(' ').next().unwrap_or(k)));
        model
            .operator_classes
            .retain(|k, _| keep(k.split(' ').next().unwrap_or(k)));
        model.text_search_parsers.retain(|k, _| keep(k));
        model.text_search_templates.retain(|k, _| keep(k));
        model.text_search_dictionaries.retain(|k, _| keep(k));
        model.text_search_configurations.retain(|k, _| keep(k));
        model.foreign_data_wrappers.retain(|k, _| keep(k));
        model.foreign_servers.retain(|k, _| keep(k));
        model.publications.retain(|k, _| keep(k));
        model.event_triggers.retain(|k, _| keep(k));
        model.statistics.retain(|k, _| keep(k));
        for table in model.tables.values_mut() {
            table.indexes.retain(|k, _| keep(k));
        }
        for view in model.views.values_mut() {
            view.indexes.retain(|k, _| keep(k));
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

/// The differences between the expected model and the live one, as the report lists them.
pub fn compare(
    expected: &CatalogModel,
    live: &CatalogModel,
    options: &CompareOptions,
) -> Vec<Difference> {
    compare::changes(expected, live, options).differences()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::introspect::{Column, Table};

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
                    ..Column::default()
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
