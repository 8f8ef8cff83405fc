//! `strata apply`.

use crate::cli::{ApplyArgs, Exit};
use crate::ops::apply::{apply, ApplyOptions};
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: ApplyArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let options = ApplyOptions {
        to: args.to,
        phase: args.phase,
        dry_run: args.dry_run,
        resume: args.resume,
        single_transaction: args.single_transaction,
        lint: settings.project.config.settings.lint,
    };
    let session = settings.connect("apply").await?;
    let mut progress = render::progress_for(&settings.output);
    let report = apply(&session, &options, &timeouts, progress.as_mut()).await?;
    render::lint::apply_findings(&report.lint);
    let mut out = std::io::stdout().lock();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::apply(&mut out, &report, settings.output.color)?;
    }
    Ok(Exit::Ok)
}
