//! `strata snapshot`.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::{Exit, SnapshotArgs};
use crate::ops::snapshot::{snapshot, Snapshot, SNAPSHOT_FILE};
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: SnapshotArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    if let crate::settings::DatabaseTarget::Local(_) = &settings.target {
        // The local server must run before a scratch database can be made on it.
        drop(settings.connect("snapshot").await?);
    }
    let candidates = super::diff::candidates(&settings, args.shadow_url.as_deref())?;
    let fresh = snapshot(&settings.project, &candidates, settings.lock_timeout).await?;
    let text = fresh.to_json();
    let mut out = crate::render::stdout();
    if args.check {
        let current = Snapshot::of_project(&settings.project)?;
        if current.model == fresh.model && current.migrations == fresh.migrations {
            writeln!(
                out,
                "{} is up to date with the migrations",
                settings.project.display_path(SNAPSHOT_FILE)
            )?;
            return Ok(Exit::Ok);
        }
        writeln!(
            out,
            "{} is out of date with the migrations: run `strata snapshot` to refresh it",
            settings.project.display_path(SNAPSHOT_FILE)
        )?;
        return Ok(Exit::Drift);
    }
    let target: Option<PathBuf> = match &args.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p.clone()),
        None => settings.project.dir().map(|d| d.join(SNAPSHOT_FILE)),
    };
    match target {
        None => write!(out, "{text}")?,
        Some(path) => {
            std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
            let m = &fresh.model;
            if settings.output.json {
                crate::render::json(
                    &mut out,
                    &serde_json::json!({"written": path, "tables": m.tables.len(), "views": m.views.len(), "functions": m.functions.len()}),
                )?;
            } else {
                writeln!(
                    out,
                    "wrote {} ({} tables, {} views, {} functions, {} types)",
                    path.display(),
                    m.tables.len(),
                    m.views.len(),
                    m.functions.len(),
                    m.types.len()
                )?;
            }
        }
    }
    Ok(Exit::Ok)
}
