//! A failed run, written for people and for programs: one message built from the error
//! chain (each cause once; where the engine's wording is about the work, the CLI adds
//! what to type), and with `--json` an object that keeps what happened —
//! `{"error": {"kind", "message", ...}, "applied": [...]}` for a failed apply.

use std::error::Error as StdError;
use std::io::Write;

use serde_json::{json, Value};

use crate::check::CheckError;
use crate::ops::apply::ApplyError;
use crate::ops::EngineError;
use crate::seed::SeedError;

/// The engine error a cause is (or wraps), if any.
fn engine_error<'e>(cause: &'e (dyn StdError + 'static)) -> Option<&'e EngineError> {
    if let Some(e) = cause.downcast_ref::<EngineError>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<ApplyError>() {
        return Some(&e.kind);
    }
    match cause.downcast_ref::<SeedError>() {
        Some(SeedError::Engine(e)) => return Some(e),
        Some(_) => return None,
        None => {}
    }
    match cause.downcast_ref::<CheckError>() {
        Some(CheckError::Engine(e)) => Some(e),
        _ => None,
    }
}

/// The CLI's wording for engine errors whose remedy is a flag.
fn cli_text(e: &EngineError) -> Option<String> {
    match e {
        EngineError::Scratch(refusals) => Some(format!(
            "cannot create a scratch database to apply the migrations to ({refusals}); pass --shadow-url URL of a server where the role may create databases, or compare with the project's snapshot (--snapshot)"
        )),
        EngineError::NewerRecorded { recorded, to } => Some(format!(
            "baseline: version {recorded} is already recorded, newer than --to {to}: baseline only adopts a database below what strata has applied"
        )),
        EngineError::NotTransactional(migration) => Some(format!(
            "--single-transaction cannot apply {migration}: it is marked `-- strata:no-transaction`; apply up to the version before it (--to), then apply it on its own"
        )),
        _ => None,
    }
}

/// The message of a failure: its causes, outermost first, joined by `: `; a cause already
/// said (the driver's message inside the engine's) is not repeated.
pub fn message(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let (part, last) = match cause.downcast_ref::<tokio_postgres::Error>() {
            // Its own text ("db error") says nothing; its description covers its sources.
            Some(pg) => (crate::conn::describe_pg_error(pg), true),
            None => (
                engine_error(cause)
                    .and_then(cli_text)
                    .unwrap_or_else(|| cause.to_string()),
                false,
            ),
        };
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
        if last {
            break;
        }
    }
    text
}

/// The JSON of a failure: the message, the kind of engine error, what it carries (where a
/// migration failed, which files changed, how far a partial run got) and, for apply, the
/// migrations this run applied before it failed (they stay applied).
pub fn to_json(error: &anyhow::Error) -> Value {
    let mut body = json!({ "kind": "error", "message": message(error) });
    let mut applied = None;
    for cause in error.chain() {
        if let Some(a) = cause.downcast_ref::<ApplyError>() {
            applied = Some(json!(a.applied));
        }
        let Some(e) = engine_error(cause) else {
            continue;
        };
        body["kind"] = json!(kind(e));
        match e {
            EngineError::MigrationFailed(f) => body["failure"] = json!(f),
            EngineError::ChecksumMismatch(list) => body["mismatches"] = json!(list),
            EngineError::Partial(p) => body["partial"] = json!(p),
            EngineError::Incomplete { missing, .. } => body["missing"] = json!(missing),
            _ => {}
        }
        break;
    }
    let mut out = json!({ "error": body });
    if let Some(applied) = applied {
        out["applied"] = applied;
    }
    out
}

/// A name for each engine error, for programs reading the JSON.
fn kind(e: &EngineError) -> &'static str {
    match e {
        EngineError::ChecksumMismatch(_) => "checksum_mismatch",
        EngineError::UnknownVersion(_) => "unknown_version",
        EngineError::UnknownPhase { .. } => "unknown_phase",
        EngineError::MigrationFailed(_) => "migration_failed",
        EngineError::NoDownScript { .. } => "no_down_script",
        EngineError::Refused(_) => "not_confirmed",
        EngineError::Cancelled => "cancelled",
        EngineError::Partial(_) => "partial",
        EngineError::NotTransactional(_) => "not_transactional",
        EngineError::Interrupted { .. } => "interrupted",
        EngineError::Standby { .. } => "standby",
        EngineError::Lock(_) => "lock",
        EngineError::Db { .. } => "database",
        EngineError::Connect { .. } => "connect",
        EngineError::NewerRecorded { .. } => "newer_recorded",
        EngineError::Introspect(_) => "introspect",
        EngineError::ConcurrentDdl { .. } => "concurrent_ddl",
        EngineError::Scratch(_) => "scratch",
        EngineError::Snapshot(_) => "snapshot",
        EngineError::LintDenied(_) => "lint_denied",
        EngineError::TraceFailed { .. } => "trace_failed",
        EngineError::File { .. } => "file",
        EngineError::Incomplete { .. } => "incomplete",
    }
}

/// True when the failure is stdout itself (then no JSON is written there).
pub fn is_stdout_failure(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<super::StdoutFailed>())
    })
}

/// Writes a failure: as JSON on `out` when `json` (unless writing `out` is what failed),
/// and as one `error:` line on `log`. Writing never panics.
pub fn write<W: Write, L: Write>(error: &anyhow::Error, json: bool, out: &mut W, log: &mut L) {
    if json && !is_stdout_failure(error) {
        let _ = writeln!(out, "{}", to_json(error));
    }
    let _ = writeln!(log, "error: {}", message(error));
}

/// Writes the notices queued during the run on `log` (`strata: ...`, `warning: ...`).
pub fn notices<L: Write>(log: &mut L, notices: Vec<crate::notices::Notice>) {
    use crate::notices::Level;
    for n in notices {
        let label = match n.level {
            Level::Note => "strata",
            Level::Warning => "warning",
        };
        let _ = writeln!(log, "{label}: {}", n.text);
    }
}

/// Writes a command-line usage error as one line, pointing at the help.
pub fn usage<L: Write>(log: &mut L, clap_message: &str) {
    let first = clap_message.lines().next().unwrap_or("invalid arguments");
    let _ = writeln!(log, "{} (see strata --help)", first.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_each_cause_once() {
        let inner = anyhow::anyhow!("connection refused");
        let e = inner.context("could not connect to h:5432: connection refused");
        assert_eq!(
            message(&e),
            "could not connect to h:5432: connection refused"
        );
        let e = anyhow::anyhow!("ERROR: boom").context("interrupted by SIGINT");
        assert_eq!(message(&e), "interrupted by SIGINT: ERROR: boom");
    }

    #[test]
    fn flags_are_named_by_the_cli_not_the_engine() {
        let e = anyhow::Error::new(EngineError::Scratch("x: refused".into()));
        let text = message(&e);
        assert!(text.starts_with("cannot create a scratch database to apply the migrations to (x: refused); pass --shadow-url URL"), "{text}");
        assert!(!EngineError::Scratch("x".into()).to_string().contains("--"));
        let e = anyhow::Error::new(ApplyError::from(EngineError::NotTransactional(
            "11_idx".into(),
        )));
        assert!(message(&e).starts_with("--single-transaction cannot apply 11_idx"));
        assert_eq!(to_json(&e)["error"]["kind"], "not_transactional");
        assert_eq!(to_json(&e)["applied"], json!([]));
    }
}
