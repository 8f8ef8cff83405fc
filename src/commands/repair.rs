//! `strata repair`.

use crate::cli::{Exit, RepairArgs};
use crate::ops::repair::{plan, repair, RepairReport};
use crate::ops::EngineError;
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: RepairArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let session = settings.connect("repair").await?;
    let report = if args.dry_run {
        RepairReport {
            items: plan(&session).await?,
            repaired: false,
        }
    } else {
        let (yes, interactive, json) =
            (args.yes, settings.output.interactive, settings.output.json);
        let mut confirm = move |items: &[_]| -> Result<bool, EngineError> {
            // Every change is shown before anything is recorded.
            if !json {
                eprint!("{}", render::repair_plan(items));
            }
            if yes {
                return Ok(true);
            }
            if !interactive {
                return Err(EngineError::NeedsConfirmationFor("repair".into()));
            }
            super::ask("Record these files as what was applied?").map_err(|e| EngineError::Db {
                context: "reading the answer".into(),
                message: e.to_string(),
            })
        };
        repair(&session, &timeouts, &mut confirm).await?
    };
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::repair(&mut out, &report)?;
    }
    Ok(Exit::Ok)
}
