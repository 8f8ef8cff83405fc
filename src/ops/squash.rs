//! `squash`: the migrations up to a version replaced by one generated migration (built as
//! `init --from-database` builds its first: empty → the schema those migrations make on a
//! scratch database, proven before anything is written). The new migration takes the last
//! replaced version and lists every replaced version in a `-- strata:squashes` line; a
//! database that ran the old migrations holds all of those versions, and [`fold`] reads
//! such a history as holding the squash, so `status` is clean and `apply` runs nothing.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::generate::{prove_pair, GenerateError, PairSides};
use super::shadow::{create, expected_schema_upto, Candidate};
use super::EngineError;
use crate::author::{self, AuthorError, PlannedPair};
use crate::history::HistoryRow;
use crate::introspect::{introspect, IntrospectOptions};
use crate::migration::SQUASHES_DIRECTIVE;
use crate::project::Project;

/// A history that holds every version a squash replaced, read as holding the squash: those
/// rows become one row of the squash (its checksum, the latest time, the summed duration).
/// A history that recorded the squash itself, or lacks one of the versions, is unchanged.
pub fn fold(project: &Project, mut rows: Vec<HistoryRow>) -> Vec<HistoryRow> {
    for m in project
        .migrations
        .migrations
        .iter()
        .filter(|m| !m.squashes.is_empty())
    {
        if rows
            .iter()
            .any(|h| h.version == m.version && h.checksum == m.checksum)
        {
            continue;
        }
        let holds_all = m
            .squashes
            .iter()
            .all(|v| rows.iter().any(|h| h.version == *v && !h.is_partial()));
        if !holds_all {
            continue;
        }
        let (replaced, kept): (Vec<HistoryRow>, Vec<HistoryRow>) = rows
            .into_iter()
            .partition(|h| m.squashes.contains(&h.version));
        rows = kept;
        let Some(last) = replaced.iter().max_by_key(|h| h.applied_at) else {
            continue;
        };
        rows.push(HistoryRow {
            version: m.version,
            name: m.name.clone(),
            phase: m.phase.clone(),
            checksum: m.checksum.clone(),
            checksum_normalized: Some(m.checksum_normalized.clone()),
            applied_at: last.applied_at,
            execution_ms: replaced.iter().map(|h| h.execution_ms).sum(),
            applied_by: format!(
                "{} (as the {} migrations it squashes)",
                last.applied_by,
                replaced.len()
            ),
            state: "applied".into(),
            statements_done: None,
            error: None,
            script: Some(m.up_sql.clone()),
        });
        rows.sort_by_key(|h| h.version);
    }
    rows
}

/// What to squash, and what becomes of the old files.
#[derive(Debug, Clone)]
pub struct SquashOptions {
    pub to: i64,
    /// Move the replaced files here (by phase folder); `None`: delete them.
    pub keep_in: Option<PathBuf>,
}

/// What `squash` did.
#[derive(Debug, Serialize)]
pub struct SquashReport {
    pub version: i64,
    pub up: PathBuf,
    pub down: PathBuf,
    /// The migrations replaced (`1001_extensions`, ...).
    pub replaced: Vec<String>,
    /// Every version the new migration stands for (its `-- strata:squashes` line).
    pub squashes: Vec<i64>,
    pub statements: usize,
    /// Where the old files went; absent when they were deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_in: Option<PathBuf>,
    pub verified: bool,
}

