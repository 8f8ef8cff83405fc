//! Fuzz harnesses for the migration-file loader and the statement splitter: the bodies the
//! `cargo fuzz` targets under `fuzz/` call, and that a test replays over the kept corpus.
//! Each asserts the properties the rest of strata relies on; any panic is a bug.

use crate::project::Project;
use crate::sql_split;

/// Feeds arbitrary bytes to the loader as a project: a schema.toml and migration files
/// whose names and contents come from the input. Loading may fail, never panic; what loads
/// is ordered, unique and paired.
pub fn loader(data: &[u8]) {
    // Split the input into up to 8 parts: the first is schema.toml, then (name, content)
    // pairs for migration files.
    let parts: Vec<&[u8]> = data.split(|b| *b == 0).take(9).collect();
    let mut files = Vec::new();
    files.push((
        "schema.toml".to_string(),
        parts.first().copied().unwrap_or_default().to_vec(),
    ));
    for pair in parts[1.min(parts.len())..].chunks(2) {
        let name = String::from_utf8_lossy(pair[0]).replace('\n', "");
        let content = pair.get(1).copied().unwrap_or_default().to_vec();
        files.push((format!("migrations/{name}"), content));
    }
    if let Ok(project) = Project::from_memory(files) {
        let versions: Vec<i64> = project
            .migrations
            .migrations
            .iter()
            .map(|m| m.version)
            .collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "versions ordered and unique"
        );
        for m in &project.migrations.migrations {
            assert!(m.version > 0);
            assert_eq!(m.checksum.len(), 64);
            assert!(!m.up_statements.is_empty());
        }
    }
}

/// Feeds arbitrary text to the splitter and the other lexical helpers: statements are
/// non-empty slices of the input at their offsets, in order, and nothing panics.
pub fn splitter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let statements = sql_split::split(text);
    let mut last = 0;
    for s in &statements {
        assert!(!s.sql.is_empty());
        assert!(s.offset >= last, "offsets increase");
        assert!(text.is_char_boundary(s.offset));
        assert!(
            text[s.offset..].starts_with(&s.sql),
            "a statement is a slice of the script"
        );
        last = s.offset + s.sql.len();
    }
    let _ = sql_split::strip_cosmetics(text);
    let _ = sql_split::unterminated(text);
    let _ = sql_split::transaction_control(&statements);
    let _ = sql_split::line_col(text, text.chars().count() + 1);
}
