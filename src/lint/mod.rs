//! `strata lint`: finds the migration that will lock production — from the SQL (a real
//! PostgreSQL parser, squawk's), from a traced run on a scratch database (`--trace`), and
//! from the target's live table sizes. [`lint`] is the library entry point (SQL texts and
//! optional live sizes in, findings out) that `apply` and `generate` call too.

mod alter;
pub mod analyze;
pub mod fix;
pub mod live;
pub mod model;
mod objects;
pub mod rules;
pub mod sources;
pub mod suppress;
pub mod syntax;
pub mod trace;

use serde::Serialize;

pub use crate::project::lint_config as config;
pub use analyze::StatementFacts;
pub use config::{LintConfig, LintGate};
pub use live::{LiveSizes, TableStats};
pub use model::{LockFact, LockMode, Rewrite};
pub use rules::{Class, Rule};

/// One SQL text to read: a migration's up script or a file given on the command line.
#[derive(Debug, Clone)]
pub struct SqlSource {
    /// How it is named in findings (`migrations/2_x/2005_y.up.sql`).
    pub path: String,
    /// Path relative to the project, for `[[lint.allow]] files` globs.
    pub rel: String,
    pub sql: String,
    /// Its statements as split once: a migration's `up_statements` from load, a file's when
    /// read. `--trace` runs these; it never splits again.
    pub statements: Vec<crate::sql_split::Statement>,
    /// Runs outside a transaction (`-- strata:no-transaction`).
    pub no_transaction: bool,
    /// Report its findings (false: read only to learn the schema it makes).
    pub lint: bool,
    /// The migration version, when it is one.
    pub version: Option<i64>,
}

impl SqlSource {
    /// A source for text that is not a project file (`generate`, tests).
    pub fn text(path: &str, sql: &str) -> SqlSource {
        SqlSource {
            path: path.to_string(),
            rel: path.to_string(),
            sql: sql.to_string(),
            statements: crate::sql_split::split(sql),
            no_transaction: crate::migration::has_no_transaction_directive(sql),
            lint: true,
            version: None,
        }
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// 1-based statement of the file (0: the file as a whole).
    pub statement: usize,
    pub message: String,
    /// The existing table the finding is about, when it is a lock/rewrite/scan finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The lock mode, named as `pg_locks` names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<&'static str>,
    pub rewrite: bool,
    /// The table's live size, when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<TableStats>,
    /// Estimated time the lock is held for the work, in milliseconds (an estimate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_ms: Option<u64>,
    /// The safe alternative (`strata lint --explain RULE` for the whole text).
    pub instead: &'static str,
    /// Why it was accepted, when a `strata:allow` or `[[lint.allow]]` suppressed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

/// Counts by severity (suppressed findings counted apart).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub allowed: usize,
}

/// The result of a lint run.
#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub format: u32,
    /// The files linted, in order.
    pub files: Vec<String>,
    pub statements: usize,
    /// Findings not suppressed, in file order.
    pub findings: Vec<Finding>,
    /// Findings a `strata:allow` or `[[lint.allow]]` accepted, with the reason.
    pub allowed: Vec<Finding>,
    pub summary: Summary,
    /// Where table sizes came from (a redacted URL), when they were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sizes_from: Option<String>,
    /// `--trace`: what each statement did on a scratch database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<trace::TraceReport>,
    /// `--fix`: the edits made (or proposed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<fix::FixPlan>,
}

impl LintReport {
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// What [`lint`] needs beside the SQL.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    pub config: LintConfig,
    /// The project's ddl_lock_timeout / statement_timeout are set (not 0).
    pub covered: analyze::Covered,
    /// Live sizes of the target.
    pub sizes: Option<LiveSizes>,
    /// Rates measured on the scratch database (`--trace`), MB/s: rewrite, scan.
    pub measured_rates: Option<(f64, f64)>,
}

