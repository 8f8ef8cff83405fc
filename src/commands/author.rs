//! `init` and `new` (write project files), `completions` and `man` (print what clap's
//! definition of the command line gives): no database, no settings beyond `--project`.

use crate::author::{self, NewOptions};
use crate::cli::{Cli, CompletionsArgs, GlobalArgs, InitArgs, NewArgs};
use crate::outcome::{Generated, Outcome};
use crate::project::Project;

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
