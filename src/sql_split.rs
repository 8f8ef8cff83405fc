//! Lexical handling of SQL scripts: splitting a script into statements (string literals,
//! quoted identifiers, dollar quotes and nested comments respected), reducing a script to
//! its meaning for the cosmetic checksum, and turning a server error position into a line
//! and column.

/// One statement of a script, with where it starts in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text, without the terminating semicolon, trimmed.
    pub sql: String,
    /// Byte offset of the statement's first character in the script.
    pub offset: usize,
}

/// A lexical piece of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Code outside literals and comments.
    Code,
    /// A literal (string, quoted identifier, dollar-quoted body): kept verbatim.
    Literal,
    /// A comment.
    Comment,
    /// White space outside literals.
    Space,
    /// A `;` ending a statement.
    Semicolon,
    /// A literal or comment that the script never closes.
    Unterminated,
}

/// Calls `f(piece, start, end)` for each lexical piece of `sql` in order (byte offsets).
/// An unterminated literal or comment runs to the end of the script.
fn lex(sql: &str, mut f: impl FnMut(Piece, usize, usize)) {
    let bytes = sql.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let c = bytes[i];
        let start = i;
        match c {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
                f(Piece::Comment, start, i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                let mut closed = false;
                while i < n {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            closed = true;
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                f(
                    if closed {
                        Piece::Comment
                    } else {
                        Piece::Unterminated
                    },
                    start,
                    i.min(n),
                );
            }
            b'\'' => {
                // E'...' strings allow backslash escapes; the E was already emitted as code
                // but we look back to decide.
                let escapes = start > 0
                    && matches!(bytes[start - 1], b'E' | b'e')
                    && (start < 2 || !is_ident_byte(bytes[start - 2]));
                i += 1;
                let mut closed = false;
                while i < n {
                    if escapes && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        closed = true;
                        break;
                    }
                    i += 1;
                }
                f(literal_or_open(closed), start, i.min(n));
            }
            b'"' => {
                i += 1;
                let mut closed = false;
                while i < n {
                    if bytes[i] == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        closed = true;
                        break;
                    }
                    i += 1;
                }
                f(literal_or_open(closed), start, i.min(n));
            }
            b'$' if start == 0 || !is_ident_byte(bytes[start - 1]) => {
                // Possible dollar quote: $tag$ where tag is an identifier without '$'.
                let mut j = i + 1;
                while j < n && is_ident_byte(bytes[j]) && bytes[j] != b'$' {
                    j += 1;
                }
                let tag_ok = j < n
                    && bytes[j] == b'$'
                    && !bytes[i + 1..j].first().is_some_and(|b| b.is_ascii_digit());
                if tag_ok {
                    let tag = &sql[i..=j];
                    let body_start = j + 1;
                    match sql[body_start..].find(tag) {
                        Some(pos) => {
                            i = body_start + pos + tag.len();
                            f(Piece::Literal, start, i);
                        }
                        None => {
                            i = n;
                            f(Piece::Unterminated, start, i);
                        }
                    }
                } else {
                    i += 1;
                    f(Piece::Code, start, i);
                }
            }
            b';' => {
                i += 1;
                f(Piece::Semicolon, start, i);
            }
            c if is_space(c) => {
                while i < n && is_space(bytes[i]) {
                    i += 1;
                }
                f(Piece::Space, start, i);
            }
            _ => {
                // A run of ordinary code up to the next byte that may start something else.
                i += 1;
                while i < n
                    && !matches!(bytes[i], b'-' | b'/' | b'\'' | b'"' | b'$' | b';')
                    && !is_space(bytes[i])
                {
                    i += 1;
                }
                // Keep multi-byte characters whole: advance to a char boundary.
                while i < n && !sql.is_char_boundary(i) {
                    i += 1;
                }
                f(Piece::Code, start, i);
            }
        }
    }
}

/// White space as PostgreSQL's scanner sees it (space, tab, newline, carriage return,
/// vertical tab, form feed).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn trim_space_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

