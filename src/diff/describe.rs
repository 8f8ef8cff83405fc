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

/// An expression as PostgreSQL would print it after reading its own output back: a cast of
/// a whole `ARRAY[..]` (`ARRAY['a'::character varying]::text[]`, what an `IN (..)` list on
/// `varchar` becomes) is printed again as casts of its elements
/// (`ARRAY['a'::character varying::text]`). Definitions are compared in this form, so that
/// the one the script makes is not drift forever.
pub fn normalized(expr: &str) -> std::borrow::Cow<'_, str> {
    if !expr.contains("ARRAY[") || !expr.contains("[]") {
        return std::borrow::Cow::Borrowed(expr);
    }
    let mut out = String::with_capacity(expr.len() + 16);
    let mut rest = expr;
    while let Some(at) = find_outside_quotes(rest, "ARRAY[") {
        out.push_str(&rest[..at]);
        let inner_start = at + "ARRAY[".len();
        let Some(close) = matching_bracket(&rest[inner_start..]) else {
            out.push_str(&rest[at..]);
            return std::borrow::Cow::Owned(out);
        };
        let inner = &rest[inner_start..inner_start + close];
        let after = &rest[inner_start + close + 1..];
        match array_cast(after) {
            Some((ty, len)) => {
                let elements: Vec<String> = split_top_level(inner)
                    .into_iter()
                    .map(|e| format!("{}::{ty}", normalized(e.trim())))
                    .collect();
                out.push_str(&format!("ARRAY[{}]", elements.join(", ")));
                rest = &after[len..];
            }
            None => {
                out.push_str(&format!("ARRAY[{}]", normalized(inner)));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Position of `needle` in `s` outside single-quoted literals.
fn find_outside_quotes(s: &str, needle: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && s[i..].starts_with(needle) {
            return Some(i);
        }
    }
    None
}

/// Index of the `]` closing an `ARRAY[` whose contents start `s`.
fn matching_bracket(s: &str) -> Option<usize> {
    let (mut depth, mut quoted) = (0i32, false);
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '[' | '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ']' if !quoted => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// `::element type[]` at the start of `s`: the element type and the length taken.
fn array_cast(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix("::")?;
    let end = rest.find("[]")?;
    let ty = &rest[..end];
    let simple = !ty.is_empty()
        && ty
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '.' | '"' | '(' | ')' | ','))
        && ty.matches('(').count() == ty.matches(')').count();
    simple.then_some((ty, 2 + end + 2))
}

/// `s` split at commas outside quotes, parentheses and brackets.
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn a_cast_of_a_whole_array_reads_as_casts_of_its_elements() {
        assert_eq!(
            normalized("status::text = ANY (ARRAY['A'::character varying, 'B, C'::character varying]::text[])"),
            "status::text = ANY (ARRAY['A'::character varying::text, 'B, C'::character varying::text])"
        );
        let settled = "status::text = ANY (ARRAY['A'::character varying::text])";
        assert_eq!(normalized(settled), settled);
        assert_eq!(normalized("x = ANY (ARRAY[1, 2])"), "x = ANY (ARRAY[1, 2])");
    }
}

/// SQL that PostgreSQL reads back into the expression it printed: `x::text = ANY
/// (ARRAY['a'::character varying]::text[])` is what it prints for `x IN ('a')` on a
/// `varchar` column, and reading that text gives another expression (the casts pushed into
/// the elements); written back as `x IN ('a'::character varying)`, it gives the same one.
/// `<> ALL (..)` likewise becomes `NOT IN (..)`.
pub fn in_lists(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains("(ARRAY[") {
        return std::borrow::Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    loop {
        let any = find_outside_quotes(rest, " = ANY (ARRAY[").map(|i| (i, " = ANY (ARRAY[", "IN"));
        let all =
            find_outside_quotes(rest, " <> ALL (ARRAY[").map(|i| (i, " <> ALL (ARRAY[", "NOT IN"));
        let Some((at, pattern, keyword)) =
            [any, all].into_iter().flatten().min_by_key(|(i, _, _)| *i)
        else {
            break;
        };
        let inner_start = at + pattern.len();
        let rewritten = matching_bracket(&rest[inner_start..]).and_then(|close| {
            let after = &rest[inner_start + close + 1..];
            let (ty, len) = array_cast(after)?;
            // `::type[])` closes the ANY.
            after[len..].starts_with(')').then_some(())?;
            let lhs = &rest[..at];
            let operand = lhs.strip_suffix(&format!("::{ty}"))?;
            let start = operand_start(operand)?;
            Some((
                start,
                &operand[start..],
                &rest[inner_start..inner_start + close],
                inner_start + close + 1 + len + 1,
            ))
        });
        match rewritten {
            Some((start, operand, elements, end)) => {
                out.push_str(&rest[..start]);
                out.push_str(&format!("{operand} {keyword} ({elements})"));
                rest = &rest[end..];
            }
            None => {
                out.push_str(&rest[..inner_start]);
                rest = &rest[inner_start..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Where the operand that ends `s` starts: a parenthesized expression or a (qualified,
/// quoted) name, preceded by the start, a space, `(` or `,`.
fn operand_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let start = if s.ends_with(')') {
        let (mut depth, mut quoted) = (0i32, false);
        let mut found = None;
        for (i, c) in s.char_indices().rev() {
            match c {
                '\'' => quoted = !quoted,
                ')' if !quoted => depth += 1,
                '(' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        found = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        found?
    } else {
        let mut i = s.len();
        let mut quoted = false;
        while i > 0 {
            let c = bytes[i - 1] as char;
            if c == '"' {
                quoted = !quoted;
            } else if !(quoted || c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$') {
                break;
            }
            i -= 1;
        }
        i
    };
    let boundary = start == 0 || matches!(bytes[start - 1] as char, ' ' | '(' | ',');
    (boundary && start < s.len()).then_some(start)
}

#[cfg(test)]
mod in_list_tests {
    use super::in_lists;

    #[test]
    fn any_of_a_cast_array_is_written_back_as_in() {
        assert_eq!(
            in_lists("CHECK (status::text = ANY (ARRAY['A'::character varying, 'B'::character varying]::text[]))"),
            "CHECK (status IN ('A'::character varying, 'B'::character varying))"
        );
        assert_eq!(
            in_lists("WHERE (t.kind)::text <> ALL (ARRAY['x'::character varying]::text[])"),
            "WHERE (t.kind) NOT IN ('x'::character varying)"
        );
        let plain = "CHECK (n = ANY (ARRAY[1, 2]))";
        assert_eq!(in_lists(plain), plain);
    }
}
