//! `strata diff`.

use crate::cli::{DiffArgs, Purpose};
use crate::ops::diff::{diff, diff_databases, DiffOptions, ExpectedSource};
use crate::ops::snapshot::Snapshot;
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: DiffArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let options = DiffOptions {
        privileges: args.privileges,
        exclude: args.exclude,
        sql: args.sql,
        strict: args.strict,
    };
    if let Some(spec) = &settings.fleet {
        if settings.compare.is_some() || args.snapshot.is_some() || options.sql {
            anyhow::bail!("diff on a fleet compares each target with the migrations: --from/--to, --snapshot and --sql are for one database");
        }
        return super::fleet::diff(spec, options, settings, console).await;
    }
    if let Some((from, to)) = &settings.compare {
        let (from_client, from_params) = from.connect(Purpose::Diff, console.progress()).await?;
        let (to_client, to_params) = to.connect(Purpose::Diff, console.progress()).await?;
        let s = &settings.project.config.settings;
        let report = diff_databases(
            (&from_client, from_params.redacted()),
            (&to_client, to_params.redacted()),
            (&s.history_schema, &s.history_table),
            &options,
        )
        .await?;
        return Ok(Outcome::Diff(report));
    }
    let source = match args.snapshot {
        Some(file) => {
            let (snapshot, origin) = Snapshot::read(&settings.project, file.as_deref())?;
            ExpectedSource::Snapshot(Box::new(snapshot), origin)
        }
        None => ExpectedSource::Migrations(settings.scratch_servers.clone()),
    };
    let session = settings.session(console.progress()).await?;
    let report = diff(&session, source, &options, settings.timeouts.lock_wait).await?;
    if report.standby {
        console.note(&super::status::standby_note(&report.live));
    }
    Ok(Outcome::Diff(report))
}
