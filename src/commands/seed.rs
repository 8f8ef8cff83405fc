//! `strata seed`.

use crate::cli::{Exit, OnOff, SeedArgs};
use crate::render;
use crate::seed::{seed, SeedError, SeedOptions};
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: SeedArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let options = SeedOptions {
        profile: args.profile.clone(),
        scale: args.scale,
        rng_seed: args.rng_seed,
        reset: args.reset,
        triggers: args.triggers.map(|t| t == OnOff::On),
        jobs: args.jobs,
        connect: Some(settings.params()).filter(|_| args.jobs > 1),
    };
    let session = settings.connect("seed").await?;
    let (yes, interactive) = (args.yes, settings.output.interactive);
    let mut confirm = move |tables: &[String]| -> Result<bool, SeedError> {
        let list = tables.join(", ");
        if yes {
            return Ok(true);
        }
        if !interactive {
            return Err(SeedError::NeedsConfirmation(list));
        }
        super::ask(&format!("--reset deletes every row of: {list}. Go on?")).map_err(|e| {
            SeedError::Db {
                context: "reading the answer".into(),
                message: e.to_string(),
            }
        })
    };
    let mut progress = render::seed_progress_for(&settings.output);
    eprintln!(
        "strata: seeding profile '{}' with rng seed {}{}",
        options.profile,
        options
            .rng_seed
            .map(|s| s.to_string())
            .unwrap_or_else(|| "(the project's default)".into()),
        if options.profile == "load" {
            format!(", scale {}", options.scale)
        } else {
            String::new()
        }
    );
    let report = seed(
        &session,
        &options,
        &timeouts,
        &mut confirm,
        progress.as_mut(),
    )
    .await?;
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else {
        render::seed(&mut out, &report, settings.output.color)?;
    }
    Ok(Exit::Ok)
}
