//! `strata check`.

use crate::check::{check, plan, CheckOptions};
use crate::cli::CheckArgs;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: CheckArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    if args.list && settings.fleet.is_some() {
        anyhow::bail!("check --list describes one database's checks: run it without --targets, --targets-query or --schemas");
    }
    if let Some(spec) = settings.fleet.as_ref().filter(|_| !args.list) {
        let options = CheckOptions {
            only: args.only.clone(),
            fix: args.fix,
            jobs: args.jobs.unwrap_or(1),
        };
        return super::fleet::check(spec, options, settings, console).await;
    }
    let session = settings.session(console.progress()).await?;
    if args.list {
        return Ok(Outcome::CheckList(plan(&session).await?));
    }
    let options = CheckOptions {
        only: args.only.clone(),
        fix: args.fix,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        }),
    };
    let report = check(&session, &options, &settings.timeouts).await?;
    if report.standby {
        console.note(&super::status::standby_note(&report.database));
    }
    Ok(Outcome::Check(report, args.all))
}