/// Lints `sources` (reading every one in order, reporting those marked `lint`); also
/// returns the predicted facts of every statement.
pub fn lint(sources: &[SqlSource], options: &LintOptions) -> (LintReport, Vec<StatementFacts>) {
    let analysis = analyze::analyze(sources, options.covered);
    let mut findings = Vec::new();
    let mut allowed = Vec::new();
    let mut allowances: Vec<Vec<suppress::Allow>> = sources
        .iter()
        .map(|s| {
            if s.lint {
                suppress::allowances(&s.sql)
            } else {
                Vec::new()
            }
        })
        .collect();
    for raw in &analysis.raws {
        let src = &sources[raw.source];
        if !src.lint {
            continue;
        }
        let mut finding = grade(raw, src, &analysis.statements, options);
        // Comment allowances first, then the project's.
        let by_comment = allowances[raw.source].iter_mut().find(|a| {
            a.rules.iter().any(|r| r == raw.rule.id)
                && a.problem().is_none()
                && match a.scope {
                    suppress::Scope::File => true,
                    suppress::Scope::Statement(n) => n == raw.statement,
                    suppress::Scope::Nothing => false,
                }
        });
        let reason = match by_comment {
            Some(a) => {
                a.used = true;
                Some(a.reason.clone())
            }
            None => options
                .config
                .allow
                .iter()
                .find(|a| {
                    a.rule == raw.rule.id && a.files.as_deref().is_none_or(|g| glob(g, &src.rel))
                })
                .map(|a| format!("{} (schema.toml)", a.reason)),
        };
        if let Some(reason) = reason {
            finding.allowed = Some(reason);
            allowed.push(finding);
        } else {
            findings.push(finding);
        }
    }
    for (i, list) in allowances.iter().enumerate() {
        let src = &sources[i];
        for a in list {
            let (rule, message) = match a.problem() {
                Some(p) => (rules::ALLOW_WITHOUT_REASON, p),
                None if !a.used => (
                    rules::UNUSED_ALLOW,
                    format!(
                        "strata:allow {} suppresses nothing {}",
                        a.rules.join(","),
                        match a.scope {
                            suppress::Scope::File => "in this file",
                            suppress::Scope::Statement(_) => "on this statement",
                            suppress::Scope::Nothing => "(no statement follows it)",
                        }
                    ),
                ),
                None => continue,
            };
            let (line, column) = crate::sql_split::line_col_at_byte(&src.sql, a.offset);
            findings.push(Finding {
                rule: rule.id,
                severity: default_severity(rule),
                file: src.path.clone(),
                line,
                column,
                statement: 0,
                message,
                table: None,
                lock: None,
                rewrite: false,
                size: None,
                estimated_ms: None,
                instead: rule.instead,
                allowed: None,
            });
        }
    }
    let order = |f: &Finding| {
        (
            sources.iter().position(|s| s.path == f.file).unwrap_or(0),
            f.line,
            f.column,
        )
    };
    findings.sort_by_key(order);
    allowed.sort_by_key(order);
    let mut summary = Summary {
        allowed: allowed.len(),
        ..Summary::default()
    };
    for f in &findings {
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    let linted: Vec<usize> = (0..sources.len()).filter(|i| sources[*i].lint).collect();
    let report = LintReport {
        format: 1,
        files: linted.iter().map(|i| sources[*i].path.clone()).collect(),
        statements: analysis
            .statements
            .iter()
            .filter(|s| sources[s.source].lint)
            .count(),
        findings,
        allowed,
        summary,
        sizes_from: options.sizes.as_ref().map(|s| s.from.clone()),
        trace: None,
        fix: None,
    };
    (report, analysis.statements)
}

/// The severity a rule's class gives when no size is known.
pub fn default_severity(rule: &Rule) -> Severity {
    match rule.class {
        Class::Breaking | Class::Runtime => Severity::Error,
        Class::Lock | Class::Advice => Severity::Warning,
    }
}

/// Turns a raw finding into a finding: severity from the rule's class and, for lock-class
/// findings with live sizes, from the table's size; the size and an estimate in the
/// message.
fn grade(
    raw: &analyze::Raw,
    src: &SqlSource,
    statements: &[StatementFacts],
    options: &LintOptions,
) -> Finding {
    let (line, column) = crate::sql_split::line_col_at_byte(&src.sql, raw.offset);
    let mut severity = default_severity(raw.rule);
    let mut message = raw.message.clone();
    let mut size = None;
    let mut estimated_ms = None;
    if raw.rule.class == Class::Lock {
        if let (Some(sizes), Some(table)) = (&options.sizes, &raw.table) {
            let fact = statements
                .iter()
                .find(|s| s.source == raw.source && s.index == raw.statement)
                .and_then(|s| s.locks.iter().find(|l| &l.table == table));
            let stats = sizes.tables.get(table).cloned();
            match &stats {
                Some(st) => {
                    let big = st.bytes >= options.config.error_above_bytes
                        || st.rows >= options.config.error_above_rows;
                    severity = if big { Severity::Error } else { Severity::Info };
                    let (rewrite_rate, scan_rate) = options.measured_rates.unwrap_or((
                        options.config.rewrite_mb_per_s,
                        options.config.scan_mb_per_s,
                    ));
                    let rate = match fact {
                        Some(f) if f.rewrite != Rewrite::No || raw.rewrite => {
                            Some(("rewrite", rewrite_rate))
                        }
                        Some(f) if f.scan => Some(("scan", scan_rate)),
                        _ => None,
                    };
                    message.push_str(&format!(
                        "; {table}: {}, ~{} rows, {:.1} writes/s",
                        config::human_bytes(st.bytes),
                        st.rows,
                        st.writes_per_s
                    ));
                    if let Some((what, mbps)) = rate.filter(|(_, r)| *r > 0.0) {
                        let ms =
                            (st.bytes as f64 / (mbps * 1024.0 * 1024.0) * 1000.0).ceil() as u64;
                        estimated_ms = Some(ms);
                        message.push_str(&format!(
                            "; estimated {what} {} at {mbps:.0} MB/s{}",
                            human_ms(ms),
                            if options.measured_rates.is_some() {
                                " (rate measured on the scratch database)"
                            } else {
                                " (configured rate; --trace measures one)"
                            }
                        ));
                    }
                }
                None => {
                    severity = Severity::Info;
                    message.push_str(&format!(
                        "; {table} is not in the target database yet (an earlier pending migration creates it empty)"
                    ));
                }
            }
            size = stats;
        }
    }
    Finding {
        rule: raw.rule.id,
        severity,
        file: src.path.clone(),
        line,
        column,
        statement: raw.statement,
        message,
        table: raw.table.clone(),
        lock: raw.lock.map(LockMode::name),
        rewrite: raw.rewrite,
        size,
        estimated_ms,
        instead: raw.rule.instead,
        allowed: None,
    }
}

/// `850 ms`, `12.3 s`, `4.2 min`.
pub fn human_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 120_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{:.1} min", ms as f64 / 60_000.0)
    }
}

/// Matches `*` (any run of characters) and `?` (one character).
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

/// Lints SQL texts in order (each as one migration): the entry point for `generate`.
pub fn lint_sql(texts: &[(&str, &str)], sizes: Option<LiveSizes>) -> LintReport {
    let sources: Vec<SqlSource> = texts.iter().map(|(p, s)| SqlSource::text(p, s)).collect();
    let options = LintOptions {
        sizes,
        covered: analyze::Covered {
            lock_timeout: true,
            statement_timeout: false,
        },
        ..LintOptions::default()
    };
    lint(&sources, &options).0
}

#[cfg(test)]
mod tests;
