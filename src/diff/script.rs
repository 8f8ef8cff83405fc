//! The script that brings the live schema to the expected one: statements made from the
//! change set by each kind's generator ([`super::gen`]), each naming the differences it
//! repairs and carrying its hazard, in the order of one dependency graph
//! ([`super::order`]). Statements that can lose data are marked `-- DATA LOSS:` and wait
//! as long as they can: grouped last, followed only by what has to wait for them.

use serde::Serialize;

use super::change::ChangeSet;
use super::gen::{self, AclDefaults, Ctx};
use super::order;
use super::plan::Plan;
use crate::introspect::CatalogModel;

/// What can go wrong when a statement runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Rows, values or a sequence's position can be lost.
    DataLoss,
}

/// A statement's hazard and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub message: String,
}

impl Hazard {
    pub fn data_loss(message: impl Into<String>) -> Hazard {
        Hazard {
            kind: HazardKind::DataLoss,
            message: message.into(),
        }
    }

    pub fn loses_data(&self) -> bool {
        self.kind == HazardKind::DataLoss
    }
}

/// One statement of the script.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub sql: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard: Option<Hazard>,
    /// The differences it repairs: indexes into the report's differences.
    pub differences: Vec<usize>,
}

impl Statement {
    /// Why the statement can lose data, when it can.
    pub fn data_loss(&self) -> Option<&str> {
        self.hazard
            .as_ref()
            .filter(|h| h.loses_data())
            .map(|h| h.message.as_str())
    }
}

/// The whole script, in order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Script {
    pub statements: Vec<Statement>,
    /// Dependency cycles broken to order it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Script {
    /// The script as text, runnable by psql (each statement ends with `;`).
    pub fn text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str(&format!("-- {line}\n"));
        }
        for w in &self.warnings {
            out.push_str(&format!("-- warning: {w}\n"));
        }
        if self.statements.is_empty() {
            out.push_str("-- nothing to do: the schemas match\n");
            return out;
        }
        let losses = self
            .statements
            .iter()
            .filter(|s| s.data_loss().is_some())
            .count();
        out.push_str(&format!(
            "-- {} statement{}, {} marked DATA LOSS (grouped last)\n\nSET check_function_bodies = false;\n",
            self.statements.len(),
            if self.statements.len() == 1 { "" } else { "s" },
            losses
        ));
        let mut in_loss_group = false;
        for s in &self.statements {
            if s.data_loss().is_some() && !in_loss_group {
                in_loss_group = true;
                out.push_str("\n-- ==== statements below can lose data ====\n");
            }
            out.push('\n');
            if let Some(why) = s.data_loss() {
                out.push_str(&format!("-- DATA LOSS: {why}\n"));
            }
            out.push_str(s.sql.trim_end());
            if !s.sql.trim_start().starts_with("--") {
                out.push(';');
            }
            out.push('\n');
        }
        out
    }
}

/// What the script needs to know of the live server beyond its schema.
#[derive(Debug, Clone, Default)]
pub struct LiveServer {
    /// The grants a new object of each kind gets (`acldefault`).
    pub acl_defaults: AclDefaults,
}

