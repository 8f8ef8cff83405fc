//! Planning, without a database: which migrations an `apply` runs (and from which
//! statement), which a `rollback` undoes, and what either must refuse — a pure function of
//! the project's migration set, the history rows and the options, so every rule has a unit
//! test here.

use std::collections::BTreeSet;

use serde::Serialize;
use similar::TextDiff;

use super::error::{EngineError, Mismatch, PartialState};
use crate::history::HistoryRow;
use crate::migration::Migration;
use crate::project::Project;

/// What to apply.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Apply up to and including this version.
    pub to: Option<i64>,
    /// Apply up to the end of this phase (1-based).
    pub phase: Option<u32>,
    /// Print the SQL, change nothing.
    pub dry_run: bool,
    /// Go on with a non-transactional migration that stopped part-way, at the statement
    /// after the last one that completed.
    pub resume: bool,
    /// All pending migrations in one transaction: all or nothing.
    pub single_transaction: bool,
    /// Lint the migrations about to run first, and what to do with errors (`None`: do not
    /// lint, as for internal applies such as a scratch database's).
    pub lint: Option<crate::project::lint_config::LintGate>,
    /// Raised by a fleet run when another target failed (`on_error = stop`): the migration
    /// running finishes, and no further migration starts.
    pub halt: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The lint gate's reports shared by a fleet's targets (the gate reads only the
    /// project): one lint per set of pending migrations instead of one per target.
    pub lint_memo: Option<std::sync::Arc<crate::lint::sources::GateMemo>>,
}

/// One migration an apply runs.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub migration: &'a Migration,
    /// Statements already done by a partial run (0: start at the first).
    pub resume_from: usize,
}

/// The migrations an apply runs, in order.
#[derive(Debug, Clone, Default)]
pub struct ApplyPlan<'a> {
    pub steps: Vec<Step<'a>>,
}

impl ApplyPlan<'_> {
    /// Nothing to run and a history that exists: the database is up to date.
    pub fn up_to_date(&self, history: &[HistoryRow]) -> bool {
        self.steps.is_empty() && !history.is_empty()
    }
}

/// Plans an apply: the options are checked against the project first; then an applied
/// migration whose file changed, a partial run (unless resumed, or only shown with
/// `dry_run`) and a no-transaction migration in a single-transaction run are refused.
/// A partial run's error names no invalid indexes: the caller, which can ask the database,
/// fills them in.
pub fn plan_apply<'a>(
    project: &'a Project,
    history: &[HistoryRow],
    options: &ApplyOptions,
) -> Result<ApplyPlan<'a>, EngineError> {
    let limit = apply_limit(project, options)?;
    let mismatched = mismatches(project, history);
    if !mismatched.is_empty() {
        return Err(EngineError::ChecksumMismatch(mismatched));
    }
    if !options.resume && !options.dry_run {
        if let Some(h) = history.iter().find(|h| h.is_partial()) {
            return Err(EngineError::Partial(Box::new(partial_state(project, h))));
        }
    }
    let done: BTreeSet<i64> = history
        .iter()
        .filter(|h| !h.is_partial())
        .map(|h| h.version)
        .collect();
    let steps: Vec<Step<'a>> = project
        .migrations
        .migrations
        .iter()
        .filter(|m| m.version <= limit && !done.contains(&m.version))
        .map(|m| Step {
            migration: m,
            resume_from: history
                .iter()
                .find(|h| h.version == m.version && h.is_partial())
                .and_then(|h| h.statements_done)
                .map(|d| d.max(0) as usize)
                .unwrap_or(0),
        })
        .collect();
    if options.single_transaction {
        if let Some(s) = steps.iter().find(|s| s.migration.no_transaction) {
            return Err(EngineError::NotTransactional(s.migration.label()));
        }
    }
    Ok(ApplyPlan { steps })
}

/// The highest version `--to` and `--phase` allow.
fn apply_limit(project: &Project, options: &ApplyOptions) -> Result<i64, EngineError> {
    let mut limit = i64::MAX;
    if let Some(to) = options.to {
        if project.migrations.get(to).is_none() {
            return Err(EngineError::UnknownVersion(to));
        }
        limit = limit.min(to);
    }
    if let Some(phase) = options.phase {
        check_phase(project, phase)?;
        let last = (1..=phase)
            .rev()
            .find_map(|p| project.migrations.last_of_phase(p))
            .unwrap_or(0);
        limit = limit.min(last);
    }
    Ok(limit)
}

