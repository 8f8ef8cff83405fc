//! `rollback`: run down scripts newest first, each in a transaction with the removal of its
//! history row (statement by statement for a `no-transaction` down script).

use std::time::Instant;

use serde::Serialize;

use super::apply::ends_with_semicolon;
use super::error::{describe_failure, Sent};
use super::lockwait::Watch;
use super::plan::{plan_rollback, PlannedRollback, RollbackTarget};
use super::session::{Retry, ScriptRef};
use super::status::{compute, StatusReport};
use super::{Console, EngineError, MigrationFailure, Question, Session, Timeouts};
use crate::migration::Migration;

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

/// Rolls back. The console is asked to confirm the plan (made under the lock) before
/// anything runs, and shows the console.
pub async fn rollback(
    session: &Session<'_>,
    target: RollbackTarget,
    dry_run: bool,
    timeouts: &Timeouts,
    console: &mut dyn Console,
) -> Result<RollbackReport, EngineError> {
    let started = Instant::now();
    session.require_primary("roll back").await?;
    let history = session.history_rows().await?;
    // Bad targets are refused before anything is written (the history table included).
    let planned = plan_rollback(session.project, &history, target)?;
    if dry_run {
        return Ok(RollbackReport {
            dry_run: true,
            sql: Some(dry_run_sql(session, &planned)),
            rolled_back: planned,
            total_ms: started.elapsed().as_millis() as u64,
            status: compute(session.project, &history, &session.target),
        });
    }
    let lock = session.begin_writing(timeouts).await?;
    let retry = Retry {
        timeouts,
        lock: &lock,
        outcome: "the migration was not rolled back",
    };
    let result = rollback_locked(session, target, &retry, console).await;
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

/// The SQL a dry run shows: what strata would send, runnable by psql.
fn dry_run_sql(session: &Session<'_>, planned: &[PlannedRollback]) -> String {
    let mut sql = String::new();
    for m in planned
        .iter()
        .filter_map(|p| session.project.migrations.get(p.version))
    {
        sql.push_str(&format!(
            "-- strata: roll back {} ({})\n",
            m.label(),
            m.down_path
        ));
        if m.down_no_transaction() {
            sql.push_str("-- runs outside a transaction, one statement at a time\n");
            for s in &m.down_statements {
                sql.push_str(&s.sql);
                sql.push_str(";\n");
            }
            sql.push_str(&session.history.delete_migration_sql(m));
            sql.push_str(";\n\n");
        } else {
            sql.push_str("BEGIN;\n");
            sql.push_str(m.down_sql.trim_end());
            sql.push_str(if ends_with_semicolon(&m.down_sql) {
                "\n"
            } else {
                "\n;\n"
            });
            sql.push_str(&session.history.delete_migration_sql(m));
            sql.push_str(";\nCOMMIT;\n\n");
        }
    }
    sql
}

async fn rollback_locked(
    session: &Session<'_>,
    target: RollbackTarget,
    retry: &Retry<'_>,
    console: &mut dyn Console,
) -> Result<Vec<PlannedRollback>, EngineError> {
    let history = session.history_rows().await?;
    let planned = plan_rollback(session.project, &history, target)?;
    if planned.is_empty() {
        return Ok(planned);
    }
    if !console.confirm(&Question::Rollback(&planned))? {
        return Err(EngineError::Cancelled);
    }
    let mut done = Vec::new();
    let mut watch = Watch::new(&session.client, &session.params, retry.timeouts.ddl_lock).await;
    console.start(planned.len(), "rolling back");
    for p in planned {
        let Some(m) = session.project.migrations.get(p.version) else {
            continue; // planned from the set
        };
        console.begin(m);
        let t0 = Instant::now();
        let delete = session.history.delete_migration_sql(m);
        let result = if m.down_no_transaction() {
            run_down_statements(session, m, &delete).await
        } else {
            session
                .run_in_transaction_retrying(
                    m,
                    ScriptRef::down(m),
                    &delete,
                    retry,
                    &mut watch,
                    console.progress(),
                )
                .await
        };
        if let Err(mut failure) = result {
            console.finish();
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
        console.done(m, t0.elapsed().as_millis() as u64);
        done.push(p);
    }
    console.finish();
    Ok(done)
}

async fn run_down_statements(
    session: &Session<'_>,
    m: &Migration,
    delete: &str,
) -> Result<(), MigrationFailure> {
    let total = m.down_statements.len();
    for (index, statement) in m.down_statements.iter().enumerate() {
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
