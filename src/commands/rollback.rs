//! `strata rollback`.

use crate::cli::RollbackArgs;
use crate::ops::rollback::rollback;
use crate::ops::{Console, RollbackTarget};
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: RollbackArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    if let Some(spec) = &settings.fleet {
        return super::fleet::rollback(spec, target(&args), args.dry_run, settings, console).await;
    }
    let session = settings.session(console.progress()).await?;
    let report = rollback(
        &session,
        target(&args),
        args.dry_run,
        &settings.timeouts,
        console,
    )
    .await?;
    Ok(Outcome::Rollback(report))
}

/// The flags' target: `--all`, `--to`, `--phase`, `--steps` (one of them; default one step).
fn target(args: &RollbackArgs) -> RollbackTarget {
    match (args.steps, args.to, args.phase, args.all) {
        (_, _, _, true) => RollbackTarget::All,
        (_, Some(v), _, _) => RollbackTarget::To(v),
        (_, _, Some(p), _) => RollbackTarget::Phase(p),
        (Some(n), _, _, _) => RollbackTarget::Steps(n),
        _ => RollbackTarget::Steps(1),
    }
}
