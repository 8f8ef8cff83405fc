//! `strata local start|stop|status|url|destroy`.

use crate::cli::{LocalAction, LocalArgs};
use crate::ops::local::{self, LocalResult};
use crate::ops::Console;
use crate::outcome::Outcome;
use crate::settings::Settings;

pub async fn run(
    args: LocalArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> anyhow::Result<Outcome> {
    let cluster = settings.local();
    let db = &settings.project.config.project.name;
    let result = match args.action {
        LocalAction::Start { tcp_port } => local::start(cluster.clone(), db, tcp_port).await?,
        LocalAction::Stop => LocalResult::Stopped {
            stopped: cluster.stop()?,
        },
        LocalAction::Status => LocalResult::Status {
            status: cluster.status(),
            url: cluster.params(db).redacted(),
        },
        LocalAction::Url { with_password } => local::url(cluster, db, with_password)?,
        LocalAction::Destroy { .. } => local::destroy(cluster, console)?,
    };
    Ok(Outcome::Local(result))
}
