//! `strata local start|stop|status|url|destroy`.

use anyhow::bail;

use crate::cli::{Exit, LocalAction};
use crate::render_local::{local as render, LocalResult};
use crate::settings::{DatabaseTarget, GlobalInput, Settings};

pub async fn run(input: &GlobalInput, action: LocalAction) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let mut cluster = match &settings.target {
        DatabaseTarget::Local(c) => c.clone(),
        DatabaseTarget::Configured(_) => crate::local::Cluster::for_project(
            settings.project.dir(),
            &settings.project.config.project.name,
        ),
    };
    let db = settings.local_dbname();
    let result = match action {
        LocalAction::Start { tcp_port } => {
            if let Some(port) = tcp_port {
                cluster.listen_on_tcp(port)?;
            }
            let was_trust = cluster.is_initialized() && cluster.status().password_file.is_none();
            let started = cluster.start()?;
            cluster.ensure_database(&db).await?;
            // Remembered only once the server runs with it.
            cluster.remember_tcp_port()?;
            let status = cluster.status();
            LocalResult::Started {
                started,
                root: status.root,
                url: cluster.params(&db).redacted(),
                tcp_url: cluster
                    .options
                    .tcp_port
                    .map(|port| format!("postgres://postgres@127.0.0.1:{port}/{db}")),
                converted_from_trust: was_trust && status.converted_from_trust.is_some(),
                pgpass_file: status.pgpass_file,
            }
        }
        LocalAction::Stop => LocalResult::Stopped {
            stopped: cluster.stop()?,
        },
        LocalAction::Status => LocalResult::Status {
            status: cluster.status(),
            url: cluster.params(&db).redacted(),
        },
        LocalAction::Url { with_password } => LocalResult::Url {
            url: if with_password {
                let mut params = cluster.params(&db);
                params.password = Some(cluster.password()?);
                params.to_url()
            } else {
                cluster.params(&db).redacted()
            },
        },
        LocalAction::Destroy { yes } => {
            if !yes {
                if !settings.output.interactive {
                    bail!("destroy deletes the local database and all its data: pass --yes to confirm (no terminal to ask on)");
                }
                if !super::ask(&format!(
                    "Delete the local database in {} and all its data?",
                    cluster.root.display()
                ))? {
                    bail!("cancelled; nothing was deleted");
                }
            }
            LocalResult::Destroyed {
                deleted: cluster.destroy()?,
                root: cluster.root.display().to_string(),
            }
        }
    };
    render(&mut crate::render::stdout(), &result, settings.output.json)?;
    Ok(Exit::Ok)
}