/// What a recorded partial run left, from the history row and the file.
fn partial_state(project: &Project, h: &HistoryRow) -> PartialState {
    let m = project.migrations.get(h.version);
    PartialState {
        migration: format!("{}_{}", h.version, h.name),
        file: m.map(|m| m.up_path.clone()).unwrap_or_default(),
        statements_done: h.statements_done.unwrap_or(0),
        statements: m.map(|m| m.up_statements.len()).unwrap_or(0),
        error: h.error.clone(),
        invalid_indexes: Vec::new(),
    }
}

/// Checks a phase number against the project's phases.
pub(crate) fn check_phase(project: &Project, phase: u32) -> Result<(), EngineError> {
    if phase == 0 || phase as usize > project.config.phases.len() {
        return Err(EngineError::UnknownPhase {
            given: phase,
            count: project.config.phases.len(),
        });
    }
    Ok(())
}

/// Applied migrations whose file changed (partial ones are resumed, not compared).
pub(crate) fn mismatches(project: &Project, history: &[HistoryRow]) -> Vec<Mismatch> {
    history
        .iter()
        .filter(|row| !row.is_partial())
        .filter_map(|row| {
            let m = project.migrations.get(row.version)?;
            (m.checksum != row.checksum).then(|| Mismatch {
                version: row.version,
                file: m.up_path.clone(),
                recorded: row.checksum.clone(),
                current: m.checksum.clone(),
            })
        })
        .collect()
}

/// How far to roll back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollbackTarget {
    /// The newest N applied migrations.
    Steps(usize),
    /// Keep this version and older.
    To(i64),
    /// Undo this phase and every later one.
    Phase(u32),
    /// Everything.
    All,
}

/// One migration to roll back.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRollback {
    pub version: i64,
    pub phase: String,
    pub name: String,
    /// The file changed since it was applied; its down script may not match.
    pub modified: bool,
}

/// What `target` rolls back, newest first, given the history. A recorded migration the
/// project does not have cannot be rolled back (it has no down script).
pub fn plan_rollback(
    project: &Project,
    history: &[HistoryRow],
    target: RollbackTarget,
) -> Result<Vec<PlannedRollback>, EngineError> {
    let mut applied: Vec<&HistoryRow> = history.iter().collect();
    applied.sort_by_key(|h| std::cmp::Reverse(h.version));
    let selected: Vec<&HistoryRow> = match target {
        RollbackTarget::Steps(n) => applied.into_iter().take(n).collect(),
        RollbackTarget::To(v) => {
            if project.migrations.get(v).is_none() && !history.iter().any(|h| h.version == v) {
                return Err(EngineError::UnknownVersion(v));
            }
            applied.into_iter().filter(|h| h.version > v).collect()
        }
        RollbackTarget::Phase(p) => {
            check_phase(project, p)?;
            applied
                .into_iter()
                .filter(|h| {
                    project
                        .migrations
                        .get(h.version)
                        .map(|m| m.phase_number >= p)
                        // A migration not in the project: place it by version against the
                        // first migration of the phase.
                        .unwrap_or_else(|| {
                            project
                                .migrations
                                .migrations
                                .iter()
                                .find(|m| m.phase_number >= p)
                                .is_some_and(|first| h.version >= first.version)
                        })
                })
                .collect()
        }
        RollbackTarget::All => applied,
    };
    selected
        .into_iter()
        .map(|h| {
            let m = project
                .migrations
                .get(h.version)
                .ok_or_else(|| EngineError::NoDownScript {
                    version: h.version,
                    name: h.name.clone(),
                })?;
            Ok(PlannedRollback {
                version: h.version,
                phase: m.phase.clone(),
                name: m.name.clone(),
                modified: !h.is_partial() && h.checksum != m.checksum,
            })
        })
        .collect()
}

/// What repair does to one migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairAction {
    /// Record the file's current checksum (and script).
    Rerecord,
    /// Forget the partial run, so apply starts the migration over.
    ClearPartial,
}

