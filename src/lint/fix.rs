//! `--fix`: rewrites what has one safe form. A `CREATE INDEX` on an existing table moves to
//! a `-- strata:no-transaction` migration of its own as `CREATE INDEX CONCURRENTLY`; a
//! foreign key or CHECK gains `NOT VALID` and its `VALIDATE CONSTRAINT` goes to the next
//! migration; `SET NOT NULL` becomes a `CHECK (col IS NOT NULL) NOT VALID` whose next
//! migration validates it, sets NOT NULL and drops it. The plan holds every file's text
//! before and after, so it can be shown as a diff before anything is written.

use std::path::{Path, PathBuf};

use serde::Serialize;
use squawk_syntax::ast::AstNode;
use squawk_syntax::{SourceFile, SyntaxKind as K, SyntaxNode};

use super::rules as r;
use super::syntax::{child, descendant, has_child, last_name, qualified};
use super::{Finding, SqlSource};

/// One file written or changed.
#[derive(Debug, Clone, Serialize)]
pub struct FileEdit {
    pub path: PathBuf,
    #[serde(skip)]
    pub before: String,
    #[serde(skip)]
    pub after: String,
    pub created: bool,
}

/// What `--fix` does.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FixPlan {
    pub edits: Vec<FileEdit>,
    /// One line per fixed finding.
    pub fixed: Vec<String>,
    /// Findings of fixable rules left alone, with why.
    pub skipped: Vec<String>,
    pub written: bool,
}

/// A migration of the project on disk that may be fixed.
#[derive(Debug, Clone)]
pub struct Target {
    pub source: usize,
    pub version: i64,
    pub name: String,
    pub up: PathBuf,
    pub down: PathBuf,
    pub down_sql: String,
}

/// Free versions after `version`: below the next used one when there is room, else after
/// the last one (in the last migration's folder).
pub struct Versions {
    pub used: Vec<(i64, PathBuf)>,
}

impl Versions {
    fn take(&mut self, after: i64, folder: &Path) -> (i64, PathBuf) {
        let next_used = self
            .used
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v > after)
            .min();
        let v = after + 1;
        let (version, dir) =
            if next_used.is_none_or(|n| v < n) && !self.used.iter().any(|(u, _)| *u == v) {
                (v, folder.to_path_buf())
            } else {
                let (max, dir) = self
                    .used
                    .iter()
                    .max_by_key(|(v, _)| *v)
                    .cloned()
                    .unwrap_or((after, folder.to_path_buf()));
                (max + 1, dir)
            };
        self.used.push((version, dir.clone()));
        (version, dir)
    }
}

struct Edit {
    at: usize,
    end: usize,
    text: String,
}

fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.at));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.at..e.end, &e.text);
    }
    out
}

fn stmt_at(root: &SyntaxNode, offset: usize) -> Option<SyntaxNode> {
    root.children().find(|n| {
        let r = n.text_range();
        usize::from(r.start()) <= offset && offset < usize::from(r.end())
    })
}

