//! Renderers: the same result values become terminal tables, JSON, or plain progress lines.
//! Results go to the writer given (stdout in the CLI); progress and logs to stderr.

use std::io::Write;

pub mod lint;

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressStyle};

use crate::diff::Change;
use crate::migration::Migration;
use crate::ops::apply::ApplyReport;
use crate::ops::diff::DiffReport;
use crate::ops::rollback::{PlannedRollback, RollbackReport};
use crate::ops::status::{State, StatusReport};
use crate::ops::Progress;
use crate::settings::Output;

/// Writes `value` as pretty JSON and a newline.
pub fn json<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn table(color: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if !color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t
}

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
pub fn rollback_plan(planned: &[PlannedRollback]) -> String {
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

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The drift report: differences grouped by object, the history check, then a line
/// counting differences by kind.
pub fn diff<W: Write>(out: &mut W, report: &DiffReport, color: bool) -> std::io::Result<()> {
    writeln!(out, "expected: {}", report.expected)?;
    writeln!(out, "live:     {}", report.live)?;
    for w in &report.warnings {
        writeln!(out, "{} {w}", paint("warning:", "33", color))?;
    }
    let mut groups: Vec<(&str, Vec<&crate::diff::Difference>)> = Vec::new();
    for d in &report.differences {
        match groups.iter_mut().find(|(o, _)| *o == d.object) {
            Some((_, list)) => list.push(d),
            None => groups.push((&d.object, vec![d])),
        }
    }
    for (object, list) in groups {
        writeln!(out)?;
        writeln!(out, "{}", paint(object, "1", color))?;
        for d in list {
            let (mark, code) = match d.change {
                Change::Missing => ("+ missing", "32"),
                Change::Extra => ("- extra", "31"),
                Change::Changed => ("~ changed", "33"),
            };
            let head = format!(
                "{} {} {}",
                paint(mark, code, color),
                d.kind.as_str(),
                d.name
            );
            match d.change {
                Change::Missing | Change::Extra => {
                    let value = if d.change == Change::Missing {
                        &d.expected
                    } else {
                        &d.live
                    };
                    match value.as_deref().map(str::trim_end) {
                        Some(v) if !v.contains('\n') && !v.is_empty() => {
                            writeln!(out, "  {head}: {v}")?
                        }
                        _ => writeln!(out, "  {head}")?,
                    }
                }
                Change::Changed => {
                    let field = d.field.as_deref().unwrap_or("definition");
                    match &d.diff {
                        Some(unified) => {
                            writeln!(out, "  {head}: {field}")?;
                            for line in unified.lines() {
                                let code = match line.chars().next() {
                                    Some('-') => "31",
                                    Some('+') => "32",
                                    Some('@') => "36",
                                    _ => "0",
                                };
                                writeln!(out, "      {}", paint(line, code, color && code != "0"))?;
                            }
                        }
                        None => {
                            writeln!(out, "  {head}: {field}")?;
                            writeln!(
                                out,
                                "      expected: {}",
                                d.expected.as_deref().unwrap_or("")
                            )?;
                            writeln!(out, "      live:     {}", d.live.as_deref().unwrap_or(""))?;
                        }
                    }
                }
            }
        }
    }
    if let Some(rows) = report.migrations.as_ref().filter(|r| !r.is_empty()) {
        writeln!(out)?;
        writeln!(out, "{}", paint("migrations", "1", color))?;
        for r in rows {
            let state = match r.state {
                State::Modified if r.cosmetic_change == Some(true) => {
                    "modified (cosmetic)".to_string()
                }
                State::Modified => "modified: the file changed since it was applied".to_string(),
                State::Partial => format!(
                    "partial: failed at statement {}",
                    r.statements_done.unwrap_or(0) + 1
                ),
                other => other.as_str().to_string(),
            };
            writeln!(out, "  {} {} {}: {state}", r.version, r.phase, r.name)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", diff_summary_line(report))
}

/// `3 differences: 1 missing, 1 extra, 1 changed; migrations: 1 pending`.
pub fn diff_summary_line(report: &DiffReport) -> String {
    let s = &report.summary;
    let mut line = format!(
        "{} difference{}: {} missing, {} extra, {} changed",
        s.total,
        if s.total == 1 { "" } else { "s" },
        s.missing,
        s.extra,
        s.changed
    );
    if let Some(rows) = report.migrations.as_ref().filter(|r| !r.is_empty()) {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in rows {
            let name = r.state.as_str();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(n, c)| format!("{c} {n}")).collect();
        line.push_str(&format!("; migrations: {}", parts.join(", ")));
    }
    line
}

/// Progress as one plain line per migration on stderr (no terminal).
pub struct LineProgress {
    verb: String,
}

impl LineProgress {
    pub fn new() -> LineProgress {
        LineProgress {
            verb: String::new(),
        }
    }
}

impl Default for LineProgress {
    fn default() -> Self {
        LineProgress::new()
    }
}

impl Progress for LineProgress {
    fn start(&mut self, _total: usize, verb: &str) {
        self.verb = match verb {
            "applying" => "applied".into(),
            "rolling back" => "rolled back".into(),
            other => other.into(),
        };
    }
    fn done(&mut self, m: &Migration, ms: u64) {
        eprintln!("strata: {} {} ({ms} ms)", self.verb, m.label());
    }
    fn note(&mut self, text: &str) {
        eprintln!("strata: {text}");
    }
}

/// Progress as a bar on a terminal.
pub struct BarProgress {
    bar: Option<ProgressBar>,
}

impl BarProgress {
    pub fn new() -> BarProgress {
        BarProgress { bar: None }
    }
}

impl Default for BarProgress {
    fn default() -> Self {
        BarProgress::new()
    }
}

impl Progress for BarProgress {
    fn start(&mut self, total: usize, verb: &str) {
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(verb.to_string());
        self.bar = Some(bar);
    }
    fn begin(&mut self, m: &Migration) {
        if let Some(bar) = &self.bar {
            bar.set_message(m.label());
        }
    }
    fn done(&mut self, _m: &Migration, _ms: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
    fn note(&mut self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("strata: {text}")),
            None => eprintln!("strata: {text}"),
        }
    }
    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The progress display that fits the output: a bar on a terminal, lines otherwise.
pub fn progress_for(output: &Output) -> Box<dyn Progress> {
    if output.progress_tty && !output.json {
        Box::new(BarProgress::new())
    } else {
        Box::new(LineProgress::new())
    }
}

/// What a seed run wrote.
pub fn seed<W: Write>(
    out: &mut W,
    report: &crate::seed::SeedReport,
    color: bool,
) -> std::io::Result<()> {
    if !report.already_seeded.is_empty() {
        writeln!(
            out,
            "Already seeded: {} already hold rows from an earlier run, so no rows were generated (use --reset to replace them).",
            report.already_seeded.join(", ")
        )?;
    }
    if !report.tables.is_empty() {
        let mut t = table(color);
        t.set_header(vec!["table", "rows", "ms", "rows/s"]);
        for r in &report.tables {
            let rate = (r.rows * 1000).checked_div(r.ms).unwrap_or(r.rows * 1000);
            t.add_row(vec![
                Cell::new(&r.table),
                Cell::new(r.rows),
                Cell::new(r.ms),
                Cell::new(rate),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    for f in &report.sql_files {
        writeln!(out, "ran {f}")?;
    }
    writeln!(
        out,
        "Seeded profile '{}' (rng seed {}): {} rows in {} ms{}.",
        report.profile,
        report.rng_seed,
        report.total_rows,
        report.total_ms,
        if report.tables.is_empty() {
            String::new()
        } else if report.triggers {
            ", triggers on".to_string()
        } else {
            ", triggers off, counters recomputed in bulk".to_string()
        }
    )
}

/// Seed progress as one line per table on stderr.
pub struct SeedLines {
    table: String,
    rows: u64,
}

impl crate::seed::SeedProgress for SeedLines {
    fn table_start(&mut self, table: &str, _rows: u64) {
        self.table = table.to_string();
        self.rows = 0;
    }
    fn rows(&mut self, n: u64) {
        self.rows += n;
    }
    fn table_done(&mut self) {
        eprintln!("strata: seeded {} ({} rows)", self.table, self.rows);
    }
}

/// Seed progress as a bar per table on a terminal.
pub struct SeedBars {
    multi: indicatif::MultiProgress,
    bar: Option<ProgressBar>,
}

impl crate::seed::SeedProgress for SeedBars {
    fn table_start(&mut self, table: &str, rows: u64) {
        let bar = self.multi.add(ProgressBar::new(rows));
        bar.set_style(
            ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} rows {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(table.to_string());
        self.bar = Some(bar);
    }
    fn rows(&mut self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
    fn table_done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

/// The seed progress display that fits the output.
pub fn seed_progress_for(output: &Output) -> Box<dyn crate::seed::SeedProgress> {
    if output.progress_tty && !output.json {
        Box::new(SeedBars {
            multi: indicatif::MultiProgress::new(),
            bar: None,
        })
    } else {
        Box::new(SeedLines {
            table: String::new(),
            rows: 0,
        })
    }
}

/// One row per check, then the summary line.
pub fn check<W: Write>(
    out: &mut W,
    report: &crate::check::CheckReport,
    color: bool,
) -> std::io::Result<()> {
    use crate::check::Status;
    let mut t = table(color);
    t.set_header(vec!["check", "source", "status", "rows", "sample", "ms"]);
    for r in &report.checks {
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
    writeln!(out, "{t}")?;
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

/// Each change `repair` would record, shown before it does.
pub fn repair_plan(items: &[crate::ops::repair::RepairItem]) -> String {
    use crate::ops::repair::RepairAction;
    let mut text = String::new();
    for i in items {
        match i.action {
            RepairAction::Rerecord => {
                text.push_str(&format!(
                    "{} {} ({}): {} change; recorded {} -> file {}\n",
                    i.version,
                    i.name,
                    i.file,
                    if i.cosmetic { "cosmetic (comments, white space or line endings only)" } else { "CHANGE OF MEANING" },
                    &i.recorded_checksum[..12.min(i.recorded_checksum.len())],
                    &i.current_checksum[..12.min(i.current_checksum.len())],
                ));
                match &i.diff {
                    Some(d) => text.push_str(d),
                    None => text.push_str("  (the history does not hold the script as applied: no diff to show)\n"),
                }
            }
            RepairAction::ClearPartial => text.push_str(&format!(
                "{} {} ({}): stopped after statement {}{}; the record is cleared, so apply runs it from its first statement\n",
                i.version,
                i.name,
                i.file,
                i.statements_done.unwrap_or(0),
                i.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
            )),
        }
    }
    text
}

/// What repair did.
pub fn repair<W: Write>(
    out: &mut W,
    report: &crate::ops::repair::RepairReport,
) -> std::io::Result<()> {
    if report.items.is_empty() {
        return writeln!(out, "Nothing to repair: the history matches the files.");
    }
    if !report.repaired {
        write!(out, "{}", repair_plan(&report.items))?;
        return writeln!(
            out,
            "Would repair {} migration(s); nothing was changed.",
            report.items.len()
        );
    }
    writeln!(out, "Repaired {} migration(s).", report.items.len())
}

/// What verify found.
pub fn verify<W: Write>(
    out: &mut W,
    report: &crate::ops::verify::VerifyReport,
) -> std::io::Result<()> {
    match &report.failure {
        None => writeln!(
            out,
            "Verified {} migrations: each applies, rolls back to exactly the catalog before it, and applies again ({} ms, scratch database on {}).",
            report.verified.len(),
            report.total_ms,
            report.scratch
        ),
        Some(f) => {
            writeln!(
                out,
                "{} verified; {} fails: {}",
                report.verified.len(),
                f.migration,
                if f.step == "down" {
                    "its down script does not undo its up. Left behind or changed:"
                } else {
                    "applying it again after its down gives a different catalog:"
                }
            )?;
            for d in &f.differences {
                writeln!(
                    out,
                    "  {} {} {}{}",
                    d.change.as_str(),
                    d.kind.as_str(),
                    d.name,
                    d.field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default()
                )?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{count, Difference, ObjectKind};

    fn report(differences: Vec<Difference>) -> DiffReport {
        DiffReport {
            format: 1,
            expected: "migrations".into(),
            live: "postgres://u@h:5432/db".into(),
            summary: count(&differences),
            differences,
            migrations: Some(Vec::new()),
            catalog_queries: 13,
            warnings: Vec::new(),
            sql: None,
            script: None,
        }
    }

    #[test]
    fn the_diff_report_groups_by_object_and_ends_with_the_counts() {
        let r = report(vec![
            Difference {
                object: "table public.users".into(),
                kind: ObjectKind::Column,
                name: "public.users.email".into(),
                change: Change::Changed,
                field: Some("type".into()),
                expected: Some("character varying(64)".into()),
                live: Some("text".into()),
                diff: None,
            },
            Difference {
                object: "table public.users".into(),
                kind: ObjectKind::Index,
                name: "public.users_x".into(),
                change: Change::Extra,
                field: None,
                expected: None,
                live: Some("CREATE INDEX users_x ON public.users USING btree (x)".into()),
                diff: None,
            },
        ]);
        let mut out = Vec::new();
        diff(&mut out, &r, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "expected: migrations\nlive:     postgres://u@h:5432/db\n\n\
             table public.users\n\
             \x20 ~ changed column public.users.email: type\n\
             \x20     expected: character varying(64)\n\
             \x20     live:     text\n\
             \x20 - extra index public.users_x: CREATE INDEX users_x ON public.users USING btree (x)\n\
             \n2 differences: 0 missing, 1 extra, 1 changed\n"
        );
        let mut coloured = Vec::new();
        diff(&mut coloured, &r, true).unwrap();
        assert!(String::from_utf8(coloured)
            .unwrap()
            .contains("\x1b[31m- extra\x1b[0m"));
    }
}
