//! `strata lint`.

use crate::cli::LintArgs;
use crate::lint::rules;
use crate::ops::lint::{lint, LintRequest};
use crate::ops::Console;
use crate::outcome::{LintOutcome, Outcome};
use crate::settings::Settings;

pub async fn run(
    args: LintArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    if let Some(id) = &args.explain {
        return Ok(Outcome::LintExplain(rules::explain_list(id)?));
    }
    // Live sizes and the pending migrations come from a configured database only: the
    // local database is not started for a lint.
    let session = match settings.live.local {
        None => Some(settings.session(console.progress()).await?),
        Some(_) => None,
    };
    let request = LintRequest {
        files: args.files,
        trace: args.trace,
        fix: args.fix,
        candidates: settings.scratch_servers.clone(),
    };
    let report = lint(&settings.project, session.as_ref(), &request, console).await?;
    Ok(Outcome::Lint(LintOutcome {
        report,
        format: args.format,
    }))
}
