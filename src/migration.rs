//! One migration: its identity (version, name, phase), its up and down SQL split into
//! statements once (at load), its checksums and the directives in its header.

use sha2::{Digest, Sha256};

use crate::sql_split::{self, Statement};

/// The directive that makes a migration run outside a transaction.
pub const NO_TRANSACTION_DIRECTIVE: &str = "-- strata:no-transaction";

/// A migration of the project's set: an up script and the down script that undoes it.
#[derive(Debug, Clone)]
pub struct Migration {
    /// Positive integer, unique across the set.
    pub version: i64,
    /// The description part of the file name (`create_users`).
    pub name: String,
    /// Phase folder name (`1_foundation`).
    pub phase: String,
    /// 1-based position of the phase in `schema.toml`.
    pub phase_number: u32,
    /// Path of the up script relative to the project root, for messages.
    pub up_path: String,
    /// Path of the down script relative to the project root.
    pub down_path: String,
    pub up_sql: String,
    pub down_sql: String,
    /// The up script's statements, with their byte offsets in `up_sql`.
    pub up_statements: Vec<Statement>,
    /// The down script's statements, with their byte offsets in `down_sql`.
    pub down_statements: Vec<Statement>,
    /// SHA-256 (hex) of the up script with CRLF normalised to LF.
    pub checksum: String,
    /// SHA-256 (hex) of the up script with comments and insignificant white space removed:
    /// equal for two scripts that differ only cosmetically.
    pub checksum_normalized: String,
    /// True when the up script's first line is `-- strata:no-transaction`.
    pub no_transaction: bool,
    /// `-- strata:squashes V1 V2 ...` in the up script's leading comments: the migrations
    /// this one replaced (`strata squash`), its own version among them. A history holding
    /// all of them holds this one (see `history::fold_squashes`).
    pub squashes: Vec<i64>,
}

impl Migration {
    /// Builds a migration from its parts, computing checksums and directives. Each script
    /// comes with its statements, split once when the project loads.
    pub fn new(
        version: i64,
        name: String,
        phase: String,
        phase_number: u32,
        up: Script,
        down: Script,
    ) -> Migration {
        let sums = (checksum(&up.sql), checksum_normalized(&up.sql));
        Migration::with_checksums(version, name, phase, phase_number, up, down, sums)
    }

    /// As `new`, with the up script's checksums (`checksum`, `checksum_normalized`) already
    /// computed (the loader computes them on several threads).
    pub fn with_checksums(
        version: i64,
        name: String,
        phase: String,
        phase_number: u32,
        up: Script,
        down: Script,
        (checksum, checksum_normalized): (String, String),
    ) -> Migration {
        let no_transaction = has_no_transaction_directive(&up.sql);
        let squashes = squashes_directive(&up.sql);
        Migration {
            version,
            name,
            phase,
            phase_number,
            up_path: up.path,
            down_path: down.path,
            up_sql: up.sql,
            down_sql: down.sql,
            up_statements: up.statements,
            down_statements: down.statements,
            checksum,
            checksum_normalized,
            no_transaction,
            squashes,
        }
    }

    /// `1003_create_users`: how the migration is named in messages.
    pub fn label(&self) -> String {
        format!("{}_{}", self.version, self.name)
    }

    /// True when the down script runs outside a transaction.
    pub fn down_no_transaction(&self) -> bool {
        has_no_transaction_directive(&self.down_sql)
    }
}

/// One script of a migration as loaded: where it is, its text and its statements.
#[derive(Debug, Clone)]
pub struct Script {
    /// Path relative to the project root, for messages.
    pub path: String,
    pub sql: String,
    pub statements: Vec<Statement>,
}

impl Script {
    /// A script split into statements.
    pub fn new(path: String, sql: String) -> Script {
        let statements = sql_split::split(&sql);
        Script {
            path,
            sql,
            statements,
        }
    }
}

/// The directive `strata squash` writes at the top of the migration it makes.
pub const SQUASHES_DIRECTIVE: &str = "-- strata:squashes";

/// The versions of a `-- strata:squashes V1 V2 ...` line among the script's leading comment
/// lines (empty when there is none).
pub fn squashes_directive(sql: &str) -> Vec<i64> {
    let sql = sql.strip_prefix('\u{feff}').unwrap_or(sql);
    sql.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with("--"))
        .find_map(|l| l.strip_prefix(SQUASHES_DIRECTIVE))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|v| v.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// True when the script's first line is the no-transaction directive (a UTF-8 BOM and
/// trailing white space are allowed).
pub fn has_no_transaction_directive(sql: &str) -> bool {
    let sql = sql.strip_prefix('\u{feff}').unwrap_or(sql);
    sql.lines()
        .next()
        .is_some_and(|line| line.trim_end() == NO_TRANSACTION_DIRECTIVE)
}

