//! What the engine tells the person running it while it works, and what it asks them: one
//! [`Progress`] sink for progress and notices (migrations applied, rows seeded, a local
//! server started) and one [`Confirm`] for destructive steps. The engine calls them; the
//! renderer implements them (bars on a terminal, lines otherwise, a prompt on stdin).

use std::path::Path;

use super::error::Refused;
use super::plan::{PlannedRollback, RepairItem};
use crate::migration::Migration;

/// Progress and notices of a long operation; every method defaults to showing nothing.
pub trait Progress {
    /// `total` migrations are about to be `verb`ed ("applying", "rolling back").
    fn start(&mut self, _total: usize, _verb: &str) {}
    fn begin(&mut self, _m: &Migration) {}
    fn done(&mut self, _m: &Migration, _ms: u64) {}
    /// A table of `rows` rows is about to be seeded.
    fn table_start(&mut self, _table: &str, _rows: u64) {}
    fn rows(&mut self, _n: u64) {}
    fn table_done(&mut self) {}
    /// Something the person should know (a notice, one line).
    fn note(&mut self, _text: &str) {}
    fn finish(&mut self) {}
    /// A fleet of `total` targets is about to run.
    fn fleet_start(&mut self, _total: usize) {}
    /// A target of the fleet ended (`ok`: the command ran to its end on it).
    fn target_done(&mut self, _name: &str, _ok: bool) {}
}

/// Shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What a destructive step asks before it goes on.
#[derive(Debug, Clone, Copy)]
pub enum Question<'a> {
    /// Run these down scripts (newest first).
    Rollback(&'a [PlannedRollback]),
    /// Record these files as what was applied, or clear these partial runs.
    Repair(&'a [RepairItem]),
    /// Record these versions as applied without running them.
    Baseline(&'a [i64]),
    /// Empty these tables before seeding.
    Reset(&'a [String]),
    /// Delete the local database in this folder.
    DestroyLocal(&'a Path),
    /// Rewrite migration files as `lint --fix` planned (the diff is shown first).
    LintFix(&'a crate::lint::fix::FixPlan),
    /// Roll back on each of these many targets (asked once for the whole fleet).
    FleetRollback { targets: usize, what: &'a str },
}

/// Answers a [`Question`]: true to go on.
pub trait Confirm {
    fn confirm(&mut self, question: &Question<'_>) -> Result<bool, Refused>;

    /// True when a question would be put to a person (a terminal, without `--yes`): what
    /// a command only offers, it offers then.
    fn can_ask(&self) -> bool {
        false
    }
}

/// Shows nothing and says yes to everything: for runs on scratch databases, where nothing
/// is the user's.
pub struct Unattended;
impl Progress for Unattended {}
impl Confirm for Unattended {
    fn confirm(&mut self, _question: &Question<'_>) -> Result<bool, Refused> {
        Ok(true)
    }
}

/// Both sinks at once: what a command is given.
pub trait Console: Progress + Confirm {
    /// The progress half, for engine calls that only report.
    fn progress(&mut self) -> &mut dyn Progress;
}

impl<T: Progress + Confirm> Console for T {
    fn progress(&mut self) -> &mut dyn Progress {
        self
    }
}
