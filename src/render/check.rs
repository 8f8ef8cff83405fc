//! The check report (one row per check, then the summary) and the list of checks.

use std::io::Write;

use comfy_table::{Cell, Color};

use super::table;

/// One row per check that is not ok (every check with `all`), then the summary line.
pub fn check<W: Write>(
    out: &mut W,
    report: &crate::check::CheckReport,
    all: bool,
    color: bool,
) -> std::io::Result<()> {
    use crate::check::Status;
    let mut t = table(color);
    t.set_header(vec!["check", "source", "status", "rows", "sample", "ms"]);
    let shown: Vec<_> = report
        .checks
        .iter()
        .filter(|r| all || r.status != Status::Ok)
        .collect();
    let hidden = report.checks.len() - shown.len();
    for r in shown {
        let status_text = match r.status {
            Status::Ok => "ok".to_string(),
            Status::Failed if r.needs_person => "FAILED (needs a person)".into(),
            Status::Failed => match r.remaining {
                Some(n) => format!("FAILED ({n} left after fix)"),
                None => "FAILED (fixable: --fix)".into(),
            },
            Status::Warning if r.needs_person => "warning".into(),
            Status::Warning => match r.remaining {
                Some(n) => format!("warning ({n} left after fix)"),
                None => "warning (fixable: --fix)".into(),
            },
            Status::Fixed => format!("fixed ({} rows changed)", r.fixed_rows.unwrap_or(0)),
            Status::Error => format!("ERROR: {}", r.error.as_deref().unwrap_or("")),
        };
        let mut cell = Cell::new(status_text);
        if color {
            cell = cell.fg(match r.status {
                Status::Ok | Status::Fixed => Color::Green,
                Status::Warning => Color::Yellow,
                Status::Failed | Status::Error => Color::Red,
            });
        }
        let sample: String = r
            .samples
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let sample = if sample.chars().count() > 60 {
            format!("{}…", sample.chars().take(59).collect::<String>())
        } else {
            sample
        };
        t.add_row(vec![
            Cell::new(&r.name),
            Cell::new(format!("{:?}", r.source).to_lowercase()),
            cell,
            Cell::new(r.violations),
            Cell::new(sample),
            Cell::new(r.ms),
        ]);
    }
    if t.row_count() > 0 {
        writeln!(out, "{t}")?;
    }
    if hidden > 0 {
        writeln!(
            out,
            "({hidden} ok checks not shown; --all shows every check)"
        )?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "{} checks: {} ok, {} failed, {} warnings, {} fixed, {} errors ({} need a person) in {} ms with {} jobs",
        s.checks, s.ok, s.failed, s.warnings, s.fixed, s.errors, s.needs_person, report.total_ms, report.jobs
    )
}

/// The checks `check` would run.
pub fn check_list<W: Write>(
    out: &mut W,
    checks: &[crate::check::Check],
    color: bool,
) -> std::io::Result<()> {
    let mut t = table(color);
    t.set_header(vec!["check", "source", "severity", "fix", "verifies"]);
    for c in checks {
        t.add_row(vec![
            Cell::new(&c.name),
            Cell::new(format!("{:?}", c.source).to_lowercase()),
            Cell::new(format!("{:?}", c.severity).to_lowercase()),
            Cell::new(if c.fix.is_some() { "yes" } else { "" }),
            Cell::new(&c.description),
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(out, "{} checks", checks.len())
}
