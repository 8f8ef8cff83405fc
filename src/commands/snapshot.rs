//! `strata snapshot`.

use crate::cli::SnapshotArgs;
use crate::ops::snapshot::{snapshot, Snapshot, SNAPSHOT_FILE};
use crate::ops::Console;
use crate::outcome::{Outcome, SnapshotOutcome};
use crate::settings::Settings;

pub async fn run(
    args: SnapshotArgs,
    settings: &Settings,
    _console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let project = &settings.project;
    let fresh = snapshot(
        project,
        &settings.scratch_servers,
        settings.timeouts.lock_wait,
    )
    .await?;
    if args.check {
        let current = Snapshot::of_project(project)?;
        return Ok(Outcome::Snapshot(SnapshotOutcome::Checked {
            file: project.display_path(SNAPSHOT_FILE),
            up_to_date: current.model == fresh.model && current.migrations == fresh.migrations,
        }));
    }
    let path = match args.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p),
        None => project.dir().map(|d| d.join(SNAPSHOT_FILE)),
    };
    let Some(path) = path else {
        return Ok(Outcome::Snapshot(SnapshotOutcome::Text(fresh.to_json())));
    };
    fresh.write(&path)?;
    let m = &fresh.model;
    Ok(Outcome::Snapshot(SnapshotOutcome::Written {
        path,
        tables: m.tables.len(),
        views: m.views.len(),
        functions: m.functions.len(),
        types: m.types.len(),
    }))
}
