//! `repair`: brings the history back in line with the files after a person has looked —
//! re-records the checksums of applied migrations whose files changed (each change shown
//! first, cosmetic ones labelled), and clears the record of a non-transactional migration
//! that stopped part-way once the database was fixed by hand.

use serde::Serialize;
use similar::TextDiff;

use super::{EngineError, Session, Timeouts};

/// What repair does to one migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairAction {
    /// Record the file's current checksum (and script).
    Rerecord,
    /// Forget the partial run, so apply starts the migration over.
    ClearPartial,
}

/// One migration repair would touch.
#[derive(Debug, Clone, Serialize)]
pub struct RepairItem {
    pub version: i64,
    pub name: String,
    pub file: String,
    pub action: RepairAction,
    /// Only comments, white space or line endings changed.
    pub cosmetic: bool,
    pub recorded_checksum: String,
    pub current_checksum: String,
    /// Unified diff from the script as it ran to the file now (when the history holds the
    /// script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// For a partial migration: statements that completed, and the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements_done: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The result of `repair`.
#[derive(Debug, Clone, Serialize)]
pub struct RepairReport {
    pub items: Vec<RepairItem>,
    pub repaired: bool,
}

/// What repair would do, from the history and the files.
pub async fn plan(session: &Session<'_>) -> Result<Vec<RepairItem>, EngineError> {
    let history = session.history_rows().await?;
    let mut items = Vec::new();
    for h in &history {
        let Some(m) = session.project.migrations.get(h.version) else {
            continue;
        };
        if h.is_partial() {
            items.push(RepairItem {
                version: h.version,
                name: m.name.clone(),
                file: m.up_path.clone(),
                action: RepairAction::ClearPartial,
                cosmetic: false,
                recorded_checksum: h.checksum.clone(),
                current_checksum: m.checksum.clone(),
                diff: None,
                statements_done: h.statements_done,
                error: h.error.clone(),
            });
        } else if h.checksum != m.checksum {
            let diff = h.script.as_ref().map(|old| {
                TextDiff::from_lines(&old.replace("\r\n", "\n"), &m.up_sql.replace("\r\n", "\n"))
                    .unified_diff()
                    .context_radius(2)
                    .header("as applied", "file now")
                    .to_string()
            });
            items.push(RepairItem {
                version: h.version,
                name: m.name.clone(),
                file: m.up_path.clone(),
                action: RepairAction::Rerecord,
                cosmetic: h.checksum_normalized.as_deref() == Some(m.checksum_normalized.as_str()),
                recorded_checksum: h.checksum.clone(),
                current_checksum: m.checksum.clone(),
                diff,
                statements_done: None,
                error: None,
            });
        }
    }
    Ok(items)
}

/// Repairs, after `confirm` has seen the plan (made under the lock) and agreed.
pub async fn repair(
    session: &Session<'_>,
    timeouts: &Timeouts,
    confirm: &mut dyn FnMut(&[RepairItem]) -> Result<bool, EngineError>,
) -> Result<RepairReport, EngineError> {
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
        if items.is_empty() || !confirm(&items)? {
            return Ok((items, false));
        }
        session
            .client
            .batch_execute("BEGIN")
            .await
            .map_err(EngineError::db("repair: BEGIN"))?;
        for item in &items {
            let m = session
                .project
                .migrations
                .get(item.version)
                .expect("planned from the set");
            let done = match item.action {
                RepairAction::Rerecord => session.history.rerecord(&session.client, m).await,
                RepairAction::ClearPartial => {
                    session
                        .client
                        .execute(
                            &format!(
                                "DELETE FROM {} WHERE version = $1 AND state = 'partial'",
                                session.history.qualified()
                            ),
                            &[&m.version],
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
