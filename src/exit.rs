//! The one place exit codes are decided: 0 success, 1 error, 2 drift (status, diff,
//! verify, snapshot --check), 3 constraint violations (check), 4 lint errors (lint, and
//! apply with `lint = "deny"`). No command picks a number.

use crate::outcome::{Outcome, SnapshotOutcome};

/// A process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// An error.
    Error = 1,
    /// Drift found (status, diff, verify, snapshot --check).
    Drift = 2,
    /// Constraint violations (check).
    Violations = 3,
    /// Lint found an error (lint; apply refused by `lint = "deny"`).
    LintErrors = 4,
}

impl Exit {
    /// The code for what a command produced.
    pub fn of(outcome: &Outcome) -> Exit {
        match outcome {
            Outcome::Status(r) if r.has_drift() => Exit::Drift,
            Outcome::Diff(r) if r.has_drift() => Exit::Drift,
            Outcome::Verify(r) if r.failure.is_some() => Exit::Drift,
            Outcome::Snapshot(SnapshotOutcome::Checked {
                up_to_date: false, ..
            }) => Exit::Drift,
            // A check that could not run is an error, even when others found violations.
            Outcome::Check(r, _) if r.has_errors() => Exit::Error,
            Outcome::Fleet(r) if r.has_failures() => Exit::Error,
            Outcome::Fleet(r) if r.has_violations() => Exit::Violations,
            Outcome::Fleet(r) if r.has_drift() => Exit::Drift,
            Outcome::Check(r, _) if r.has_violations() => Exit::Violations,
            Outcome::Lint(l) if l.report.has_errors() => Exit::LintErrors,
            _ => Exit::Ok,
        }
    }

    /// The code for a command that failed: an error, unless the reader of stdout went away
    /// (a broken pipe is not an error).
    pub fn of_error(error: &anyhow::Error) -> Exit {
        if is_broken_pipe(error) {
            Exit::Ok
        } else if lint_denied(error) {
            Exit::LintErrors
        } else {
            Exit::Error
        }
    }

    pub fn code(self) -> i32 {
        self as i32
    }
}

/// True when `apply` refused because `lint = "deny"` and the lint found errors.
fn lint_denied(e: &anyhow::Error) -> bool {
    use crate::ops::apply::ApplyError;
    use crate::ops::EngineError;
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<EngineError>(),
            Some(EngineError::LintDenied(_))
        ) || matches!(
            c.downcast_ref::<ApplyError>(),
            Some(ApplyError {
                kind: EngineError::LintDenied(_),
                ..
            })
        )
    })
}

/// True when writing stdout failed because its reader went away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckReport, Summary};
    use crate::ops::status::{self, StatusReport};

    fn status(summary: status::Summary, states: &[status::State]) -> StatusReport {
        StatusReport {
            project: "p".into(),
            database: "d".into(),
            current_version: None,
            migrations: states
                .iter()
                .enumerate()
                .map(|(i, state)| status::StatusRow {
                    version: i as i64 + 1,
                    phase: "1_one".into(),
                    name: "m".into(),
                    state: *state,
                    applied_at: None,
                    execution_ms: None,
                    checksum: None,
                    recorded_checksum: None,
                    cosmetic_change: None,
                    statements_done: None,
                    error: None,
                })
                .collect(),
            summary,
            standby: false,
        }
    }

    fn check(failed: usize, errors: usize) -> CheckReport {
        CheckReport {
            database: "d".into(),
            jobs: 1,
            checks: Vec::new(),
            summary: Summary {
                failed,
                errors,
                ..Summary::default()
            },
            total_ms: 0,
            standby: false,
        }
    }

    #[test]
    fn status_exits_2_on_modified_unknown_or_partial_only() {
        use status::State::*;
        for (states, exit) in [
            (&[Applied, Pending][..], Exit::Ok),
            (&[Applied, Modified][..], Exit::Drift),
            (&[Unknown][..], Exit::Drift),
            (&[Partial, Pending][..], Exit::Drift),
        ] {
            let outcome = Outcome::Status(status(Default::default(), states));
            assert_eq!(Exit::of(&outcome), exit, "{states:?}");
        }
    }

    #[test]
    fn check_exits_3_on_violations_and_1_when_a_check_could_not_run() {
        assert_eq!(Exit::of(&Outcome::Check(check(0, 0), false)), Exit::Ok);
        assert_eq!(
            Exit::of(&Outcome::Check(check(2, 0), false)),
            Exit::Violations
        );
        assert_eq!(Exit::of(&Outcome::Check(check(2, 1), false)), Exit::Error);
        assert_eq!(Exit::Violations.code(), 3);
    }

    #[test]
    fn a_stale_snapshot_is_drift_and_a_broken_pipe_is_no_error() {
        let checked = |up_to_date| {
            Outcome::Snapshot(SnapshotOutcome::Checked {
                file: "schema.snapshot.json".into(),
                up_to_date,
            })
        };
        assert_eq!(Exit::of(&checked(true)), Exit::Ok);
        assert_eq!(Exit::of(&checked(false)), Exit::Drift);
        let pipe = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(Exit::of_error(&pipe), Exit::Ok);
        assert_eq!(Exit::of_error(&anyhow::anyhow!("boom")), Exit::Error);
    }
}
