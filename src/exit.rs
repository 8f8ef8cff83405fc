//! The one place exit codes are decided: 0 success, 1 error, 2 drift (status, diff,
//! verify, snapshot --check), 3 constraint violations (check). No command picks a number.

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
            Outcome::Check(r) if r.has_errors() => Exit::Error,
            Outcome::Check(r) if r.has_violations() => Exit::Violations,
            _ => Exit::Ok,
        }
    }

    /// The code for a command that failed: an error, unless the reader of stdout went away
    /// (a broken pipe is not an error).
    pub fn of_error(error: &anyhow::Error) -> Exit {
        if is_broken_pipe(error) {
            Exit::Ok
        } else {
            Exit::Error
        }
    }

    pub fn code(self) -> i32 {
        self as i32
    }
}

/// True when writing stdout failed because its reader went away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