/// SHA-256 hex of a script with CRLF line endings normalised to LF, so that a checkout on
/// Windows does not count as a change.
pub fn checksum(sql: &str) -> String {
    let normalized = sql.replace("\r\n", "\n");
    hex(&Sha256::digest(normalized.as_bytes()))
}

/// SHA-256 hex of a script reduced to its meaning: comments removed, runs of white space
/// outside literals folded into one space, leading and trailing white space dropped.
pub fn checksum_normalized(sql: &str) -> String {
    let reduced = sql_split::strip_cosmetics(sql);
    hex(&Sha256::digest(reduced.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// What a migration file name says: version, description and direction.
#[derive(Debug, PartialEq, Eq)]
pub struct FileName {
    pub version: i64,
    pub name: String,
    pub direction: Direction,
}

/// Which way a script goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Parses `<version>_<description>.up.sql` / `.down.sql`. Returns a reason when the name
/// does not parse.
pub fn parse_file_name(file: &str) -> Result<FileName, String> {
    let (stem, direction) = if let Some(stem) = file.strip_suffix(".up.sql") {
        (stem, Direction::Up)
    } else if let Some(stem) = file.strip_suffix(".down.sql") {
        (stem, Direction::Down)
    } else {
        return Err("expected <version>_<description>.up.sql or .down.sql".into());
    };
    let (version, name) = stem
        .split_once('_')
        .ok_or_else(|| "expected <version>_<description> before .up.sql/.down.sql".to_string())?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("version '{version}' is not a positive integer"));
    }
    let version: i64 = version
        .parse()
        .map_err(|_| format!("version '{version}' is too large"))?;
    if version <= 0 {
        return Err("version must be a positive integer (1 or more)".into());
    }
    if name.is_empty() {
        return Err("the description after the version is empty".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "description '{name}' may only contain letters, digits, '_' and '-'"
        ));
    }
    Ok(FileName {
        version,
        name: name.to_string(),
        direction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_and_down_names() {
        assert_eq!(
            parse_file_name("1003_create_users.up.sql").unwrap(),
            FileName {
                version: 1003,
                name: "create_users".into(),
                direction: Direction::Up
            }
        );
        assert_eq!(
            parse_file_name("7_x.down.sql").unwrap().direction,
            Direction::Down
        );
    }

    #[test]
    fn rejects_bad_names() {
        for bad in [
            "create_users.up.sql",
            "0_zero.up.sql",
            "12.up.sql",
            "12_.up.sql",
            "-3_neg.up.sql",
            "1_a.sql",
            "1_a b.up.sql",
            "99999999999999999999_big.up.sql",
            "v1_x.up.sql",
        ] {
            assert!(parse_file_name(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn crlf_does_not_change_checksum() {
        let lf = "CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(checksum(lf), checksum(&crlf));
        assert_ne!(checksum(lf), checksum("CREATE TABLE t (id bigint);\n"));
        assert_eq!(checksum(lf).len(), 64);
    }

    #[test]
    fn normalized_checksum_ignores_comments_and_spacing_only() {
        let a = "-- header\nCREATE TABLE t (id int);\n";
        let b = "CREATE   TABLE t (id int);   /* note */\n\n";
        let c = "CREATE TABLE t (id bigint);\n";
        assert_eq!(checksum_normalized(a), checksum_normalized(b));
        assert_ne!(checksum_normalized(a), checksum_normalized(c));
        // White space inside a string literal is meaning, not cosmetics.
        assert_ne!(
            checksum_normalized("SELECT 'a  b';"),
            checksum_normalized("SELECT 'a b';")
        );
    }

    #[test]
    fn reads_the_squashes_directive_from_the_leading_comments_only() {
        assert_eq!(
            squashes_directive("-- strata:squashes 1001 1002 2019\n-- header\nSELECT 1;"),
            [1001, 1002, 2019]
        );
        assert_eq!(
            squashes_directive("-- header\n\n-- strata:squashes 7 8\nSELECT 1;"),
            [7, 8]
        );
        assert!(squashes_directive("SELECT 1;\n-- strata:squashes 7 8\n").is_empty());
        assert!(squashes_directive("-- nothing\nSELECT 1;").is_empty());
    }

    #[test]
    fn detects_no_transaction_directive_on_first_line_only() {
        assert!(has_no_transaction_directive(
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);"
        ));
        assert!(has_no_transaction_directive(
            "\u{feff}-- strata:no-transaction  \r\nSELECT 1;"
        ));
        assert!(!has_no_transaction_directive(
            "SELECT 1;\n-- strata:no-transaction\n"
        ));
    }
}
