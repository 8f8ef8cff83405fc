//! The status table and summary line, and what apply and rollback did (then the status).

use std::io::Write;

use comfy_table::{Cell, Color};

use super::{plain_table, table};
use crate::ops::apply::ApplyReport;
use crate::ops::rollback::RollbackReport;
use crate::ops::status::{State, StatusReport};
use crate::ops::PlannedRollback;

/// The columns of the status table.
pub(super) const HEADER: [&str; 6] = [
    "version",
    "phase",
    "name",
    "state",
    "applied at",
    "duration",
];

/// The status table and its summary line. A table of plain cells (every one printable
/// ASCII, as migration names and phases are) is written by [`plain_table`], whose bytes
/// are comfy-table's; anything else is drawn by comfy-table itself.
pub fn status<W: Write>(out: &mut W, report: &StatusReport, color: bool) -> std::io::Result<()> {
    if !report.migrations.is_empty() {
        let rows = cells(report);
        if plain_table::drawable(&HEADER, rows.iter().map(Vec::as_slice)) {
            plain_table::write(out, &HEADER, &rows, color)?;
        } else {
            writeln!(out, "{}", comfy(&rows, color))?;
        }
    }
    writeln!(out, "{}", summary_line(report))
}

/// The cells of each row of the status table.
fn cells(report: &StatusReport) -> Vec<Vec<plain_table::Cell<'_>>> {
    use plain_table::{Cell, Paint};
    fn cell(text: std::borrow::Cow<'_, str>) -> Cell<'_> {
        Cell { text, paint: None }
    }
    report
        .migrations
        .iter()
        .map(|r| {
            let state = if r.state == State::Partial {
                cell(
                    format!(
                        "partial: failed at statement {}",
                        r.statements_done.unwrap_or(0) + 1
                    )
                    .into(),
                )
            } else if r.state == State::Modified && r.cosmetic_change == Some(true) {
                cell("modified (cosmetic)".into())
            } else {
                Cell {
                    text: r.state.as_str().into(),
                    paint: Some(match r.state {
                        State::Applied => Paint::Green,
                        State::Pending => Paint::Yellow,
                        State::Modified | State::Unknown | State::Partial => Paint::Red,
                    }),
                }
            };
            vec![
                cell(r.version.to_string().into()),
                cell(r.phase.as_str().into()),
                cell(r.name.as_str().into()),
                state,
                cell(r.applied_at.map(utc_time).unwrap_or_default().into()),
                cell(
                    r.execution_ms
                        .map(|ms| format!("{ms} ms"))
                        .unwrap_or_default()
                        .into(),
                ),
            ]
        })
        .collect()
}

/// `2026-12-04 21:14:41 UTC`, written without parsing a format string per row.
fn utc_time(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    }
    format!(
        "{year:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The same table drawn by comfy-table (cells that are not plain ASCII).
fn comfy(rows: &[Vec<plain_table::Cell<'_>>], color: bool) -> comfy_table::Table {
    use plain_table::Paint;
    let mut t = table(color);
    t.set_header(HEADER.to_vec());
    for row in rows {
        t.add_row(row.iter().map(|c| {
            let cell = Cell::new(c.text.as_ref());
            match c.paint.filter(|_| color) {
                Some(Paint::Green) => cell.fg(Color::Green),
                Some(Paint::Yellow) => cell.fg(Color::Yellow),
                Some(Paint::Red) => cell.fg(Color::Red),
                None => cell,
            }
        }));
    }
    t
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_chrono_formats_them() {
        use chrono::TimeZone;
        for t in [
            chrono::Utc
                .with_ymd_and_hms(2026, 12, 4, 21, 14, 41)
                .unwrap(),
            chrono::Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap(),
            chrono::Utc
                .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
                .unwrap(),
            chrono::Utc.with_ymd_and_hms(-44, 3, 15, 12, 0, 0).unwrap(),
            chrono::Utc
                .with_ymd_and_hms(12345, 3, 15, 12, 0, 0)
                .unwrap(),
        ] {
            assert_eq!(utc_time(t), t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
        }
    }
}
