//! What a command produced: one value per command, which the renderer writes (text or
//! JSON) and the exit map turns into a process exit code.

use std::path::PathBuf;

use crate::author::{InitReport, NewReport};
use crate::check::{Check, CheckReport};
use crate::cli::LintFormat;
use crate::lint::{LintReport, Rule};
use crate::ops::apply::ApplyReport;
use crate::ops::baseline::BaselineReport;
use crate::ops::diff::DiffReport;
use crate::ops::local::LocalResult;
use crate::ops::repair::RepairReport;
use crate::ops::rollback::RollbackReport;
use crate::ops::status::StatusReport;
use crate::ops::verify::VerifyReport;
use crate::seed::SeedReport;

/// The result of one command.
#[derive(Debug)]
pub enum Outcome {
    Status(StatusReport),
    Apply(ApplyReport),
    Rollback(RollbackReport),
    Seed(SeedReport),
    Repair(RepairReport),
    Baseline(BaselineReport),
    Verify(VerifyReport),
    Diff(DiffReport),
    /// The report, and whether the text shows every check (`--all`) or only those not ok.
    Check(CheckReport, bool),
    /// A command run on a fleet (`--targets`, `--targets-query`, `--schemas`).
    Fleet(crate::ops::fleet::FleetReport),
    /// `check --list`.
    CheckList(Vec<Check>),
    Snapshot(SnapshotOutcome),
    Local(LocalResult),
    Lint(LintOutcome),
    /// `lint --explain`.
    LintExplain(Vec<&'static Rule>),
    // Writing migrations (issue 17).
    Init(InitReport),
    New(NewReport),
    /// `completions` and `man`: a text for stdout.
    Generated(Generated),
    /// `generate`: the migration pair written (or, `--dry-run`, shown).
    Generate(crate::ops::generate::GenerateReport),
    /// `init --from-database`.
    Adopt(crate::ops::adopt::AdoptReport),
    /// `squash`.
    Squash(crate::ops::squash::SquashReport),
}

/// What `lint` found, and how it was asked to be written.
#[derive(Debug)]
pub struct LintOutcome {
    pub report: LintReport,
    pub format: LintFormat,
}

/// A generated text (a completion script, a man page): as it is in text mode, in
/// `{"kind": ..., "text": ...}` with `--json`.
#[derive(Debug, serde::Serialize)]
pub struct Generated {
    pub kind: String,
    pub text: String,
}

/// What `snapshot` did.
#[derive(Debug)]
pub enum SnapshotOutcome {
    /// The snapshot, for stdout.
    Text(String),
    /// Written to a file.
    Written {
        path: PathBuf,
        tables: usize,
        views: usize,
        functions: usize,
        types: usize,
    },
    /// `--check`: whether the stored snapshot (named by `file`) still matches.
    Checked { file: String, up_to_date: bool },
}
