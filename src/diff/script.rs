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
