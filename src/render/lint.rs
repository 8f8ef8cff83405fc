//! Lint output: `file:line:col: severity[RULE] message` lines, the trace, a summary; GitHub
//! annotations; `--explain`.

use std::io::Write;

use crate::lint::rules::{Class, Rule};
use crate::lint::{LintReport, Severity};

fn paint(text: &str, severity: Severity, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "36",
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// The first sentence of a text.
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// The findings, the trace and the summary, as text.
pub fn text<W: Write>(out: &mut W, report: &LintReport, color: bool) -> std::io::Result<()> {
    for f in &report.findings {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            f.file,
            f.line,
            f.column,
            paint(f.severity.name(), f.severity, color),
            f.rule,
            f.message
        )?;
        writeln!(out, "    instead: {}", first_sentence(f.instead))?;
    }
    for f in &report.allowed {
        writeln!(
            out,
            "{}:{}:{}: allowed[{}] {} — {}",
            f.file,
            f.line,
            f.column,
            f.rule,
            f.message,
            f.allowed.as_deref().unwrap_or("")
        )?;
    }
    if let Some(trace) = &report.trace {
        writeln!(
            out,
            "trace on a scratch database ({}, {} ms){}:",
            trace.scratch,
            trace.ms,
            trace
                .rates_mb_per_s
                .map(|(w, r)| format!(", measured rewrite {w:.0} MB/s, scan {r:.0} MB/s"))
                .unwrap_or_default()
        )?;
        for m in &trace.migrations {
            writeln!(
                out,
                "  {} ({})",
                m.file,
                if m.in_transaction {
                    "one transaction"
                } else {
                    "no transaction"
                }
            )?;
            for s in &m.statements {
                let mut parts: Vec<String> = s
                    .locks
                    .iter()
                    .filter(|l| l.existing)
                    .map(|l| {
                        format!(
                            "{} on {} {} (held {} ms)",
                            l.mode.name(),
                            l.kind,
                            l.relation,
                            l.held_ms
                        )
                    })
                    .collect();
                if !s.rewritten.is_empty() {
                    parts.push(format!("rewrote {}", s.rewritten.join(", ")));
                }
                if !s.locks_observed {
                    let seen: Vec<String> = s
                        .sampled_locks
                        .iter()
                        .filter(|l| l.existing)
                        .map(|l| format!("{} on {} {}", l.mode.name(), l.kind, l.relation))
                        .collect();
                    parts.push(if seen.is_empty() {
                        "runs outside a transaction: no lock seen while it ran".into()
                    } else {
                        format!(
                            "runs outside a transaction; seen while it ran: {}",
                            seen.join(", ")
                        )
                    });
                }
                if let Some(e) = &s.error {
                    parts.push(format!("FAILED: {e}"));
                }
                if parts.is_empty() {
                    parts.push("no lock on an existing relation".into());
                }
                writeln!(
                    out,
                    "    statement {} (line {}, {} ms): {}",
                    s.statement,
                    s.line,
                    s.ms,
                    parts.join("; ")
                )?;
            }
        }
        for d in &trace.disagreements {
            writeln!(
                out,
                "{}:{}: trace disagrees with the static analysis on {}: predicted {}, observed {}",
                d.file, d.line, d.table, d.predicted, d.observed
            )?;
        }
    }
    if let Some(fix) = &report.fix {
        for line in &fix.fixed {
            writeln!(out, "fixed: {line}")?;
        }
        for line in &fix.skipped {
            writeln!(out, "not fixed: {line}")?;
        }
        if !fix.edits.is_empty() {
            writeln!(
                out,
                "{} file{} {}",
                fix.edits.len(),
                if fix.edits.len() == 1 { "" } else { "s" },
                if fix.written {
                    "written"
                } else {
                    "not written"
                }
            )?;
        }
    }
    writeln!(out, "{}", summary_line(report))
}

/// `2 errors, 1 warning, 0 info (3 allowed) in 49 files, 1014 statements`.
pub fn summary_line(report: &LintReport) -> String {
    let s = &report.summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} info ({} allowed) in {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        s.infos,
        s.allowed,
        plural(report.files.len(), "file"),
        plural(report.statements, "statement")
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one per finding (paths relative to the working
/// directory, as annotations need them relative to the repository).
pub fn github<W: Write>(out: &mut W, report: &LintReport) -> std::io::Result<()> {
    let cwd = std::env::current_dir().ok();
    for f in &report.findings {
        let file = cwd
            .as_deref()
            .and_then(|d| std::path::Path::new(&f.file).strip_prefix(d).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| f.file.clone());
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&file),
            f.line,
            f.column,
            escape_property(&format!("strata lint {}", f.rule)),
            escape_data(&format!(
                "{} — instead: {}",
                f.message,
                first_sentence(f.instead)
            ))
        )?;
    }
    writeln!(out, "{}", summary_line(report))
}

fn class_text(class: Class) -> &'static str {
    match class {
        Class::Lock => "lock/rewrite/scan: error above the size threshold, info below it, warning when sizes are unknown",
        Class::Breaking => "breaks the running application: always an error",
        Class::Runtime => "fails when it runs: always an error",
        Class::Advice => "advice: a warning",
    }
}

/// `--explain RULE`.
pub fn explain<W: Write>(out: &mut W, rules: &[&Rule]) -> std::io::Result<()> {
    for (i, r) in rules.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{} — {}", r.id, r.title)?;
        writeln!(out, "severity: {}", class_text(r.class))?;
        writeln!(out, "why: {}", r.why)?;
        writeln!(out, "instead: {}", r.instead)?;
        if !r.covers.is_empty() {
            writeln!(out, "covers: {}", r.covers.join(", "))?;
        }
    }
    Ok(())
}

/// Lint findings `apply` prints on stderr (`lint = "warn"`).
pub fn apply_findings<W: Write>(
    log: &mut W,
    findings: &[crate::lint::Finding],
) -> std::io::Result<()> {
    for f in findings {
        writeln!(
            log,
            "strata: lint: {}:{}:{}: {}[{}] {}",
            f.file,
            f.line,
            f.column,
            f.severity.name(),
            f.rule,
            f.message
        )?;
    }
    Ok(())
}

/// The `--fix` diff, shown before strata asks or writes.
pub fn fix_diff<W: Write>(out: &mut W, plan: &crate::lint::fix::FixPlan) -> std::io::Result<()> {
    write!(out, "{}", crate::lint::fix::diff_text(plan))
}