/// Plans the fixes of `findings` (already graded) in `sources`.
pub fn plan(
    sources: &[SqlSource],
    targets: &[Target],
    findings: &[Finding],
    versions: &mut Versions,
) -> FixPlan {
    let mut plan = FixPlan::default();
    for t in targets {
        let src = &sources[t.source];
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.file == src.path)
            .filter(|f| {
                [
                    r::INDEX_NOT_CONCURRENT,
                    r::FOREIGN_KEY_VALIDATES,
                    r::CHECK_VALIDATES,
                    r::SET_NOT_NULL,
                ]
                .iter()
                .any(|rule| rule.id == f.rule)
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        let parse = SourceFile::parse(&src.sql);
        let root = parse.syntax_node();
        let mut up_edits = Vec::new();
        let mut down_prefix = String::new();
        let mut down_edits = Vec::new();
        let mut validate = String::new();
        let mut validate_down = String::new();
        let folder = t.up.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut last_version = t.version;
        for f in mine {
            let offset = byte_offset(&src.sql, f.line, f.column);
            let Some(stmt) = stmt_at(&root, offset) else {
                continue;
            };
            let table = child(&stmt, K::TABLE_RELATION_NAME)
                .map(|n| qualified(&n))
                .unwrap_or_default();
            let label = format!("{}:{}: {}", f.file, f.line, f.rule);
            match f.rule {
                "index-not-concurrent" => {
                    let Some(name) = child(&stmt, K::INDEX).map(|n| last_name(&n)) else {
                        plan.skipped.push(format!("{label}: the index has no name (name it so its down script can drop it)"));
                        continue;
                    };
                    let Some(kw) = stmt
                        .children_with_tokens()
                        .find(|e| e.kind() == K::INDEX_KW)
                    else {
                        continue;
                    };
                    let text = stmt.text().to_string();
                    let kw_end =
                        usize::from(kw.text_range().end()) - usize::from(stmt.text_range().start());
                    let guard = if has_child(&stmt, K::IF_NOT_EXISTS) {
                        ""
                    } else {
                        " IF NOT EXISTS"
                    };
                    let mut moved =
                        format!("{} CONCURRENTLY{guard}{}", &text[..kw_end], &text[kw_end..]);
                    if !moved.trim_end().ends_with(';') {
                        moved.push(';');
                    }
                    let schema = table.split('.').next().unwrap_or("public");
                    let (version, dir) = versions.take(last_version, &folder);
                    last_version = version;
                    let stem = format!("{version}_{}_index_{}", t.name, sanitize(&name));
                    let up_path = dir.join(format!("{stem}.up.sql"));
                    let down_path = dir.join(format!("{stem}.down.sql"));
                    plan.edits.push(created(up_path.clone(), format!("-- strata:no-transaction\n-- moved from {} by strata lint --fix: built without blocking writes\n{moved}\n", file_name(&t.up))));
                    plan.edits.push(created(down_path, format!("-- strata:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS {schema}.{name};\n")));
                    let r = stmt.text_range();
                    up_edits.push(Edit {
                        at: usize::from(r.start()),
                        end: usize::from(r.end()),
                        text: format!(
                            "-- index {name}: built CONCURRENTLY in {} (strata lint --fix)",
                            file_name(&up_path)
                        ),
                    });
                    down_edits.extend(if_exists_on_drop_index(&t.down_sql, &name));
                    plan.fixed.push(format!(
                        "{label}: index {name} moved to {}",
                        file_name(&up_path)
                    ));
                }
                "foreign-key-validates" | "check-validates" => {
                    let Some(constraint) = stmt
                        .descendants()
                        .filter(|n| n.kind() == K::ADD_CONSTRAINT)
                        .find(|n| {
                            usize::from(n.text_range().end()) > offset
                                && usize::from(n.text_range().start()) <= offset
                        })
                        .and_then(|a| a.children().next())
                    else {
                        plan.skipped.push(format!(
                            "{label}: only ALTER TABLE ... ADD CONSTRAINT is rewritten"
                        ));
                        continue;
                    };
                    let Some(name) =
                        descendant(&constraint, K::CONSTRAINT_NAME).map(|n| last_name(&n))
                    else {
                        plan.skipped.push(format!("{label}: the constraint has no name (name it so it can be validated later)"));
                        continue;
                    };
                    up_edits.push(Edit {
                        at: usize::from(constraint.text_range().end()),
                        end: usize::from(constraint.text_range().end()),
                        text: " NOT VALID".into(),
                    });
                    validate.push_str(&format!(
                        "ALTER TABLE {table} VALIDATE CONSTRAINT {name};\n"
                    ));
                    plan.fixed.push(format!(
                        "{label}: {name} added NOT VALID, validated in the next migration"
                    ));
                }
                "set-not-null" => {
                    let Some(action) = stmt
                        .descendants()
                        .filter(|n| n.kind() == K::ALTER_COLUMN && has_child(n, K::SET_NOT_NULL))
                        .find(|n| {
                            usize::from(n.text_range().start()) <= offset
                                && offset < usize::from(n.text_range().end())
                        })
                    else {
                        continue;
                    };
                    let col = child(&action, K::COLUMN_NAME_REF)
                        .map(|c| last_name(&c))
                        .unwrap_or_default();
                    let bare = table.split('.').nth(1).unwrap_or(&table);
                    let check = format!("{}_{}_not_null", bare, col);
                    let check = sanitize(&check[..check.floor_char_boundary(63)]);
                    let quoted_col = quote(&col);
                    up_edits.push(Edit {
                        at: usize::from(action.text_range().start()),
                        end: usize::from(action.text_range().end()),
                        text: format!(
                            "ADD CONSTRAINT {check} CHECK ({quoted_col} IS NOT NULL) NOT VALID"
                        ),
                    });
                    validate.push_str(&format!(
                        "ALTER TABLE {table} VALIDATE CONSTRAINT {check};\nALTER TABLE {table} ALTER COLUMN {quoted_col} SET NOT NULL, DROP CONSTRAINT {check};\n"
                    ));
                    validate_down.push_str(&format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({quoted_col} IS NOT NULL) NOT VALID, ALTER COLUMN {quoted_col} DROP NOT NULL;\n"
                    ));
                    down_prefix.push_str(&format!(
                        "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {check};\n"
                    ));
                    plan.fixed.push(format!("{label}: {col} checked NOT VALID; validated and set NOT NULL in the next migration"));
                }
                _ => {}
            }
        }
        if !validate.is_empty() {
            let (version, dir) = versions.take(last_version, &folder);
            let stem = format!("{version}_{}_validate", t.name);
            plan.edits.push(created(dir.join(format!("{stem}.up.sql")), format!("-- validates what {} added NOT VALID (strata lint --fix): the scans take no blocking lock\n{validate}", file_name(&t.up))));
            let down = if validate_down.is_empty() {
                "-- nothing to undo: validating a constraint changes no schema\nSELECT 1;\n"
                    .to_string()
            } else {
                validate_down
            };
            plan.edits
                .push(created(dir.join(format!("{stem}.down.sql")), down));
        }
        if !up_edits.is_empty() {
            plan.edits.push(FileEdit {
                path: t.up.clone(),
                before: src.sql.clone(),
                after: apply_edits(&src.sql, up_edits),
                created: false,
            });
        }
        if !down_prefix.is_empty() || !down_edits.is_empty() {
            let mut after = apply_edits(&t.down_sql, down_edits);
            if !down_prefix.is_empty() {
                after = insert_after_directive(&after, &down_prefix);
            }
            plan.edits.push(FileEdit {
                path: t.down.clone(),
                before: t.down_sql.clone(),
                after,
                created: false,
            });
        }
    }
    plan
}

