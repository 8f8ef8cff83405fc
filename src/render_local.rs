//! What `strata local` prints: one result value, as text or as one line of JSON.

use std::io::Write;

use crate::local::ClusterStatus;

/// The result of a `strata local` action.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum LocalResult {
    Started {
        started: bool,
        root: String,
        url: String,
        tcp_url: Option<String>,
        /// The cluster used `trust` and was converted now.
        converted_from_trust: bool,
        pgpass_file: Option<String>,
    },
    Stopped {
        stopped: bool,
    },
    Status {
        status: ClusterStatus,
        url: String,
    },
    Url {
        url: String,
    },
    Destroyed {
        deleted: bool,
        root: String,
    },
}

/// Writes `result` (JSON on one line with `json`).
pub fn local<W: Write>(out: &mut W, result: &LocalResult, json: bool) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, result)?;
        return writeln!(out);
    }
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
