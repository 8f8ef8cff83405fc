//! Small helpers over squawk's PostgreSQL syntax tree: names (unquoted, schema-qualified),
//! column types in one canonical spelling, and looking for child nodes and keywords.

use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::{SyntaxKind as K, SyntaxNode, SyntaxToken};

/// The first child node of `kind`.
pub fn child(node: &SyntaxNode, kind: K) -> Option<SyntaxNode> {
    node.children().find(|c| c.kind() == kind)
}

/// The first descendant node (the node itself included) of `kind`.
pub fn descendant(node: &SyntaxNode, kind: K) -> Option<SyntaxNode> {
    node.descendants().find(|c| c.kind() == kind)
}

/// True when a direct child token or node is of `kind`.
pub fn has_child(node: &SyntaxNode, kind: K) -> bool {
    node.children_with_tokens().any(|c| c.kind() == kind)
}

/// True when any descendant token or node is of `kind`.
pub fn has_descendant(node: &SyntaxNode, kind: K) -> bool {
    node.descendants_with_tokens().any(|c| c.kind() == kind)
}

fn significant(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
}

/// An identifier as PostgreSQL folds it: quoted ones keep their case, others are lowered.
pub fn ident(text: &str) -> String {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => text.to_ascii_lowercase(),
    }
}

/// The parts of a dotted name (`s.t` → `["s", "t"]`).
pub fn name_parts(node: &SyntaxNode) -> Vec<String> {
    significant(node)
        .filter(|t| t.kind() != K::DOT)
        .map(|t| ident(t.text()))
        .collect()
}

/// A relation name qualified with its schema (`public` when none is written).
pub fn qualified(node: &SyntaxNode) -> String {
    let parts = name_parts(node);
    match parts.as_slice() {
        [] => String::new(),
        [name] => format!("public.{name}"),
        [.., schema, name] => format!("{schema}.{name}"),
    }
}

/// The last part of a name (a column, an index, a constraint).
pub fn last_name(node: &SyntaxNode) -> String {
    name_parts(node).pop().unwrap_or_default()
}