fn literal_or_open(closed: bool) -> Piece {
    if closed {
        Piece::Literal
    } else {
        Piece::Unterminated
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits a script into its statements. Empty statements (only comments or white space)
/// are dropped.
pub fn split(sql: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut first_meaningful: Option<usize> = None;
    let mut last_end = 0usize;
    // SQL-standard function bodies (`BEGIN ATOMIC ... END`) contain semicolons; like psql,
    // count BEGIN/CASE against END inside a CREATE statement.
    let mut words_seen = 0usize;
    let mut is_create = false;
    let mut depth = 0usize;
    let flush = |first: &mut Option<usize>, end: usize, out: &mut Vec<Statement>| {
        if let Some(start) = first.take() {
            out.push(Statement {
                sql: trim_space_end(&sql[start..end]).to_string(),
                offset: start,
            });
        }
    };
    lex(sql, |piece, start, end| match piece {
        Piece::Code | Piece::Literal | Piece::Unterminated => {
            if first_meaningful.is_none() {
                first_meaningful = Some(start);
            }
            last_end = end;
            if piece == Piece::Code {
                for word in sql[start..end]
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                {
                    let w = word.to_ascii_uppercase();
                    if words_seen == 0 {
                        is_create = w == "CREATE";
                    }
                    words_seen += 1;
                    if is_create {
                        match w.as_str() {
                            "BEGIN" => depth += 1,
                            "CASE" if depth > 0 => depth += 1,
                            "END" if depth > 0 => depth -= 1,
                            _ => {}
                        }
                    }
                }
            }
        }
        Piece::Semicolon if depth > 0 => last_end = end,
        Piece::Semicolon => {
            flush(&mut first_meaningful, last_end.max(start), &mut out);
            words_seen = 0;
            is_create = false;
        }
        Piece::Comment | Piece::Space => {}
    });
    flush(&mut first_meaningful, last_end, &mut out);
    out
}

/// Byte offset of a string, quoted identifier, dollar quote or comment that the script
/// opens and never closes.
pub fn unterminated(sql: &str) -> Option<usize> {
    let mut found = None;
    lex(sql, |piece, start, _| {
        if piece == Piece::Unterminated && found.is_none() {
            found = Some(start);
        }
    });
    found
}

/// The first statement that begins or ends a transaction (BEGIN, START TRANSACTION,
/// COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION), which would break the transaction
/// strata wraps a migration in.
pub fn transaction_control(statements: &[Statement]) -> Option<&Statement> {
    statements.iter().find(|s| {
        let reduced = strip_cosmetics(&s.sql).to_ascii_uppercase();
        let words: Vec<&str> = reduced
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .take(2)
            .collect();
        match words.as_slice() {
            ["BEGIN", "ATOMIC", ..] => false,
            ["BEGIN", ..] | ["COMMIT", ..] | ["END", ..] | ["ABORT", ..] => true,
            ["START", "TRANSACTION"] | ["PREPARE", "TRANSACTION"] => true,
            ["ROLLBACK", second] => *second != "TO",
            ["ROLLBACK"] => true,
            _ => false,
        }
    })
}

/// The script with comments removed and white space outside literals folded: two scripts
/// with the same result differ only in cosmetics.
pub fn strip_cosmetics(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut pending_space = false;
    lex(sql, |piece, start, end| match piece {
        Piece::Comment | Piece::Space => pending_space = true,
        Piece::Code | Piece::Literal | Piece::Semicolon | Piece::Unterminated => {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(&sql[start..end]);
        }
    });
    out
}

/// Converts a 1-based character position in `text` (as PostgreSQL reports it) into a
/// 1-based (line, column).
pub fn line_col(text: &str, char_position: usize) -> (usize, usize) {
    let mut line = 1;
    let mut col = 1;
    for (idx, ch) in text.chars().enumerate() {
        if idx + 1 >= char_position {
            break;
        }
        if ch == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// Converts a byte offset in `text` into a 1-based (line, column).
pub fn line_col_at_byte(text: &str, byte_offset: usize) -> (usize, usize) {
    let prefix = &text[..byte_offset.min(text.len())];
    line_col(text, prefix.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqls(script: &str) -> Vec<String> {
        split(script).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn splits_plain_statements() {
        assert_eq!(
            sqls("CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);\n"),
            vec!["CREATE TABLE a (id int)", "CREATE INDEX i ON a (id)"]
        );
    }

    #[test]
    fn keeps_semicolons_inside_literals_and_comments() {
        let script = "SELECT 'a;b', \"we;ird\";\n-- x; y\n/* c; /* nested; */ d; */ SELECT E'it\\'s;';\nSELECT 'it''s;'";
        assert_eq!(
            sqls(script),
            vec![
                "SELECT 'a;b', \"we;ird\"",
                "SELECT E'it\\'s;'",
                "SELECT 'it''s;'"
            ]
        );
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let script = "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.a := 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nDO $body$ BEGIN PERFORM 1; END $body$;\nSELECT $1, a$b FROM t";
        let parts = sqls(script);
        assert_eq!(parts.len(), 3);
        assert!(parts[0].ends_with("$$ LANGUAGE plpgsql"));
        assert_eq!(parts[1], "DO $body$ BEGIN PERFORM 1; END $body$");
        assert_eq!(parts[2], "SELECT $1, a$b FROM t");
    }

    #[test]
    fn offsets_point_at_statement_starts() {
        let script = "-- head\nSELECT 1;\n\n  SELECT 2;";
        let parts = split(script);
        assert_eq!(&script[parts[0].offset..parts[0].offset + 8], "SELECT 1");
        assert_eq!(line_col_at_byte(script, parts[1].offset), (4, 3));
    }

    #[test]
    fn drops_empty_statements_and_unterminated_tail_is_kept() {
        assert_eq!(sqls(";;  -- only\n ; SELECT 1"), vec!["SELECT 1"]);
        assert_eq!(sqls("SELECT 'open"), vec!["SELECT 'open"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn standard_sql_function_bodies_stay_whole() {
        let script = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\nSELECT f(1);";
        let parts = sqls(script);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts[0].ends_with("END"));
        assert_eq!(parts[1], "SELECT f(1)");
    }

    #[test]
    fn finds_unterminated_pieces() {
        assert_eq!(unterminated("SELECT 1; SELECT 'x"), Some(17));
        assert_eq!(unterminated("SELECT 1; /* open /* nested */"), Some(10));
        assert_eq!(unterminated("DO $$ BEGIN"), Some(3));
        assert_eq!(unterminated("SELECT 'it''s'; -- fine"), None);
    }

    #[test]
    fn finds_transaction_control() {
        let found = |sql: &str| transaction_control(&split(sql)).map(|s| s.sql.clone());
        assert_eq!(
            found("CREATE TABLE t (a int);\ncommit;"),
            Some("commit".into())
        );
        assert_eq!(found("BEGIN; SELECT 1"), Some("BEGIN".into()));
        assert_eq!(found("START TRANSACTION"), Some("START TRANSACTION".into()));
        assert_eq!(found("SAVEPOINT a; ROLLBACK TO a; SELECT 'COMMIT'"), None);
        assert_eq!(
            found("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END"),
            None
        );
        assert_eq!(found("DO $$ BEGIN PERFORM 1; END $$"), None);
    }

    #[test]
    fn vertical_tabs_and_form_feeds_are_white_space() {
        // Found by the fuzzer: a lone vertical tab made an empty statement.
        assert!(split("\u{b}").is_empty());
        assert_eq!(
            sqls("SELECT 1;\u{c}\u{b}SELECT 2\u{b}"),
            vec!["SELECT 1", "SELECT 2"]
        );
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "SELECT 'é';\nSELEC x;";
        // Position 13 is the 'S' of the second line (1-based, in characters).
        assert_eq!(line_col(text, 13), (2, 1));
        assert_eq!(line_col(text, 1), (1, 1));
    }
}
