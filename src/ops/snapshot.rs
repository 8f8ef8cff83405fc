//! `snapshot`: the expected schema stored in a file (`schema.snapshot.json`), so drift can
//! be checked where no scratch database can be made. The file records which migrations it
//! was built from, so a stale snapshot is noticed.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::shadow::{expected_schema, Candidate};
use super::EngineError;
use crate::introspect::{CatalogModel, IntrospectOptions};
use crate::project::Project;

/// File name of the snapshot in a project.
pub const SNAPSHOT_FILE: &str = "schema.snapshot.json";

/// Format version of the snapshot file.
pub const SNAPSHOT_FORMAT: u32 = 2;

/// Which migrations a snapshot was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationsFingerprint {
    pub count: usize,
    pub last_version: Option<i64>,
    /// SHA-256 over `version:checksum` of every migration, in order.
    pub sha256: String,
}

impl MigrationsFingerprint {
    pub fn of(project: &Project) -> MigrationsFingerprint {
        let mut hash = Sha256::new();
        for m in &project.migrations.migrations {
            hash.update(format!("{}:{}\n", m.version, m.checksum));
        }
        MigrationsFingerprint {
            count: project.migrations.len(),
            last_version: project.migrations.migrations.last().map(|m| m.version),
            sha256: format!("{:x}", hash.finalize()),
        }
    }
}

/// The stored expected schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub project: String,
    /// `server_version_num` of the server the migrations ran on.
    pub server_version: String,
    pub migrations: MigrationsFingerprint,
    pub model: CatalogModel,
}

impl Snapshot {
    /// Pretty JSON with a final newline: stable, diff-friendly.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn parse(text: &str, origin: &str) -> Result<Snapshot, EngineError> {
        let snapshot: Snapshot = serde_json::from_str(text)
            .map_err(|e| EngineError::Snapshot(format!("{origin}: {e}")))?;
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(EngineError::Snapshot(format!(
                "{origin}: snapshot format {} (this strata reads format {SNAPSHOT_FORMAT})",
                snapshot.format
            )));
        }
        Ok(snapshot)
    }

    /// The project's own snapshot (embedded in the binary for the default project).
    pub fn of_project(project: &Project) -> Result<Snapshot, EngineError> {
        let origin = project.display_path(SNAPSHOT_FILE);
        let bytes = project.files.get(SNAPSHOT_FILE).ok_or_else(|| {
            EngineError::Snapshot(format!(
                "{origin} does not exist: run `strata snapshot` to write it"
            ))
        })?;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| EngineError::Snapshot(format!("{origin}: {e}")))?;
        Snapshot::parse(text, &origin)
    }

    /// The snapshot `diff --snapshot [FILE]` compares with: FILE (a regular file, read
    /// with a size bound), else the project's own. Returns it and where it came from.
    pub fn read(project: &Project, file: Option<&Path>) -> Result<(Snapshot, String), EngineError> {
        let Some(path) = file else {
            return Ok((
                Snapshot::of_project(project)?,
                project.display_path(SNAPSHOT_FILE),
            ));
        };
        use crate::project::read::{read_regular, MAX_SNAPSHOT_BYTES};
        let origin = path.display().to_string();
        let bytes = read_regular(path, MAX_SNAPSHOT_BYTES)
            .map_err(|e| EngineError::file(format!("reading {origin}"), e))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| EngineError::file(format!("reading {origin}"), e))?;
        Ok((Snapshot::parse(&text, &origin)?, origin))
    }

    /// Writes the snapshot to `path`.
    pub fn write(&self, path: &Path) -> Result<(), EngineError> {
        std::fs::write(path, self.to_json())
            .map_err(|e| EngineError::file(format!("writing {}", path.display()), e))
    }

    /// Why this snapshot does not describe the project's current migrations, if it does not.
    pub fn staleness(&self, project: &Project) -> Option<String> {
        let now = MigrationsFingerprint::of(project);
        (now != self.migrations).then(|| {
            format!(
                "the snapshot was built from {} migrations (up to {}), the project has {} (up to {}) or they changed: run `strata snapshot` to refresh it",
                self.migrations.count,
                self.migrations.last_version.map(|v| v.to_string()).unwrap_or_else(|| "none".into()),
                now.count,
                now.last_version.map(|v| v.to_string()).unwrap_or_else(|| "none".into()),
            )
        })
    }
}

/// Builds the snapshot of the project's migrations on a scratch database.
pub async fn snapshot(
    project: &Project,
    candidates: &[Candidate],
    lock_wait: std::time::Duration,
) -> Result<Snapshot, EngineError> {
    let settings = &project.config.settings;
    let options = IntrospectOptions {
        history_schema: settings.history_schema.clone(),
        history_table: settings.history_table.clone(),
        privileges: false,
        dependencies: true,
    };
    let (introspection, _) = expected_schema(project, candidates, &options, lock_wait).await?;
    Ok(Snapshot {
        format: SNAPSHOT_FORMAT,
        project: project.config.project.name.clone(),
        server_version: introspection.server_version,
        migrations: MigrationsFingerprint::of(project),
        model: introspection.model,
    })
}
