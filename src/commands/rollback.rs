//! `strata rollback`.

use crate::cli::{Exit, RollbackArgs};
use crate::ops::rollback::{rollback, Target};
use crate::ops::EngineError;
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: RollbackArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let target = match (args.steps, args.to, args.phase, args.all) {
        (_, _, _, true) => Target::All,
        (_, Some(v), _, _) => Target::To(v),
        (_, _, Some(p), _) => Target::Phase(p),
        (Some(n), _, _, _) => Target::Steps(n),
        _ => Target::Steps(1),
    };
    let session = settings.connect("rollback").await?;
    let mut progress = render::progress_for(&settings.output);
    let (yes, interactive) = (args.yes, settings.output.interactive);
    let mut confirm = move |planned: &[_]| -> Result<bool, EngineError> {
        if yes {
            return Ok(true);
        }
        if !interactive {
            return Err(EngineError::NeedsConfirmation);
        }
        eprint!("{}", render::rollback_plan(planned));
        super::ask("Roll back?").map_err(|e| EngineError::Db {
            context: "reading the answer".into(),
            message: e.to_string(),
        })
    };
    let report = rollback(
        &session,
        target,
        args.dry_run,
        &timeouts,
        progress.as_mut(),
        &mut confirm,
    )
    .await?;
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::rollback(&mut out, &report, settings.output.color)?;
    }
    Ok(Exit::Ok)
}
