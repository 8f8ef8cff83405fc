//! How objects and their fields read in the report: one-line summaries of what is added
//! or dropped, and the text of compared values.

use std::collections::BTreeMap;

use crate::introspect::{Column, Policy, Table, TypeDef, TypeKind};

/// `text NOT NULL DEFAULT 'x'`.
pub fn column_summary(c: &Column) -> String {
    let mut s = c.data_type.clone();
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        let how = if c.generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) {how}"));
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

pub fn type_summary(t: &TypeDef) -> String {
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
        TypeKind::Range => format!("range ({})", pairs(&t.properties)),
        TypeKind::Base => format!("base type ({})", pairs(&t.properties)),
    }
}

pub fn table_summary(t: &Table) -> String {
    match (&t.parent, &t.partition_bound) {
        (Some(p), Some(b)) => format!("partition of {p} {b}"),
        _ => {
            let n = t.columns.iter().filter(|c| !c.inherited).count();
            format!("{n} column{}", if n == 1 { "" } else { "s" })
        }
    }
}

/// `fillfactor=70, autovacuum_enabled=false` (`(none)` when empty).
pub fn options_summary(options: &BTreeMap<String, String>) -> String {
    if options.is_empty() {
        return "(none)".into();
    }
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SFUNC = f, STYPE = integer, HYPOTHETICAL`.
pub fn pairs(options: &[(String, String)]) -> String {
    options
        .iter()
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k} = {v}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A list (`(none)` when empty).
pub fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// An optional value (`(none)` when absent).
pub fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}
