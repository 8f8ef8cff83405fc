//! `baseline`: adopts a database whose schema was made before strata. Migrations up to a
//! version are recorded as applied without running them — after the diff engine has shown
//! that the database really has everything those migrations make.

use serde::Serialize;

use super::diff::introspect_options;
use super::shadow::{expected_schema_upto, Candidate};
use super::{Confirm, EngineError, Question, Session, Timeouts};
use crate::diff::{compare, Change, CompareOptions, Difference};

/// The result of `baseline`.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineReport {
    pub to: i64,
    /// Versions recorded by this run.
    pub recorded: Vec<i64>,
    /// Objects the migrations make that the database lacks or has differently: always
    /// empty in a report, since such a database is refused ([`EngineError::Incomplete`]).
    pub missing: Vec<Difference>,
}

/// Checks the live schema against the migrations up to `to` and records them as applied.
pub async fn baseline(
    session: &Session<'_>,
    to: i64,
    candidates: &[Candidate],
    timeouts: &Timeouts,
    confirm: &mut dyn Confirm,
) -> Result<BaselineReport, EngineError> {
    let project = session.project;
    if project.migrations.get(to).is_none() {
        return Err(EngineError::UnknownVersion(to));
    }
    session.require_primary("baseline").await?;
    let history = session.history_rows().await?;
    if let Some(newer) = history.iter().find(|h| h.version > to) {
        return Err(EngineError::NewerRecorded {
            recorded: newer.version,
            to,
        });
    }
    let io = introspect_options(project, false, true);
    let (expected, _) =
        expected_schema_upto(project, candidates, &io, timeouts.lock_wait, Some(to)).await?;
    let live = super::consistent::introspect_live(session, &io).await?;
    // Extra objects are fine (later migrations, or things strata does not manage); what
    // the migrations make must be there, and be the same.
    let missing: Vec<Difference> =
        compare(&expected.model, &live.model, &CompareOptions::default())
            .into_iter()
            .filter(|d| d.change != Change::Extra)
            .collect();
    if !missing.is_empty() {
        return Err(EngineError::Incomplete { to, missing });
    }
    let todo: Vec<i64> = project
        .migrations
        .migrations
        .iter()
        .filter(|m| m.version <= to && !history.iter().any(|h| h.version == m.version))
        .map(|m| m.version)
        .collect();
    if todo.is_empty() || !confirm.confirm(&Question::Baseline(&todo))? {
        return Ok(BaselineReport {
            to,
            recorded: Vec::new(),
            missing,
        });
    }
    let lock = session.begin_writing(timeouts).await?;
    let result = async {
        // Decided again from the history read under the lock: a run that held it before us
        // may have recorded some of these, or newer ones.
        let history = session.history_rows().await?;
        if let Some(newer) = history.iter().find(|h| h.version > to) {
            return Err(EngineError::NewerRecorded {
                recorded: newer.version,
                to,
            });
        }
        let todo: Vec<i64> = todo
            .iter()
            .copied()
            .filter(|v| !history.iter().any(|h| h.version == *v))
            .collect();
        let mut sql = String::from("BEGIN;\n");
        for v in &todo {
            let Some(m) = project.migrations.get(*v) else {
                continue; // from the set
            };
            sql.push_str(&session.history.insert_applied_sql(m));
            sql.push_str(";\n");
            sql.push_str(&format!(
                "UPDATE {} SET execution_ms = 0, applied_by = current_user || ' (strata {} baseline)' WHERE version = {};\n",
                session.history.qualified(),
                env!("CARGO_PKG_VERSION"),
                v
            ));
        }
        sql.push_str("COMMIT;");
        if let Err(e) = session.client.batch_execute(&sql).await {
            let _ = session.client.batch_execute("ROLLBACK").await;
            return Err(EngineError::db("recording the baseline")(e));
        }
        Ok(todo)
    }
    .await;
    session.end_writing(lock).await;
    let recorded = result?;
    Ok(BaselineReport {
        to,
        recorded,
        missing,
    })
}
