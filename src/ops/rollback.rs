//! `rollback`: run down scripts newest first, each in a transaction with the removal of its
//! history row.

use std::time::Instant;

use serde::Serialize;

use super::apply::ends_with_semicolon;
use super::status::{compute, StatusReport};
use super::{check_phase, describe_failure, EngineError, Progress, Sent, Session, Timeouts};
use crate::history::HistoryRow;
use crate::migration::Migration;
use crate::sql_split;

/// How far to roll back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
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

/// The result of `rollback`.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackReport {
    pub dry_run: bool,
    pub rolled_back: Vec<PlannedRollback>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    pub total_ms: u64,
    pub status: StatusReport,
}

/// What `target` rolls back, newest first, given the history.
pub fn plan(
    session: &Session<'_>,
    history: &[HistoryRow],
    target: Target,
) -> Result<Vec<PlannedRollback>, EngineError> {
    let project = session.project;
    let mut applied: Vec<&HistoryRow> = history.iter().collect();
    applied.sort_by_key(|h| std::cmp::Reverse(h.version));
    let selected: Vec<&HistoryRow> = match target {
        Target::Steps(n) => applied.into_iter().take(n).collect(),
        Target::To(v) => {
            if project.migrations.get(v).is_none() && !history.iter().any(|h| h.version == v) {
                return Err(EngineError::UnknownVersion(v));
            }
            applied.into_iter().filter(|h| h.version > v).collect()
        }
        Target::Phase(p) => {
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
        Target::All => applied,
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

/// Reads the history and plans without changing anything (for confirmation prompts).
pub async fn preview(
    session: &Session<'_>,
    target: Target,
) -> Result<Vec<PlannedRollback>, EngineError> {
    let history = session.history_rows().await?;
    plan(session, &history, target)
}

/// Rolls back. `confirm` is called with the plan (made under the lock) and must return
/// true to go on.
pub async fn rollback(
    session: &Session<'_>,
    target: Target,
    dry_run: bool,
    timeouts: &Timeouts,
    progress: &mut dyn Progress,
    confirm: &mut dyn FnMut(&[PlannedRollback]) -> Result<bool, EngineError>,
) -> Result<RollbackReport, EngineError> {
    let started = Instant::now();
    if dry_run {
        let history = session.history_rows().await?;
        let planned = plan(session, &history, target)?;
        let mut sql = String::new();
        for p in &planned {
            let m = session
                .project
                .migrations
                .get(p.version)
                .expect("planned from the set");
            sql.push_str(&format!(
                "-- strata: roll back {} ({})\n",
                m.label(),
                m.down_path
            ));
            if m.down_no_transaction() {
                sql.push_str("-- runs outside a transaction, one statement at a time\n");
                for s in sql_split::split(&m.down_sql) {
                    sql.push_str(&s.sql);
                    sql.push_str(";\n");
                }
                sql.push_str(&session.history.delete_sql(m.version));
                sql.push_str(";\n\n");
            } else {
                sql.push_str("BEGIN;\n");
                sql.push_str(m.down_sql.trim_end());
                sql.push_str(if ends_with_semicolon(&m.down_sql) {
                    "\n"
                } else {
                    "\n;\n"
                });
                sql.push_str(&session.history.delete_sql(m.version));
                sql.push_str(";\nCOMMIT;\n\n");
            }
        }
        return Ok(RollbackReport {
            dry_run: true,
            rolled_back: planned,
            sql: Some(sql),
            total_ms: started.elapsed().as_millis() as u64,
            status: compute(session.project, &history, &session.target),
        });
    }

    // Bad targets are refused before anything is written (the history table included).
    let history = session.history_rows().await?;
    plan(session, &history, target)?;
    let lock = session.begin_writing(timeouts).await?;
    let result = rollback_locked(session, target, progress, confirm).await;
    let history = session.history_rows().await;
    session.end_writing(lock).await;
    let rolled_back = result?;
    let history = history?;
    Ok(RollbackReport {
        dry_run: false,
        rolled_back,
        sql: None,
        total_ms: started.elapsed().as_millis() as u64,
        status: compute(session.project, &history, &session.target),
    })
}

async fn rollback_locked(
    session: &Session<'_>,
    target: Target,
    progress: &mut dyn Progress,
    confirm: &mut dyn FnMut(&[PlannedRollback]) -> Result<bool, EngineError>,
) -> Result<Vec<PlannedRollback>, EngineError> {
    let history = session.history_rows().await?;
    let planned = plan(session, &history, target)?;
    if planned.is_empty() {
        return Ok(planned);
    }
    if !confirm(&planned)? {
        return Err(EngineError::Cancelled);
    }
    let mut done = Vec::new();
    progress.start(planned.len(), "rolling back");
    for p in planned {
        let m: &Migration = session
            .project
            .migrations
            .get(p.version)
            .expect("planned from the set");
        progress.begin(m);
        let t0 = Instant::now();
        let delete = session.history.delete_sql(m.version);
        let result = if m.down_no_transaction() {
            run_down_statements(session, m, &delete).await
        } else {
            session
                .run_in_transaction(m, &m.down_path, &m.down_sql, &delete)
                .await
        };
        if let Err(mut failure) = result {
            progress.finish();
            failure.applied_before = Vec::new();
            failure.state.push_str(&format!(
                "; rolled back before the failure: {}",
                if done.is_empty() {
                    "none".to_string()
                } else {
                    done.iter()
                        .map(|d: &PlannedRollback| d.version.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
            return Err(EngineError::MigrationFailed(Box::new(failure)));
        }
        progress.done(m, t0.elapsed().as_millis() as u64);
        done.push(p);
    }
    progress.finish();
    Ok(done)
}

async fn run_down_statements(
    session: &Session<'_>,
    m: &Migration,
    delete: &str,
) -> Result<(), super::MigrationFailure> {
    let statements = sql_split::split(&m.down_sql);
    let total = statements.len();
    for (index, statement) in statements.iter().enumerate() {
        if let Err(e) = session.client.batch_execute(&statement.sql).await {
            let mut failure = describe_failure(
                &e,
                m,
                &m.down_path,
                &m.down_sql,
                Sent::Statement {
                    offset: statement.offset,
                },
            );
            failure.state = format!(
                "this down script runs outside a transaction: statements 1 to {index} of {total} took effect and were NOT undone; the migration is still recorded as applied"
            );
            return Err(failure);
        }
    }
    session.client.batch_execute(delete).await.map_err(|e| {
        describe_failure(
            &e,
            m,
            &m.down_path,
            &m.down_sql,
            Sent::Statement { offset: 0 },
        )
    })
}