fn created(path: PathBuf, text: String) -> FileEdit {
    FileEdit {
        path,
        before: String::new(),
        after: text,
        created: true,
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn quote(ident: &str) -> String {
    if ident
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !ident.starts_with(|c: char| c.is_ascii_digit())
    {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(b, _)| b)
                    .unwrap_or(0);
        }
        offset += l.len();
    }
    offset
}

/// `DROP INDEX name` in a down script becomes `DROP INDEX IF EXISTS name` (the index now
/// goes with the newer migration's down).
fn if_exists_on_drop_index(down: &str, index: &str) -> Vec<Edit> {
    let parse = SourceFile::parse(down);
    parse
        .tree()
        .stmts()
        .map(|s| s.syntax().clone())
        .filter(|s| s.kind() == K::DROP_INDEX && !has_child(s, K::IF_EXISTS))
        .filter(|s| {
            s.children()
                .any(|c| c.kind() == K::INDEX_REF && last_name(&c) == index)
        })
        .filter_map(|s| {
            let kw = s.children_with_tokens().find(|e| e.kind() == K::INDEX_KW)?;
            let at = usize::from(kw.text_range().end());
            Some(Edit {
                at,
                end: at,
                text: " IF EXISTS".into(),
            })
        })
        .collect()
}

fn insert_after_directive(script: &str, text: &str) -> String {
    if crate::migration::has_no_transaction_directive(script) {
        let (first, rest) = script.split_once('\n').unwrap_or((script, ""));
        format!("{first}\n{text}{rest}")
    } else {
        format!("{text}{script}")
    }
}

/// Writes the plan's files. New files are created (never over an existing one).
pub fn write(plan: &mut FixPlan) -> std::io::Result<()> {
    use std::io::Write as _;
    for e in &plan.edits {
        if e.created {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&e.path)?;
            f.write_all(e.after.as_bytes())?;
        } else {
            // Only the migration file itself, never what a link points to.
            if std::fs::symlink_metadata(&e.path)?.file_type().is_symlink() {
                return Err(std::io::Error::other(format!(
                    "{} is a symbolic link: --fix rewrites only regular files",
                    e.path.display()
                )));
            }
            std::fs::write(&e.path, &e.after)?;
        }
    }
    plan.written = true;
    Ok(())
}

/// The plan as unified diffs.
pub fn diff_text(plan: &FixPlan) -> String {
    let mut out = String::new();
    for e in &plan.edits {
        let name = e.path.display().to_string();
        let d = similar::TextDiff::from_lines(&e.before, &e.after);
        let from = if e.created {
            "/dev/null".to_string()
        } else {
            name.clone()
        };
        out.push_str(
            &d.unified_diff()
                .context_radius(2)
                .header(&from, &name)
                .to_string(),
        );
    }
    out
}