/// One migration repair would touch.
#[derive(Debug, Clone, Serialize)]
pub struct RepairItem {
    pub version: i64,
    pub name: String,
    pub file: String,
    pub action: RepairAction,
    /// Only comments, white space or line endings changed.
    pub cosmetic: bool,
    pub recorded_checksum: String,
    pub current_checksum: String,
    /// Unified diff from the script as it ran to the file now (when the history holds the
    /// script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// For a partial migration: statements that completed, and the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements_done: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What `repair` would do given the history: re-record each applied migration whose file
/// changed (with the diff from the script as it ran, when the history holds it), and clear
/// each partial run. Recorded migrations the project lacks are left alone.
pub fn plan_repair(project: &Project, history: &[HistoryRow]) -> Vec<RepairItem> {
    let mut items = Vec::new();
    for h in history {
        let Some(m) = project.migrations.get(h.version) else {
            continue;
        };
        if h.is_partial() {
            items.push(RepairItem {
                version: h.version,
                name: m.name.clone(),
                file: m.up_path.clone(),
                action: RepairAction::ClearPartial,
                cosmetic: false,
                recorded_checksum: h.checksum.clone(),
                current_checksum: m.checksum.clone(),
                diff: None,
                statements_done: h.statements_done,
                error: h.error.clone(),
            });
        } else if h.checksum != m.checksum {
            let diff = h.script.as_ref().map(|old| {
                TextDiff::from_lines(&old.replace("\r\n", "\n"), &m.up_sql.replace("\r\n", "\n"))
                    .unified_diff()
                    .context_radius(2)
                    .header("as applied", "file now")
                    .to_string()
            });
            items.push(RepairItem {
                version: h.version,
                name: m.name.clone(),
                file: m.up_path.clone(),
                action: RepairAction::Rerecord,
                cosmetic: h.checksum_normalized.as_deref() == Some(m.checksum_normalized.as_str()),
                recorded_checksum: h.checksum.clone(),
                current_checksum: m.checksum.clone(),
                diff,
                statements_done: None,
                error: None,
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Phases one, two, three (three has no migrations): 10, 11 (no-transaction) in one;
    /// 20, 21 in two.
    fn project() -> Project {
        let config = "[project]\nname = \"t\"\n\n[[phases]]\nname = \"one\"\ndescription = \"\"\n\n[[phases]]\nname = \"two\"\ndescription = \"\"\n\n[[phases]]\nname = \"three\"\ndescription = \"\"\n";
        let mut files = vec![("schema.toml".to_string(), config.as_bytes().to_vec())];
        for (folder, stem, up) in [
            ("1_one", "10_a", "CREATE TABLE a (id int);"),
            (
                "1_one",
                "11_idx",
                "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\nCREATE INDEX CONCURRENTLY j ON a (id);",
            ),
            ("2_two", "20_b", "CREATE TABLE b (id int);"),
            ("2_two", "21_c", "CREATE TABLE c (id int);"),
        ] {
            files.push((
                format!("migrations/{folder}/{stem}.up.sql"),
                up.as_bytes().to_vec(),
            ));
            files.push((
                format!("migrations/{folder}/{stem}.down.sql"),
                b"SELECT 1;".to_vec(),
            ));
        }
        Project::from_memory(files).expect("the test project loads")
    }

    /// A history row for `version`, recording the project's checksum (or `checksum`).
    fn row(project: &Project, version: i64) -> HistoryRow {
        let m = project.migrations.get(version);
        HistoryRow {
            version,
            name: m.map(|m| m.name.clone()).unwrap_or_else(|| "gone".into()),
            phase: m.map(|m| m.phase.clone()).unwrap_or_default(),
            checksum: m.map(|m| m.checksum.clone()).unwrap_or_default(),
            checksum_normalized: m.map(|m| m.checksum_normalized.clone()),
            applied_at: chrono::Utc::now(),
            execution_ms: 1,
            applied_by: "test".into(),
            state: "applied".into(),
            statements_done: None,
            error: None,
            script: None,
        }
    }

    fn partial(project: &Project, version: i64, done: i32) -> HistoryRow {
        HistoryRow {
            state: "partial".into(),
            statements_done: Some(done),
            error: Some("ERROR: boom".into()),
            ..row(project, version)
        }
    }

    fn versions(plan: &ApplyPlan<'_>) -> Vec<i64> {
        plan.steps.iter().map(|s| s.migration.version).collect()
    }

    fn apply_with(options: ApplyOptions, history: &[HistoryRow]) -> Result<Vec<i64>, String> {
        let p = project();
        plan_apply(&p, history, &options)
            .map(|plan| versions(&plan))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn apply_runs_every_unrecorded_migration_in_order() {
        let p = project();
        assert_eq!(
            apply_with(ApplyOptions::default(), &[]),
            Ok(vec![10, 11, 20, 21])
        );
        let history = [row(&p, 10), row(&p, 20)];
        assert_eq!(
            apply_with(ApplyOptions::default(), &history),
            Ok(vec![11, 21])
        );
        let all: Vec<HistoryRow> = [10, 11, 20, 21].map(|v| row(&p, v)).to_vec();
        let plan = plan_apply(&p, &all, &ApplyOptions::default()).unwrap();
        assert!(plan.up_to_date(&all));
        // No history at all is not "up to date": the history table is still to be made.
        let empty = ApplyPlan::default();
        assert!(!empty.up_to_date(&[]));
    }

    #[test]
    fn apply_to_stops_at_the_version_and_refuses_an_unknown_one() {
        let to = |v| ApplyOptions {
            to: Some(v),
            ..ApplyOptions::default()
        };
        assert_eq!(apply_with(to(20), &[]), Ok(vec![10, 11, 20]));
        let err = apply_with(to(15), &[]).unwrap_err();
        assert_eq!(
            err,
            "unknown version 15: no migration of the project has it"
        );
    }

    #[test]
    fn apply_phase_stops_at_the_end_of_the_phase_and_refuses_an_unknown_one() {
        let phase = |n| ApplyOptions {
            phase: Some(n),
            ..ApplyOptions::default()
        };
        assert_eq!(apply_with(phase(1), &[]), Ok(vec![10, 11]));
        // A phase without migrations ends where the phases before it end.
        assert_eq!(apply_with(phase(3), &[]), Ok(vec![10, 11, 20, 21]));
        for bad in [0, 4] {
            assert_eq!(
                apply_with(phase(bad), &[]).unwrap_err(),
                format!("unknown phase {bad}: the project has phases 1 to 3")
            );
        }
        // With both, the lower limit wins.
        let both = ApplyOptions {
            to: Some(20),
            phase: Some(1),
            ..ApplyOptions::default()
        };
        assert_eq!(apply_with(both, &[]), Ok(vec![10, 11]));
    }

    #[test]
    fn bad_options_are_refused_before_the_history_is_looked_at() {
        let p = project();
        let mut modified = row(&p, 10);
        modified.checksum = "edited".into();
        let options = ApplyOptions {
            to: Some(99),
            ..ApplyOptions::default()
        };
        let err = plan_apply(&p, &[modified], &options).unwrap_err();
        assert!(matches!(err, EngineError::UnknownVersion(99)), "{err}");
    }

    #[test]
    fn a_modified_migration_refuses_the_apply_and_a_dry_run() {
        let p = project();
        let mut modified = row(&p, 10);
        modified.checksum = "edited".into();
        for dry_run in [false, true] {
            let options = ApplyOptions {
                dry_run,
                ..ApplyOptions::default()
            };
            let err = plan_apply(&p, std::slice::from_ref(&modified), &options).unwrap_err();
            let EngineError::ChecksumMismatch(list) = err else {
                panic!("a checksum mismatch");
            };
            assert_eq!(list.len(), 1);
            assert_eq!((list[0].version, list[0].recorded.as_str()), (10, "edited"));
        }
    }

    #[test]
    fn a_partial_run_is_refused_unless_resumed_and_resumes_after_its_last_statement() {
        let p = project();
        let history = [row(&p, 10), partial(&p, 11, 1)];
        let err = plan_apply(&p, &history, &ApplyOptions::default()).unwrap_err();
        let EngineError::Partial(state) = err else {
            panic!("a partial run is refused");
        };
        assert_eq!((state.statements_done, state.statements), (1, 2));
        assert!(state.file.ends_with("11_idx.up.sql"), "{}", state.file);
        for options in [
            ApplyOptions {
                resume: true,
                ..ApplyOptions::default()
            },
            ApplyOptions {
                dry_run: true,
                ..ApplyOptions::default()
            },
        ] {
            let plan = plan_apply(&p, &history, &options).unwrap();
            assert_eq!(versions(&plan), [11, 20, 21]);
            assert_eq!(plan.steps[0].resume_from, 1);
            assert_eq!(plan.steps[1].resume_from, 0);
        }
        // A partial run's checksum is not compared: it is resumed, not re-checked.
        let mut edited = partial(&p, 11, 1);
        edited.checksum = "older".into();
        let options = ApplyOptions {
            resume: true,
            ..ApplyOptions::default()
        };
        assert!(plan_apply(&p, &[row(&p, 10), edited], &options).is_ok());
    }

    #[test]
    fn an_unknown_recorded_migration_does_not_stop_an_apply() {
        let p = project();
        let history = [row(&p, 10), row(&p, 15)];
        assert_eq!(
            plan_apply(&p, &history, &ApplyOptions::default())
                .map(|plan| versions(&plan))
                .unwrap(),
            [11, 20, 21]
        );
    }

    #[test]
    fn a_single_transaction_run_refuses_a_no_transaction_migration_it_would_include() {
        let single = |to| ApplyOptions {
            to,
            single_transaction: true,
            ..ApplyOptions::default()
        };
        assert_eq!(
            apply_with(single(None), &[]).unwrap_err(),
            "cannot apply 11_idx in one transaction with the others: it is marked `-- strata:no-transaction`"
        );
        // Up to the version before it, or once it is applied, the run is allowed.
        assert_eq!(apply_with(single(Some(10)), &[]), Ok(vec![10]));
        let p = project();
        assert_eq!(
            apply_with(single(None), &[row(&p, 10), row(&p, 11)]),
            Ok(vec![20, 21])
        );
    }

    fn rollback_of(history: &[HistoryRow], target: RollbackTarget) -> Result<Vec<i64>, String> {
        plan_rollback(&project(), history, target)
            .map(|list| list.iter().map(|r| r.version).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn rollback_targets_select_newest_first() {
        let p = project();
        let all: Vec<HistoryRow> = [10, 11, 20, 21].map(|v| row(&p, v)).to_vec();
        use RollbackTarget::*;
        assert_eq!(rollback_of(&all, Steps(1)), Ok(vec![21]));
        assert_eq!(rollback_of(&all, Steps(9)), Ok(vec![21, 20, 11, 10]));
        assert_eq!(rollback_of(&all, To(11)), Ok(vec![21, 20]));
        assert_eq!(rollback_of(&all, Phase(2)), Ok(vec![21, 20]));
        assert_eq!(rollback_of(&all, Phase(3)), Ok(vec![]));
        assert_eq!(rollback_of(&all, All), Ok(vec![21, 20, 11, 10]));
        assert_eq!(rollback_of(&[], All), Ok(vec![]));
    }

    #[test]
    fn rollback_refuses_unknown_targets_and_migrations_without_a_file() {
        let p = project();
        let all: Vec<HistoryRow> = [10, 11, 20].map(|v| row(&p, v)).to_vec();
        use RollbackTarget::*;
        assert_eq!(
            rollback_of(&all, To(15)).unwrap_err(),
            "unknown version 15: no migration of the project has it"
        );
        assert_eq!(
            rollback_of(&all, Phase(0)).unwrap_err(),
            "unknown phase 0: the project has phases 1 to 3"
        );
        // A recorded version the project lacks is a valid --to, but cannot be undone.
        let with_unknown = [row(&p, 10), row(&p, 15), row(&p, 20)];
        assert_eq!(rollback_of(&with_unknown, To(15)), Ok(vec![20]));
        assert_eq!(
            rollback_of(&with_unknown, Steps(2)).unwrap_err(),
            "cannot roll back 15_gone: it is recorded in the database but not in the project, so there is no down script"
        );
        // Placed by version, the unknown one belongs to phase 2 onwards only if after its
        // first migration.
        assert_eq!(
            rollback_of(&[row(&p, 10), row(&p, 15)], Phase(2)),
            Ok(vec![])
        );
    }

    #[test]
    fn a_rollback_of_a_modified_migration_says_so() {
        let p = project();
        let mut modified = row(&p, 20);
        modified.checksum = "edited".into();
        let planned =
            plan_rollback(&p, &[row(&p, 10), modified], RollbackTarget::Steps(1)).expect("planned");
        assert!(planned[0].modified);
    }

    #[test]
    fn repair_rerecords_changed_files_and_clears_partial_runs_only() {
        let p = project();
        let mut cosmetic = row(&p, 10);
        cosmetic.checksum = "older".into();
        let mut meaning = row(&p, 20);
        meaning.checksum = "older".into();
        meaning.checksum_normalized = Some("different".into());
        meaning.script = Some("CREATE TABLE b (id bigint);".into());
        let history = [
            cosmetic,
            partial(&p, 11, 1),
            meaning,
            row(&p, 21),
            row(&p, 15),
        ];
        let items = plan_repair(&p, &history);
        let summary: Vec<(i64, RepairAction, bool)> = items
            .iter()
            .map(|i| (i.version, i.action, i.cosmetic))
            .collect();
        assert_eq!(
            summary,
            [
                (10, RepairAction::Rerecord, true),
                (11, RepairAction::ClearPartial, false),
                (20, RepairAction::Rerecord, false),
            ]
        );
        // The diff runs from the script as applied to the file now.
        let diff = items[2].diff.as_deref().expect("a diff");
        assert!(diff.contains("-CREATE TABLE b (id bigint);"), "{diff}");
        assert!(diff.contains("+CREATE TABLE b (id int);"), "{diff}");
        assert!(items[0].diff.is_none(), "no script recorded, no diff");
    }
}
