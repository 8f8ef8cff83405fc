//! `init` and `new` (write project files; `init --from-database` reads a database first), `completions` and `man` (print what clap's
//! definition of the command line gives): no database, no settings beyond `--project`.

use crate::author::{self, NewOptions};
use crate::cli::{Cli, CompletionsArgs, GlobalArgs, InitArgs, NewArgs};
use crate::ops::adopt::{adopt, AdoptOptions};
use crate::ops::baseline::baseline;
use crate::ops::{Console, Session};
use crate::outcome::{Generated, Outcome};
use crate::project::Project;
use crate::settings::Settings;

pub fn init(args: InitArgs) -> anyhow::Result<Outcome> {
    Ok(Outcome::Init(author::init(
        &args.dir,
        args.name.as_deref(),
    )?))
}

pub fn new(args: NewArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let dir = global
        .project
        .as_deref()
        .ok_or(author::AuthorError::Embedded)?;
    let project = Project::load(Some(dir))?;
    let options = NewOptions {
        name: args.name,
        phase: args.phase,
        no_transaction: args.no_transaction,
        new_phase: args.new_phase,
    };
    let now = chrono::Utc::now().naive_utc();
    Ok(Outcome::New(author::new_migration(
        &project, &options, now,
    )?))
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "strata", &mut script);
    Ok(Outcome::Generated(Generated {
        kind: format!("completions {}", args.shell),
        text: String::from_utf8(script)?,
    }))
}

pub fn man() -> anyhow::Result<Outcome> {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(Outcome::Generated(Generated {
        kind: "man".into(),
        text: String::from_utf8(page)?,
    }))
}

/// `init --from-database`: adopt an existing database, then record the first migration as
/// applied there (`baseline`: offered on a terminal, run with `--baseline` otherwise).
pub async fn init_from_database(
    args: InitArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let source = settings
        .desired
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("internal: --from-database was not resolved"))?;
    let options = AdoptOptions {
        dir: args.dir,
        name: args.name,
        privileges: !args.no_privileges,
        split_by_kind: args.split_by.is_some(),
    };
    let now = chrono::Utc::now().naive_utc();
    let mut report = adopt(
        &source.params_for(settings.purpose),
        &settings.scratch_servers,
        &options,
        now,
    )
    .await?;
    // Offered on a terminal (baseline asks); without one, only with --baseline (and --yes).
    if args.baseline || console.can_ask() {
        let project = Project::load(Some(&options.dir))?;
        let (client, params) = source.connect(settings.purpose, console.progress()).await?;
        let session = Session::new(client, &project, params);
        report.baseline = Some(
            baseline(
                &session,
                report.version,
                &settings.scratch_servers,
                &settings.timeouts,
                console,
            )
            .await?,
        );
    }
    Ok(Outcome::Adopt(report))
}