/// Text of a node with comments removed and white space folded, lower-cased outside
/// quotes: for comparing expressions and printing short excerpts.
pub fn normalized(node: &SyntaxNode) -> String {
    let mut out = String::new();
    for t in significant(node) {
        let text = t.text();
        let piece = if text.starts_with('\'') || text.starts_with('"') || text.starts_with('$') {
            text.to_string()
        } else {
            text.to_ascii_lowercase()
        };
        let glue = !out.is_empty()
            && !matches!(
                t.kind(),
                K::L_PAREN | K::R_PAREN | K::COMMA | K::DOT | K::L_BRACK | K::R_BRACK | K::COLON
            )
            && !out.ends_with(['(', '.', '[', ':']);
        if glue {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

/// A column type in one canonical spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    /// `integer`, `bigint`, `varchar`, `timestamp`, `timestamptz`, `numeric`, ...
    pub base: String,
    /// Type modifiers (`varchar(32)` → `[32]`).
    pub mods: Vec<i64>,
    pub array: bool,
}

impl ColumnType {
    pub fn is(&self, base: &str) -> bool {
        !self.array && self.base == base
    }

    pub fn display(&self) -> String {
        let mut s = self.base.clone();
        if !self.mods.is_empty() {
            let m: Vec<String> = self.mods.iter().map(|m| m.to_string()).collect();
            s.push_str(&format!("({})", m.join(",")));
        }
        if self.array {
            s.push_str("[]");
        }
        s
    }
}

/// The type node among `node`'s children.
pub fn type_child(node: &SyntaxNode) -> Option<SyntaxNode> {
    node.children().find(|c| ast::Type::can_cast(c.kind()))
}

/// Reads a type node into its canonical form.
pub fn column_type(node: &SyntaxNode) -> ColumnType {
    let array = node.kind() == K::ARRAY_TYPE || has_descendant(node, K::ARRAY_BOUND);
    let mut words = Vec::new();
    let mut mods = Vec::new();
    for t in significant(node) {
        match t.kind() {
            K::INT_NUMBER => {
                if let Ok(n) = t.text().parse() {
                    mods.push(n);
                }
            }
            K::L_PAREN | K::R_PAREN | K::COMMA | K::L_BRACK | K::R_BRACK | K::DOT => {}
            _ => words.push(ident(t.text())),
        }
    }
    if words.first().map(String::as_str) == Some("pg_catalog") {
        words.remove(0);
    }
    let joined = words.join(" ");
    let base = match joined.as_str() {
        "int" | "int4" | "integer" => "integer",
        "int8" | "bigint" => "bigint",
        "int2" | "smallint" => "smallint",
        "serial" | "serial4" => "serial",
        "bigserial" | "serial8" => "bigserial",
        "smallserial" | "serial2" => "smallserial",
        "varchar" | "character varying" => "varchar",
        "char" | "character" | "bpchar" => "char",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "time" | "time without time zone" => "time",
        "timetz" | "time with time zone" => "timetz",
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" => "double precision",
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        "varbit" | "bit varying" => "varbit",
        other => other,
    }
    .to_string();
    ColumnType { base, mods, array }
}

/// Whether changing a column from `old` to `new` rewrites the table (PostgreSQL's
/// binary-coercible changes do not).
pub fn type_change_rewrites(old: &ColumnType, new: &ColumnType) -> bool {
    if old.array != new.array {
        return true;
    }
    if old == new {
        return false;
    }
    let widen = |o: &[i64], n: &[i64]| match (o.first(), n.first()) {
        (_, None) => true,
        (Some(a), Some(b)) => b >= a,
        (None, Some(_)) => false,
    };
    match (old.base.as_str(), new.base.as_str()) {
        ("varchar", "varchar") | ("varbit", "varbit") => !widen(&old.mods, &new.mods),
        ("varchar", "text") | ("text", "varchar") if new.mods.is_empty() => false,
        ("varchar", "text") => false,
        ("numeric", "numeric") => {
            if new.mods.is_empty() {
                false
            } else {
                !(old.mods.len() == new.mods.len()
                    && old.mods.get(1) == new.mods.get(1)
                    && widen(&old.mods, &new.mods))
            }
        }
        ("timestamp", "timestamp")
        | ("timestamptz", "timestamptz")
        | ("interval", "interval")
        | ("time", "time") => !widen(&old.mods, &new.mods),
        ("cidr", "inet") => false,
        _ => true,
    }
}

/// Functions a column default may call without making every row compute its own value:
/// immutable or stable ones (PostgreSQL evaluates a non-volatile default once).
const NON_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "current_setting",
    "lower",
    "upper",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "length",
    "concat",
    "to_jsonb",
    "to_json",
    "jsonb_build_object",
    "jsonb_build_array",
    "json_build_object",
    "array",
    "make_interval",
    "make_date",
    "date_trunc",
    "abs",
    "round",
    "md5",
    "format",
    "interval",
];

/// The name of a function call in `expr` that may be volatile (not known to be stable),
/// or None when every call is known not to be.
pub fn volatile_call(expr: &SyntaxNode) -> Option<String> {
    for call in expr.descendants().filter(|n| n.kind() == K::CALL_EXPR) {
        let Some(name) = call.children().find(|c| {
            matches!(
                c.kind(),
                K::NAME_REF | K::FIELD_EXPR | K::PATH_REF | K::PATH_TYPE
            )
        }) else {
            continue;
        };
        let fname = last_name(&name);
        if !NON_VOLATILE.contains(&fname.as_str()) {
            return Some(fname);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use squawk_syntax::SourceFile;

    fn ty(sql: &str) -> ColumnType {
        let parse = SourceFile::parse(&format!("CREATE TABLE t (c {sql});"));
        let root = parse.syntax_node();
        let col = descendant(&root, K::COLUMN).expect("column");
        column_type(&type_child(&col).expect("type"))
    }

    #[test]
    fn types_are_canonical() {
        assert_eq!(ty("int4").base, "integer");
        assert_eq!(ty("character varying(20)").display(), "varchar(20)");
        assert_eq!(
            ty("timestamp(3) without time zone").display(),
            "timestamp(3)"
        );
        assert_eq!(ty("timestamp with time zone").base, "timestamptz");
        assert_eq!(ty("text[]").display(), "text[]");
        assert_eq!(ty("numeric(10, 2)").mods, vec![10, 2]);
        assert_eq!(ty("pg_catalog.int8").base, "bigint");
    }

    #[test]
    fn rewrites_follow_binary_coercion() {
        assert!(!type_change_rewrites(
            &ty("varchar(10)"),
            &ty("varchar(20)")
        ));
        assert!(type_change_rewrites(&ty("varchar(20)"), &ty("varchar(10)")));
        assert!(!type_change_rewrites(&ty("varchar(10)"), &ty("text")));
        assert!(!type_change_rewrites(&ty("text"), &ty("varchar")));
        assert!(type_change_rewrites(&ty("text"), &ty("varchar(5)")));
        assert!(type_change_rewrites(&ty("integer"), &ty("bigint")));
        assert!(!type_change_rewrites(
            &ty("numeric(10,2)"),
            &ty("numeric(12,2)")
        ));
        assert!(type_change_rewrites(
            &ty("numeric(10,2)"),
            &ty("numeric(12,3)")
        ));
        assert!(!type_change_rewrites(&ty("cidr"), &ty("inet")));
    }

    #[test]
    fn names_fold_like_postgres() {
        let parse = SourceFile::parse("ALTER TABLE App.\"Users\" ADD COLUMN x int;");
        let root = parse.syntax_node();
        let rel = descendant(&root, K::TABLE_RELATION_NAME).expect("relation");
        assert_eq!(qualified(&rel), "app.Users");
    }
}
