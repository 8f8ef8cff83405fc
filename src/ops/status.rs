//! `status`: every migration of the project and of the history, with its state.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{EngineError, Session};
use crate::history::HistoryRow;
use crate::project::Project;

/// The state of one migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Recorded, and the file still matches.
    Applied,
    /// In the project, not in the database.
    Pending,
    /// Recorded, but the file's checksum differs from what ran.
    Modified,
    /// In the database, not in the project.
    Unknown,
    /// A non-transactional migration that stopped part-way.
    Partial,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Modified => "modified",
            State::Unknown => "unknown",
            State::Partial => "partial",
        }
    }

    /// States that make `status` exit 2.
    pub fn is_drift(self) -> bool {
        matches!(self, State::Modified | State::Unknown | State::Partial)
    }
}

/// One row of the status report.
#[derive(Debug, Clone, Serialize)]
pub struct StatusRow {
    pub version: i64,
    pub phase: String,
    pub name: String,
    pub state: State,
    pub applied_at: Option<DateTime<Utc>>,
    pub execution_ms: Option<i64>,
    /// Checksum of the file, when the project has it.
    pub checksum: Option<String>,
    /// Checksum recorded when it was applied.
    pub recorded_checksum: Option<String>,
    /// For a modified migration: true when only comments or white space changed.
    pub cosmetic_change: Option<bool>,
    /// For a partial migration: statements that completed, and the error.
    pub statements_done: Option<i32>,
    pub error: Option<String>,
}

/// Counts by state.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub applied: usize,
    pub pending: usize,
    pub modified: usize,
    pub unknown: usize,
    pub partial: usize,
}

/// The whole status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub project: String,
    pub database: String,
    /// Highest applied version, if any.
    pub current_version: Option<i64>,
    pub migrations: Vec<StatusRow>,
    pub summary: Summary,
    /// True when the database is a standby (in recovery): what it has replayed so far.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub standby: bool,
}

impl StatusReport {
    /// True when something needs a person: modified, unknown or partial migrations.
    pub fn has_drift(&self) -> bool {
        self.migrations.iter().any(|r| r.state.is_drift())
    }
}

/// Reads the history and compares it with the project.
pub async fn status(session: &Session<'_>) -> Result<StatusReport, EngineError> {
    // Both questions at once: tokio-postgres pipelines them on the one connection.
    let (history, standby) = tokio::try_join!(session.history_rows(), session.in_recovery())?;
    let mut report = compute(session.project, &history, &session.target);
    report.standby = standby;
    Ok(report)
}

/// Compares a history with the project's migration set.
pub fn compute(project: &Project, history: &[HistoryRow], database: &str) -> StatusReport {
    let mut rows = Vec::new();
    let mut by_version: std::collections::BTreeMap<i64, &HistoryRow> =
        history.iter().map(|h| (h.version, h)).collect();
    for m in &project.migrations.migrations {
        let row = match by_version.remove(&m.version) {
            None => StatusRow {
                version: m.version,
                phase: m.phase.clone(),
                name: m.name.clone(),
                state: State::Pending,
                applied_at: None,
                execution_ms: None,
                checksum: Some(m.checksum.clone()),
                recorded_checksum: None,
                cosmetic_change: None,
                statements_done: None,
                error: None,
            },
            Some(h) => {
                let state = if h.is_partial() {
                    State::Partial
                } else if h.checksum != m.checksum {
                    State::Modified
                } else {
                    State::Applied
                };
                StatusRow {
                    version: m.version,
                    phase: m.phase.clone(),
                    name: m.name.clone(),
                    state,
                    applied_at: Some(h.applied_at),
                    execution_ms: Some(h.execution_ms),
                    checksum: Some(m.checksum.clone()),
                    recorded_checksum: Some(h.checksum.clone()),
                    cosmetic_change: (state == State::Modified)
                        .then(|| h.checksum_normalized.as_deref() == Some(&m.checksum_normalized)),
                    statements_done: h.statements_done,
                    error: h.error.clone(),
                }
            }
        };
        rows.push(row);
    }
    for h in by_version.into_values() {
        rows.push(StatusRow {
            version: h.version,
            phase: h.phase.clone(),
            name: h.name.clone(),
            state: State::Unknown,
            applied_at: Some(h.applied_at),
            execution_ms: Some(h.execution_ms),
            checksum: None,
            recorded_checksum: Some(h.checksum.clone()),
            cosmetic_change: None,
            statements_done: h.statements_done,
            error: h.error.clone(),
        });
    }
    rows.sort_by_key(|r| r.version);
    let mut summary = Summary::default();
    for r in &rows {
        match r.state {
            State::Applied => summary.applied += 1,
            State::Pending => summary.pending += 1,
            State::Modified => summary.modified += 1,
            State::Unknown => summary.unknown += 1,
            State::Partial => summary.partial += 1,
        }
    }
    StatusReport {
        project: project.config.project.name.clone(),
        database: database.to_string(),
        current_version: history
            .iter()
            .filter(|h| !h.is_partial())
            .map(|h| h.version)
            .max(),
        migrations: rows,
        summary,
        standby: false,
    }
}
