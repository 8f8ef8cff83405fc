//! The one place output is written. [`write`] turns a command's [`Outcome`] into a
//! terminal table or JSON on stdout; [`Terminal`] shows progress and notices on stderr and
//! asks for confirmation; [`error`] writes a failure (one line on stderr, and JSON on stdout
//! with `--json`, including what a failed apply did before it failed).

mod author;
mod check;
mod console;
mod diff;
pub mod error;
mod fleet;
mod generate;
mod history;
pub mod lint;
mod local;
mod plain_table;
mod seed;
mod status;

use std::io::Write;

use comfy_table::{presets, ContentArrangement, Table};

pub use console::Terminal;

use crate::cli::LintFormat;
use crate::outcome::{Outcome, SnapshotOutcome};
use crate::settings::Output;

/// A failure to write results to stdout (a full disk, a closed descriptor): reported as one
/// line and exit 1. A broken pipe is left as it is (the reader went away).
#[derive(Debug)]
pub struct StdoutFailed(std::io::Error);

impl std::fmt::Display for StdoutFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write the result to stdout: {}", self.0)
    }
}

impl std::error::Error for StdoutFailed {}

impl StdoutFailed {
    pub fn wrap(e: std::io::Error) -> std::io::Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            e
        } else {
            std::io::Error::new(e.kind(), StdoutFailed(e))
        }
    }
}

/// Standard output for results, its errors marked as [`StdoutFailed`]. Buffered: a long
/// report is written in a few large writes rather than a system call per line (a 1,000-table
/// diff printed 61 KB in 2,907 writes); whoever writes a result flushes it.
pub struct Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>);

/// The writer results go to.
pub fn stdout() -> Stdout {
    Stdout(std::io::BufWriter::with_capacity(
        64 * 1024,
        std::io::stdout().lock(),
    ))
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(StdoutFailed::wrap)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(StdoutFailed::wrap)
    }
}

/// Writes what a command produced: JSON with `--json`, else text (tables coloured when
/// `output.color`). `log` receives what is not the result (the summary line of
/// `diff --sql`, whose stdout is the script).
pub fn write<W: Write, L: Write>(
    outcome: &Outcome,
    output: &Output,
    out: &mut W,
    log: &mut L,
) -> std::io::Result<()> {
    let color = output.color;
    if output.json {
        return match outcome {
            Outcome::Status(r) => json(out, r),
            Outcome::Apply(r) => json(out, r),
            Outcome::Rollback(r) => json(out, r),
            Outcome::Seed(r) => json(out, r),
            Outcome::Repair(r) => json(out, r),
            Outcome::Baseline(r) => json(out, r),
            Outcome::Verify(r) => json(out, r),
            Outcome::Diff(r) => json(out, r),
            Outcome::Check(r, _) => json(out, r),
            Outcome::Fleet(r) => json(out, r),
            Outcome::CheckList(r) => json(out, r),
            Outcome::Local(r) => local::json(out, r),
            Outcome::Snapshot(s) => snapshot(out, s, true),
            Outcome::Lint(l) => json(out, &l.report),
            Outcome::LintExplain(rules) => lint::explain(out, rules),
            Outcome::Init(r) => json(out, r),
            Outcome::New(r) => json(out, r),
            Outcome::Generated(g) => json(out, g),
            Outcome::Generate(r) => json(out, r),
            Outcome::Adopt(r) => json(out, r),
            Outcome::Squash(r) => json(out, r),
        };
    }
    match outcome {
        Outcome::Status(r) => status::status(out, r, color),
        Outcome::Apply(r) => {
            lint::apply_findings(log, &r.lint)?;
            status::apply(out, r, color)
        }
        Outcome::Rollback(r) => status::rollback(out, r, color),
        Outcome::Seed(r) => seed::seed(out, r, color),
        Outcome::Repair(r) => history::repair(out, r),
        Outcome::Baseline(r) => history::baseline(out, r),
        Outcome::Verify(r) => history::verify(out, r),
        Outcome::Diff(r) => match &r.sql {
            Some(sql) => {
                write!(out, "{sql}")?;
                writeln!(log, "{}", diff::diff_summary_line(r))
            }
            None => diff::diff(out, r, color),
        },
        Outcome::Check(r, all) => check::check(out, r, *all, color),
        Outcome::Fleet(r) => fleet::fleet(out, r, color),
        Outcome::CheckList(r) => check::check_list(out, r, color),
        Outcome::Local(r) => local::text(out, r),
        Outcome::Snapshot(s) => snapshot(out, s, false),
        Outcome::Lint(l) => match l.format {
            LintFormat::Json => json(out, &l.report),
            LintFormat::Github => lint::github(out, &l.report),
            LintFormat::Text => lint::text(out, &l.report, color),
        },
        Outcome::LintExplain(rules) => lint::explain(out, rules),
        Outcome::Init(r) => author::init(out, r),
        Outcome::New(r) => author::new(out, r),
        Outcome::Generated(g) => write!(out, "{}", g.text),
        Outcome::Generate(r) => {
            lint::apply_findings(log, &r.lint)?;
            generate::text(out, r)
        }
        Outcome::Adopt(r) => generate::adopt(out, r),
        Outcome::Squash(r) => generate::squash(out, r),
    }
}

/// Writes `value` as pretty JSON and a newline.
pub fn json<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// What `snapshot` did: the snapshot itself, where it was written, or whether it is up to
/// date (text even with `--json`).
fn snapshot<W: Write>(out: &mut W, s: &SnapshotOutcome, as_json: bool) -> std::io::Result<()> {
    match s {
        SnapshotOutcome::Text(text) => write!(out, "{text}"),
        SnapshotOutcome::Checked { file, up_to_date } => {
            if *up_to_date {
                writeln!(out, "{file} is up to date with the migrations")
            } else {
                writeln!(
                    out,
                    "{file} is out of date with the migrations: run `strata snapshot` to refresh it"
                )
            }
        }
        SnapshotOutcome::Written {
            path,
            tables,
            views,
            functions,
            types,
        } => {
            if as_json {
                json(
                    out,
                    &serde_json::json!({"written": path, "tables": tables, "views": views, "functions": functions}),
                )
            } else {
                writeln!(
                    out,
                    "wrote {} ({tables} tables, {views} views, {functions} functions, {types} types)",
                    path.display()
                )
            }
        }
    }
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

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
