//! The fleet report: one row per target (version before → after, migrations changed, time,
//! error), then the version distribution and a summary line.

use std::io::Write;

use comfy_table::{Cell, Color};

use super::table;
use crate::ops::fleet::{FleetReport, TargetState};

fn version(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

pub fn fleet<W: Write>(out: &mut W, report: &FleetReport, color: bool) -> std::io::Result<()> {
    let changed = match report.command.as_str() {
        "apply" => "applied",
        "rollback" => "rolled back",
        _ => "pending",
    };
    let mut t = table(color);
    t.set_header(vec!["target", "group", "version", changed, "result", "ms"]);
    for r in &report.targets {
        let v = &r.result;
        let versions = match report.command.as_str() {
            "apply" | "rollback" if r.state == TargetState::Done => {
                format!("{} → {}", version(v.before), version(v.after))
            }
            _ if r.state == TargetState::Done => version(v.after),
            _ => "-".into(),
        };
        let count = match report.command.as_str() {
            "apply" | "rollback" => v.changed,
            _ => v.pending,
        };
        let (text, colour) = match (r.state, &r.error) {
            (TargetState::Failed, error) => (
                format!("FAILED: {}", error.as_deref().unwrap_or("")),
                Color::Red,
            ),
            (TargetState::NotStarted, _) => ("not started".to_string(), Color::Yellow),
            (TargetState::Stopped, error) => (
                format!("STOPPED: {}", error.as_deref().unwrap_or("")),
                Color::Yellow,
            ),
            (TargetState::Done, _) if v.violations > 0 => (
                format!("VIOLATIONS: {}", v.detail.as_deref().unwrap_or("")),
                Color::Red,
            ),
            (TargetState::Done, _) if v.drift => (
                format!(
                    "DRIFT{}",
                    v.detail
                        .as_deref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
                Color::Yellow,
            ),
            (TargetState::Done, _) => (
                v.detail
                    .clone()
                    .map(|d| format!("ok: {d}"))
                    .unwrap_or_else(|| "ok".into()),
                Color::Green,
            ),
        };
        let mut cell = Cell::new(text);
        if color {
            cell = cell.fg(colour);
        }
        t.add_row(vec![
            Cell::new(&r.name),
            Cell::new(&r.group),
            Cell::new(versions),
            Cell::new(count),
            cell,
            Cell::new(r.ms),
        ]);
    }
    writeln!(out, "{t}")?;
    let distribution: Vec<String> = report
        .distribution()
        .iter()
        .map(|(v, n)| match v {
            Some(v) => format!("{v}: {n}"),
            None => format!("none/unknown: {n}"),
        })
        .collect();
    writeln!(
        out,
        "versions (targets at each): {}",
        distribution.join(", ")
    )?;
    if let Some(why) = &report.stopped {
        writeln!(out, "stopped: {why}")?;
    }
    writeln!(
        out,
        "{} targets: {} done, {} failed, {} stopped, {} not started ({} ms, parallel {}, on_error {})",
        report.targets.len(),
        report.count(TargetState::Done),
        report.count(TargetState::Failed),
        report.count(TargetState::Stopped),
        report.count(TargetState::NotStarted),
        report.total_ms,
        report.parallel,
        match report.on_error {
            crate::ops::fleet::OnError::Stop => "stop",
            crate::ops::fleet::OnError::Continue => "continue",
        }
    )
}
