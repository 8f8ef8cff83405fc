//! What `strata local` prints: one result value, as text or as one line of JSON.

use std::io::Write;

use crate::ops::local::LocalResult;

/// Writes `result` as JSON on one line.
pub(super) fn json<W: Write>(out: &mut W, result: &LocalResult) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, result)?;
    writeln!(out)
}

/// Writes `result` as text.
pub(super) fn text<W: Write>(out: &mut W, result: &LocalResult) -> std::io::Result<()> {
    match result {
        LocalResult::Started {
            started,
            root,
            url,
            tcp_url,
            converted_from_trust,
            pgpass_file,
        } => {
            let state = if *started {
                "started"
            } else {
                "already running"
            };
            writeln!(out, "local database {state} in {root}")?;
            if *converted_from_trust {
                writeln!(
                    out,
                    "converted from trust: the superuser now has a password, pg_hba.conf uses scram-sha-256"
                )?;
            }
            writeln!(out, "{url}")?;
            if let Some(tcp) = tcp_url {
                writeln!(out, "{tcp}")?;
            }
            if let Some(file) = pgpass_file {
                writeln!(
                    out,
                    "password file for psql and other tools: PGPASSFILE={file}"
                )?;
            }
            Ok(())
        }
        LocalResult::Stopped { stopped } => writeln!(
            out,
            "{}",
            if *stopped {
                "local database stopped"
            } else {
                "local database was not running"
            }
        ),
        LocalResult::Status { status, url } => {
            let state = if !status.initialized {
                "not created"
            } else if status.running {
                "running"
            } else {
                "stopped"
            };
            let pid = status
                .pid
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default();
            writeln!(out, "local database in {}: {state}{pid}", status.root)?;
            if status.initialized {
                let auth = match (status.authentication.as_str(), &status.converted_from_trust)
                {
                    ("trust", _) => "trust: any local user can connect; strata converts it to a password (scram-sha-256) at its next start".to_string(),
                    (method, Some(when)) => format!("{method} (converted from trust on {when})"),
                    (method, None) => method.to_string(),
                };
                writeln!(out, "authentication: {auth}")?;
            }
            if let Some(file) = &status.pgpass_file {
                writeln!(out, "password file: PGPASSFILE={file}")?;
            }
            writeln!(out, "{url}")
        }
        LocalResult::Url { url } => writeln!(out, "{url}"),
        LocalResult::Destroyed { deleted, root } => {
            if *deleted {
                writeln!(out, "deleted {root}")
            } else {
                writeln!(out, "no local database to delete")
            }
        }
    }
}
