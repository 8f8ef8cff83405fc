//! `strata check`.

use crate::check::{check, plan, CheckOptions};
use crate::cli::{CheckArgs, Exit};
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: CheckArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let session = settings.connect("check").await?;
    let mut out = crate::render::stdout();
    if args.list {
        let checks = plan(&session).await?;
        if settings.output.json {
            render::json(&mut out, &checks)?;
        } else {
            render::check_list(&mut out, &checks, settings.output.color)?;
        }
        return Ok(Exit::Ok);
    }
    let options = CheckOptions {
        only: args.only,
        fix: args.fix,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        }),
    };
    // The pool connects where the session did (the local database is started by now).
    let report = check(&session, &settings.params(), &options, &timeouts).await?;
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::check(&mut out, &report, settings.output.color)?;
    }
    Ok(if report.has_errors() {
        Exit::Error
    } else if report.has_violations() {
        Exit::Violations
    } else {
        Exit::Ok
    })
}