/// Builds the script that turns `live` into `expected` from their change set.
pub fn script(
    expected: &CatalogModel,
    live: &CatalogModel,
    changes: &ChangeSet,
    server: &LiveServer,
    privileges: bool,
) -> Script {
    let plan = Plan::new(expected, live, changes);
    let cx = Ctx {
        e: expected,
        l: live,
        cs: changes,
        plan: &plan,
        privileges,
        acl_defaults: &server.acl_defaults,
    };
    let steps = gen::generate(&cx);
    let (sorted, warnings) = order::sort(steps);
    Script {
        statements: sorted
            .into_iter()
            .map(|s| {
                let mut differences = s.differences;
                differences.sort_unstable();
                differences.dedup();
                Statement {
                    sql: s.sql,
                    hazard: s.hazard,
                    differences,
                }
            })
            .collect(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::diff::compare::changes;
    use crate::diff::CompareOptions;
    use crate::introspect::{Column, Function, Table, Trigger};

    fn run(expected: &CatalogModel, live: &CatalogModel) -> Script {
        let cs = changes(expected, live, &CompareOptions::default());
        script(expected, live, &cs, &LiveServer::default(), false)
    }

    fn column(name: &str, default: Option<&str>) -> Column {
        Column {
            name: name.into(),
            data_type: "integer".into(),
            default: default.map(Into::into),
            ..Column::default()
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

    fn depends(model: &mut CatalogModel, node: &str, on: &[&str]) {
        model.depends.insert(
            node.to_string(),
            on.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        );
    }

    #[test]
    fn data_loss_statements_come_last_and_are_marked() {
        let mut live = CatalogModel::default();
        live.tables.insert("public.gone".into(), Table::default());
        let expected = CatalogModel {
            schemas: [("s".to_string(), Default::default())].into(),
            ..CatalogModel::default()
        };
        let script = run(&expected, &live);
        assert_eq!(script.statements.len(), 2);
        assert_eq!(script.statements[0].sql, "CREATE SCHEMA s");
        assert!(script.statements[1].data_loss().is_some());
        assert_eq!(script.statements[1].differences, [1]);
        let text = script.text("test");
        assert!(text.contains("-- DATA LOSS: drops table public.gone"));
    }

    #[test]
    fn children_are_created_after_the_tables_they_inherit_from() {
        let mut model = CatalogModel::default();
        let table = |parents: &[&str], column: &str| Table {
            inherits: parents.iter().map(|p| p.to_string()).collect(),
            columns: vec![self::column(column, None)],
            ..Table::default()
        };
        // In name order the child would come first.
        model
            .tables
            .insert("public.c".into(), table(&["public.b", "public.a"], "c"));
        model
            .tables
            .insert("public.b".into(), table(&["public.a"], "b"));
        model.tables.insert("public.a".into(), table(&[], "a"));
        depends(&mut model, "table public.b", &["table public.a"]);
        depends(
            &mut model,
            "table public.c",
            &["table public.b", "table public.a"],
        );
        let script = run(&model, &CatalogModel::default());
        let a = at(&script, "CREATE TABLE public.a");
        let b = at(&script, "CREATE TABLE public.b");
        let c = at(&script, "CREATE TABLE public.c");
        assert!(a < b && b < c, "{script:#?}");
        assert!(script.statements[c]
            .sql
            .ends_with(") INHERITS (public.b, public.a)"));
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
        }
        };
        let mut expected = CatalogModel::default();
        expected
            .functions
            .insert("public.f(x integer)".into(), function("integer"));
        let mut t = Table {
            columns: vec![column("a", Some("public.f(1)"))],
            ..Table::default()
        };
        t.triggers.insert(
            "t_f".into(),
            Trigger {
                definition: "CREATE TRIGGER t_f WHEN (public.f(1) > 0) ...".into(),
                enabled: "D".into(),
                comment: None,
                inherited: false,
            },
        );
        expected.tables.insert("public.t".into(), t);
        depends(
            &mut expected,
            "default public.t.a",
            &["function public.f(x integer)", "column public.t.a"],
        );
        depends(
            &mut expected,
            "trigger public.t.t_f",
            &["function public.f(x integer)", "table public.t"],
        );
        let mut live = expected.clone();
        live.functions
            .insert("public.f(x integer)".into(), function("bigint"));

        let script = run(&expected, &live);
        let dropped = at(&script, "DROP FUNCTION public.f(x integer)");
        let created = at(&script, "CREATE OR REPLACE FUNCTION public.f");
        assert!(at(&script, "DROP TRIGGER IF EXISTS t_f ON public.t") < dropped);
        assert!(at(&script, "ALTER COLUMN a DROP DEFAULT") < dropped);
        assert!(dropped < created);
        assert!(at(&script, "CREATE TRIGGER t_f") > created);
        assert!(at(&script, "DISABLE TRIGGER t_f") > created);
        assert!(at(&script, "ALTER COLUMN a SET DEFAULT public.f(1)") > created);
        // Its comment went with it; nothing is lost; every statement says why.
        assert!(at(&script, "COMMENT ON FUNCTION public.f(x integer) IS 'f'") > created);
        assert!(script.statements.iter().all(|s| s.data_loss().is_none()));
        assert!(script.statements.iter().all(|s| !s.differences.is_empty()));
    }

    #[test]
    fn a_changed_partition_key_recreates_the_table_after_dropping_it() {
        let parent = |key: &str| Table {
            partition_key: Some(key.into()),
            columns: vec![column("a", None), column("b", None)],
            ..Table::default()
        };
        let partition = |bound: &str| Table {
            parent: Some("public.t".into()),
            partition_bound: Some(bound.into()),
            columns: vec![
                Column {
                    inherited: true,
                    ..column("a", None)
                },
                Column {
                    inherited: true,
                    ..column("b", None)
                },
            ],
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
        depends(&mut expected, "table public.t_1", &["table public.t"]);
        let mut live = CatalogModel::default();
        live.tables.insert("public.t".into(), parent("LIST (b)"));
        live.tables
            .insert("public.t_1".into(), partition("FOR VALUES IN (1)"));
        depends(&mut live, "table public.t_1", &["table public.t"]);

        let script = run(&expected, &live);
        let dropped = script
            .statements
            .iter()
            .position(|s| s.sql == "DROP TABLE IF EXISTS public.t")
            .unwrap();
        let why = script.statements[dropped].data_loss().unwrap();
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
                .filter(|s| s.data_loss().is_some())
                .count(),
            1
        );
    }
}
