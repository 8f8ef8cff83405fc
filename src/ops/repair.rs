//! `repair`: brings the history back in line with the files after a person has looked —
//! re-records the checksums of applied migrations whose files changed (each change shown
//! first, cosmetic ones labelled), and clears the record of a non-transactional migration
//! that stopped part-way once the database was fixed by hand.

use serde::Serialize;

use super::plan::plan_repair;
pub use super::plan::{RepairAction, RepairItem};
use super::{Confirm, EngineError, Question, Session, Timeouts};

/// The result of `repair`.
#[derive(Debug, Clone, Serialize)]
pub struct RepairReport {
    pub items: Vec<RepairItem>,
    pub repaired: bool,
}

/// What repair would do, from the history and the files.
pub async fn plan(session: &Session<'_>) -> Result<Vec<RepairItem>, EngineError> {
    let history = session.history_rows().await?;
    Ok(plan_repair(session.project, &history))
}

/// Repairs, after `confirm` has seen the plan (made under the lock) and agreed.
pub async fn repair(
    session: &Session<'_>,
    timeouts: &Timeouts,
    confirm: &mut dyn Confirm,
) -> Result<RepairReport, EngineError> {
    session.require_primary("repair").await?;
    let preview = plan(session).await?;
    if preview.is_empty() {
        return Ok(RepairReport {
            items: preview,
            repaired: false,
        });
    }
    let lock = session.begin_writing(timeouts).await?;
    let result = async {
        let items = plan(session).await?;
        if items.is_empty() || !confirm.confirm(&Question::Repair(&items))? {
            return Ok((items, false));
        }
        session
            .client
            .batch_execute("BEGIN")
            .await
            .map_err(EngineError::db("repair: BEGIN"))?;
        for item in &items {
            let Some(m) = session.project.migrations.get(item.version) else {
                continue; // planned from the set
            };
            let done = match item.action {
                RepairAction::Rerecord => session.history.rerecord(&session.client, m).await,
                RepairAction::ClearPartial => {
                    session
                        .client
                        .execute_typed(
                            &format!(
                                "DELETE FROM {} WHERE version = $1 AND state = 'partial'",
                                session.history.qualified()
                            ),
                            &[(&m.version, tokio_postgres::types::Type::INT8)],
                        )
                        .await
                }
            };
            if let Err(e) = done {
                let _ = session.client.batch_execute("ROLLBACK").await;
                return Err(EngineError::db(format!("repair: {}", m.label()))(e));
            }
        }
        session
            .client
            .batch_execute("COMMIT")
            .await
            .map_err(EngineError::db("repair: COMMIT"))?;
        Ok((items, true))
    }
    .await;
    session.end_writing(lock).await;
    let (items, repaired) = result?;
    Ok(RepairReport { items, repaired })
}