/// Replaces the migrations up to `options.to` with one, proven equal first.
pub async fn squash(
    project: &Project,
    candidates: &[Candidate],
    options: &SquashOptions,
    lock_wait: std::time::Duration,
) -> Result<SquashReport, GenerateError> {
    let dir = project.dir().ok_or(AuthorError::Embedded)?;
    let last = project
        .migrations
        .get(options.to)
        .ok_or(EngineError::UnknownVersion(options.to))?;
    let replaced: Vec<_> = project
        .migrations
        .migrations
        .iter()
        .filter(|m| m.version <= options.to)
        .collect();
    if replaced.len() < 2 {
        return Err(GenerateError::Refused(format!(
            "nothing to squash: {} is the only migration up to {}",
            last.label(),
            options.to
        )));
    }
    let mut squashes: Vec<i64> = replaced
        .iter()
        .flat_map(|m| m.squashes.iter().copied().chain([m.version]))
        .collect();
    squashes.sort_unstable();
    squashes.dedup();
    let s = &project.config.settings;
    let io = IntrospectOptions {
        history_schema: s.history_schema.clone(),
        history_table: s.history_table.clone(),
        privileges: true,
    };
    let (desired, _) =
        expected_schema_upto(project, candidates, &io, lock_wait, Some(options.to)).await?;
    if let Some((kind, names)) = desired
        .model
        .not_compared
        .iter()
        .find(|(_, n)| !n.is_empty())
    {
        return Err(GenerateError::Refused(format!(
            "cannot squash: the migrations up to {} make objects of a kind strata does not generate ({kind}: {})",
            options.to,
            names.iter().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let list: Vec<String> = squashes.iter().map(i64::to_string).collect();
    let directive = SQUASHES_DIRECTIVE.trim_start_matches("-- ");
    let headers = (
        format!(
            "{directive} {}\n{} squashed: up, generated by strata squash --to {}\nthe schema migrations {} to {} made (they are listed above; a database that ran them holds this one)",
            list.join(" "),
            options.to,
            options.to,
            replaced[0].label(),
            last.label()
        ),
        format!(
            "{} squashed: down, generated by strata squash\ndrops everything the up script makes",
            options.to
        ),
    );
    let scratch = create(candidates).await?;
    let proven = async {
        let client = scratch
            .params()
            .connect()
            .await
            .map_err(EngineError::connect("connecting to the scratch database"))?;
        let empty = introspect(&client, &io).await.map_err(EngineError::from)?;
        prove_pair(
            &client,
            &io,
            PairSides {
                current: &empty,
                from: &empty,
                desired: &desired,
            },
            &[],
            true,
            true,
            headers,
        )
        .await
    }
    .await;
    let dropped = scratch.drop_now().await;
    let pair = proven?;
    dropped?;
    // Proven: now the files.
    for m in &replaced {
        for rel in [&m.up_path, &m.down_path] {
            let from = dir.join(rel);
            match &options.keep_in {
                Some(keep) => move_into(&from, keep, &m.phase)?,
                None => std::fs::remove_file(&from).map_err(|source| AuthorError::Io {
                    path: from.clone(),
                    source,
                })?,
            }
        }
    }
    let folder_path = dir.join("migrations").join(&last.phase);
    let planned = PlannedPair {
        version: options.to,
        numbering: author::Numbering::Sequence,
        folder: last.phase.clone(),
        up: folder_path.join(format!("{}_squashed.up.sql", options.to)),
        down: folder_path.join(format!("{}_squashed.down.sql", options.to)),
        folder_path,
        new_phase: None,
    };
    author::write_pair(project, &planned, &pair.up_sql, &pair.down_sql)?;
    Ok(SquashReport {
        version: options.to,
        up: planned.up,
        down: planned.down,
        replaced: replaced.iter().map(|m| m.label()).collect(),
        squashes,
        statements: pair.up.statements.len(),
        kept_in: options.keep_in.clone(),
        verified: true,
    })
}

/// Moves `file` into `keep/phase/` (made if missing), never over an existing file.
fn move_into(file: &Path, keep: &Path, phase: &str) -> Result<(), AuthorError> {
    let folder = keep.join(phase);
    std::fs::create_dir_all(&folder).map_err(|source| AuthorError::Io {
        path: folder.clone(),
        source,
    })?;
    let to = folder.join(file.file_name().unwrap_or_default());
    if to.symlink_metadata().is_ok() {
        return Err(AuthorError::FileExists { path: to });
    }
    std::fs::rename(file, &to).map_err(|source| AuthorError::Io {
        path: file.to_path_buf(),
        source,
    })
}
