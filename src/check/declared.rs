//! Invariants a project declares for `check`: `[[invariants]]` in schema.toml, or
//! `[[invariant]]` entries in the file `invariants_file` names. Each is SQL that returns
//! the violating rows, a severity, and optionally a fix statement.

use serde::Deserialize;

use super::{Check, CheckError, Severity, Source};
use crate::project::Project;

/// One declared invariant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invariant {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub severity: Severity,
    /// Returns the violating rows (key columns first).
    pub sql: String,
    /// Repairs the violations (one or more statements), when they can be repaired.
    #[serde(default)]
    pub fix: Option<String>,
}

/// The file named by `invariants_file`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InvariantsFile {
    #[serde(default)]
    invariant: Vec<Invariant>,
}

fn to_check(i: Invariant) -> Check {
    Check {
        name: i.name,
        source: Source::Declared,
        severity: i.severity,
        description: i.description,
        sql: i.sql,
        fix: i.fix.filter(|f| !f.trim().is_empty()),
        table: None,
        filter: None,
        merge_with: None,
    }
}

/// The project's declared invariants, as checks.
pub fn load(project: &Project) -> Result<Vec<Check>, CheckError> {
    let mut out = Vec::new();
    for (i, table) in project.config.invariants.iter().enumerate() {
        let inv: Invariant = toml::Value::Table(table.clone()).try_into().map_err(|e| {
            CheckError::BadSpec(format!(
                "{}: invariants[{i}]: {e}",
                project.display_path("schema.toml")
            ))
        })?;
        out.push(to_check(inv));
    }
    if let Some(file) = &project.config.invariants_file {
        let path = project.display_path(file);
        let bytes = project.files.get(file).ok_or_else(|| {
            CheckError::BadSpec(format!(
                "{path}: missing (named by invariants_file in schema.toml)"
            ))
        })?;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| CheckError::BadSpec(format!("{path}: not valid UTF-8")))?;
        let parsed: InvariantsFile = toml::from_str(text).map_err(|e| {
            CheckError::BadSpec(format!(
                "{path}: {}",
                e.to_string().lines().next().unwrap_or_default()
            ))
        })?;
        out.extend(parsed.invariant.into_iter().map(to_check));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in &out {
        if !seen.insert(c.name.clone()) {
            return Err(CheckError::BadSpec(format!(
                "invariant '{}' is declared twice",
                c.name
            )));
        }
    }
    Ok(out)
}
