//! `strata apply`.

use crate::cli::ApplyArgs;
use crate::ops::apply::{apply, no_op};
use crate::ops::{ApplyOptions, Console, Session};
use crate::outcome::Outcome;
use crate::project::Project;
use crate::settings::Settings;

pub async fn run(
    args: ApplyArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let options = ApplyOptions {
        to: args.to,
        phase: args.phase,
        dry_run: args.dry_run,
        resume: args.resume,
        single_transaction: args.single_transaction,
        lint: Some(settings.project.config.settings.lint),
        halt: None,
        lint_memo: None,
    };
    if let Some(spec) = &settings.fleet {
        return super::fleet::apply(spec, options, settings, console).await;
    }
    let session = settings.session(console.progress()).await?;
    if settings.project.scripts_read {
        let report = apply(&session, &options, &settings.timeouts, console.progress()).await?;
        return Ok(Outcome::Apply(report));
    }
    // Loaded from the checksum cache (no SQL text): enough to find there is nothing to do;
    // anything to run is planned again on the scripts read in full.
    if let Some(report) = no_op(&session, &options).await? {
        return Ok(Outcome::Apply(report));
    }
    let project = Project::load(settings.project.dir())?;
    let session = Session {
        project: &project,
        ..session
    };
    let report = apply(&session, &options, &settings.timeouts, console.progress()).await?;
    Ok(Outcome::Apply(report))
}
