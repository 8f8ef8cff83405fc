//! `-- strata:allow RULE[,RULE...] reason` comments: where each applies (the statement it
//! precedes or ends the line of, or the whole file when it comes before the first
//! statement) and whether it is well formed (a reason, known rules).

use squawk_syntax::{SourceFile, SyntaxKind as K};

use super::rules;

const MARKER: &str = "strata:allow";

/// Where an allowance applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    File,
    /// 1-based statement number.
    Statement(usize),
    /// After the last statement: applies to nothing.
    Nothing,
}

/// One `strata:allow` comment.
#[derive(Debug, Clone)]
pub struct Allow {
    pub rules: Vec<String>,
    pub reason: String,
    pub scope: Scope,
    pub offset: usize,
    /// Set once it suppressed a finding.
    pub used: bool,
}

impl Allow {
    /// Well formed: a reason and only known rule ids.
    pub fn problem(&self) -> Option<String> {
        if let Some(unknown) = self.rules.iter().find(|r| rules::by_id(r).is_none()) {
            return Some(format!(
                "strata:allow names an unknown rule '{unknown}' (see strata lint --explain)"
            ));
        }
        if self.rules.is_empty() {
            return Some("strata:allow names no rule".into());
        }
        if self.reason.trim().is_empty() {
            return Some(format!(
                "strata:allow {} has no reason: say why it is safe here (it suppresses nothing until it does)",
                self.rules.join(",")
            ));
        }
        None
    }
}

/// Finds every allowance in `sql`.
pub fn allowances(sql: &str) -> Vec<Allow> {
    let parse = SourceFile::parse(sql);
    let root = parse.syntax_node();
    // Statement ranges, in order.
    let stmts: Vec<(usize, usize)> = parse
        .tree()
        .stmts()
        .map(|s| {
            let r = squawk_syntax::ast::AstNode::syntax(&s).text_range();
            (usize::from(r.start()), usize::from(r.end()))
        })
        .collect();
    let line_of = |offset: usize| crate::sql_split::line_col_at_byte(sql, offset).0;
    let mut out = Vec::new();
    for tok in root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() == K::COMMENT)
    {
        let text = tok.text();
        let body = text
            .strip_prefix("--")
            .or_else(|| text.strip_prefix("/*").map(|t| t.trim_end_matches("*/")))
            .unwrap_or(text)
            .trim();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        let rest = rest.trim();
        let (ids, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let offset = usize::from(tok.text_range().start());
        let scope = match stmts.first() {
            Some((first, _)) if offset < *first => Scope::File,
            _ => {
                // Inside a statement, or ending the line a statement ends on: that
                // statement; otherwise the next one.
                let inside = stmts.iter().position(|(s, e)| offset >= *s && offset < *e);
                let same_line = stmts
                    .iter()
                    .rposition(|(_, e)| *e <= offset && line_of(*e) == line_of(offset));
                let next = stmts.iter().position(|(s, _)| *s > offset);
                match inside.or(same_line).or(next) {
                    Some(i) => Scope::Statement(i + 1),
                    None => Scope::Nothing,
                }
            }
        };
        out.push(Allow {
            rules: ids
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            reason: reason.trim().to_string(),
            scope,
            offset,
            used: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_placement() {
        let sql = "-- strata:allow drop-table the table is unused since v2\n\
                   CREATE TABLE a (id int);\n\
                   -- strata:allow drop-column,rename-column reason here\n\
                   ALTER TABLE a DROP COLUMN x;\n\
                   DROP TABLE b; -- strata:allow drop-table same line\n\
                   -- strata:allow index-not-concurrent\n";
        let a = allowances(sql);
        assert_eq!(a.len(), 4);
        assert_eq!(a[0].scope, Scope::File);
        assert_eq!(a[0].reason, "the table is unused since v2");
        assert_eq!(a[1].scope, Scope::Statement(2));
        assert_eq!(a[1].rules, vec!["drop-column", "rename-column"]);
        assert_eq!(a[2].scope, Scope::Statement(3));
        assert_eq!(a[3].scope, Scope::Nothing);
        assert!(a[3].problem().is_some_and(|p| p.contains("no reason")));
        assert!(a[0].problem().is_none());
    }

    #[test]
    fn unknown_rules_are_problems() {
        let a = allowances("SELECT 1; -- strata:allow no-such-rule because\n");
        assert!(a[0].problem().is_some_and(|p| p.contains("unknown rule")));
    }
}
