//! The status table and summary line, and what apply and rollback did (then the status).

use std::io::Write;

use comfy_table::{Cell, Color};

use super::table;
use crate::ops::apply::ApplyReport;
use crate::ops::rollback::RollbackReport;
use crate::ops::status::{State, StatusReport};
use crate::ops::PlannedRollback;

fn state_cell(state: State, color: bool) -> Cell {
    let cell = Cell::new(state.as_str());
    if !color {
        return cell;
    }
    match state {
        State::Applied => cell.fg(Color::Green),
        State::Pending => cell.fg(Color::Yellow),
        State::Modified | State::Unknown | State::Partial => cell.fg(Color::Red),
    }
}

/// The status table and its summary line.
pub fn status<W: Write>(out: &mut W, report: &StatusReport, color: bool) -> std::io::Result<()> {
    let mut t = table(color);
    t.set_header(vec![
        "version",
        "phase",
        "name",
        "state",
        "applied at",
        "duration",
    ]);
    for r in &report.migrations {
        let mut state = state_cell(r.state, color);
        if r.state == State::Partial {
            state = Cell::new(format!(
                "partial: failed at statement {}",
                r.statements_done.unwrap_or(0) + 1
            ));
        } else if r.state == State::Modified && r.cosmetic_change == Some(true) {
            state = Cell::new("modified (cosmetic)");
        }
        t.add_row(vec![
            Cell::new(r.version),
            Cell::new(&r.phase),
            Cell::new(&r.name),
            state,
            Cell::new(
                r.applied_at
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_default(),
            ),
            Cell::new(
                r.execution_ms
                    .map(|ms| format!("{ms} ms"))
                    .unwrap_or_default(),
            ),
        ]);
    }
    if !report.migrations.is_empty() {
        writeln!(out, "{t}")?;
    }
    writeln!(out, "{}", summary_line(report))
}

/// `project vrss at version 4012: 40 applied, 0 pending, 0 modified, 0 unknown`.
pub fn summary_line(report: &StatusReport) -> String {
    let s = &report.summary;
    let mut line = format!(
        "{}: {} applied, {} pending, {} modified, {} unknown",
        report.project, s.applied, s.pending, s.modified, s.unknown
    );
    if s.partial > 0 {
        line.push_str(&format!(", {} partial", s.partial));
    }
    match report.current_version {
        Some(v) => line.push_str(&format!(" (database at version {v})")),
        None => line.push_str(" (database has no migrations applied)"),
    }
    line
}

/// What an apply did, then the status.
pub fn apply<W: Write>(out: &mut W, report: &ApplyReport, color: bool) -> std::io::Result<()> {
    if let Some(sql) = &report.sql {
        if report.applied.is_empty() {
            writeln!(out, "-- nothing to apply")?;
        }
        return write!(out, "{sql}");
    }
    status(out, &report.status, color)?;
    if report.applied.is_empty() {
        writeln!(out, "Nothing to apply: the database is up to date.")
    } else {
        writeln!(
            out,
            "Applied {} migration{} in {} ms.",
            report.applied.len(),
            if report.applied.len() == 1 { "" } else { "s" },
            report.total_ms
        )
    }
}

/// What a rollback did, then the status.
pub fn rollback<W: Write>(
    out: &mut W,
    report: &RollbackReport,
    color: bool,
) -> std::io::Result<()> {
    if let Some(sql) = &report.sql {
        if report.rolled_back.is_empty() {
            writeln!(out, "-- nothing to roll back")?;
        }
        return write!(out, "{sql}");
    }
    status(out, &report.status, color)?;
    if report.rolled_back.is_empty() {
        writeln!(out, "Nothing to roll back.")
    } else {
        writeln!(
            out,
            "Rolled back {} migration{} in {} ms.",
            report.rolled_back.len(),
            if report.rolled_back.len() == 1 {
                ""
            } else {
                "s"
            },
            report.total_ms
        )
    }
}

/// The list shown before asking to confirm a rollback.
pub(super) fn rollback_plan(planned: &[PlannedRollback]) -> String {
    let mut text = format!(
        "This rolls back {} migration{} (newest first) and drops the data they hold:\n",
        planned.len(),
        if planned.len() == 1 { "" } else { "s" }
    );
    for p in planned {
        text.push_str(&format!(
            "  {} {} ({}){}\n",
            p.version,
            p.name,
            p.phase,
            if p.modified {
                "  [file modified since applied]"
            } else {
                ""
            }
        ));
    }
    text
}
