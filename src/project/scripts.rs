//! One migration script as the loader checks it: read from its file, split into
//! statements, refused when strata cannot run it safely, and (an up script) checksummed —
//! the per-file work the loader spreads over threads.

use super::cache::{Cache, UpFacts};
use super::read;
use super::{display_path, utf8, LoadError, ProjectFile, ProjectSource};
use crate::migration::Script;

/// Rejects scripts strata cannot run safely: empty ones, ones with an unclosed quote or
/// comment (which would swallow what strata appends), and transactional ones that commit.
fn check_script(script: &Script) -> Result<(), LoadError> {
    use crate::sql_split;
    let (path, text) = (&script.path, &script.sql);
    if script.statements.is_empty() {
        return Err(LoadError::Empty { path: path.clone() });
    }
    if let Some(offset) = sql_split::unterminated(text) {
        let (line, column) = sql_split::line_col_at_byte(text, offset);
        return Err(LoadError::Unterminated {
            path: path.clone(),
            line,
            column,
        });
    }
    if !crate::migration::has_no_transaction_directive(text) {
        if let Some(s) = sql_split::transaction_control(&script.statements) {
            let (line, _) = sql_split::line_col_at_byte(text, s.offset);
            return Err(LoadError::TransactionControl {
                path: path.clone(),
                line,
                statement: s.sql.lines().next().unwrap_or_default().to_string(),
            });
        }
    }
    Ok(())
}

/// A migration script as the loader's parallel pass leaves it: split and checked, and for
/// an up script its two checksums. From the checksum cache: its facts, and no text.
pub(super) struct Prepared {
    pub(super) script: Script,
    pub(super) sums: Option<(String, String)>,
    pub(super) cached: Option<CachedFacts>,
}

/// The directives of an up script answered from the cache (its text was not read).
pub(super) struct CachedFacts {
    pub(super) no_transaction: bool,
    pub(super) squashes: Vec<i64>,
}

/// Reads, splits, checks and checksums one migration script; `None` for a file that is not
/// one (`<phase folder>/<name>.up.sql` or `.down.sql`), whose problems the loader reports.
pub(super) fn prepare(
    source: &ProjectSource,
    file: &ProjectFile,
    cache: Option<&Cache>,
) -> Option<Result<Prepared, LoadError>> {
    let rest = file.rel.strip_prefix("migrations/")?;
    let (_, name) = rest.split_once('/')?;
    let up = name.ends_with(".up.sql");
    if name.contains('/') || !(up || name.ends_with(".down.sql")) {
        return None;
    }
    let path = display_path(source, &file.rel);
    if let Some(entry) = cache.and_then(|c| c.cached(&file.rel)) {
        return Some(Ok(Prepared {
            script: Script {
                path,
                sql: String::new(),
                statements: Vec::new(),
            },
            sums: entry
                .up
                .as_ref()
                .map(|f| (f.checksum.clone(), f.checksum_normalized.clone())),
            cached: entry.up.as_ref().map(|f| CachedFacts {
                no_transaction: f.no_transaction,
                squashes: f.squashes.clone(),
            }),
        }));
    }
    Some((|| {
        let bytes = file.bytes(&path)?;
        let text = utf8(&path, bytes, "migration files")?.to_string();
        if let Some(offset) = read::inner_bom(&text) {
            let (line, column) = crate::sql_split::line_col_at_byte(&text, offset);
            return Err(LoadError::InnerBom { path, line, column });
        }
        let script = Script::new(path, text);
        check_script(&script)?;
        let sums = up.then(|| {
            (
                crate::migration::checksum(&script.sql),
                crate::migration::checksum_normalized(&script.sql),
            )
        });
        if let Some(cache) = cache {
            cache.loaded(
                &file.rel,
                sums.as_ref()
                    .map(|(checksum, checksum_normalized)| UpFacts {
                        checksum: checksum.clone(),
                        checksum_normalized: checksum_normalized.clone(),
                        no_transaction: crate::migration::has_no_transaction_directive(&script.sql),
                        squashes: crate::migration::squashes_directive(&script.sql),
                    }),
            );
        }
        Ok(Prepared {
            script,
            sums,
            cached: None,
        })
    })())
}
