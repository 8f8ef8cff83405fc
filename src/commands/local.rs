//! `strata local start|stop|status|url|destroy`.

use anyhow::bail;

use crate::cli::{Exit, LocalAction};
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
    let url = cluster.params(&db).redacted();
    let json = settings.output.json;
    let say = |text: String, value: serde_json::Value| {
        if json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    };
    match action {
        LocalAction::Start { tcp_port } => {
            if let Some(port) = tcp_port {
                cluster.listen_on_tcp(port)?;
            }
            let url = cluster.params(&db).redacted();
            let started = cluster.start()?;
            cluster.ensure_database(&db).await?;
            let tcp_url = cluster
                .options
                .tcp_port
                .map(|port| format!("postgres://postgres@127.0.0.1:{port}/{db}"));
            say(
                format!(
                    "local database {} in {}\n{url}{}",
                    if started {
                        "started"
                    } else {
                        "already running"
                    },
                    cluster.root.display(),
                    tcp_url
                        .as_deref()
                        .map(|u| format!("\n{u}"))
                        .unwrap_or_default()
                ),
                serde_json::json!({"started": started, "root": cluster.root, "url": url, "tcp_url": tcp_url}),
            );
        }
        LocalAction::Stop => {
            let stopped = cluster.stop()?;
            say(
                if stopped {
                    "local database stopped".into()
                } else {
                    "local database was not running".into()
                },
                serde_json::json!({"stopped": stopped}),
            );
        }
        LocalAction::Status => {
            let status = cluster.status();
            say(
                format!(
                    "local database in {}: {}{}\n{url}",
                    status.root,
                    if !status.initialized {
                        "not created"
                    } else if status.running {
                        "running"
                    } else {
                        "stopped"
                    },
                    status
                        .pid
                        .map(|p| format!(" (pid {p})"))
                        .unwrap_or_default()
                ),
                serde_json::json!({"status": status, "url": url}),
            );
        }
        LocalAction::Url => say(url.clone(), serde_json::json!({"url": url})),
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
            let removed = cluster.destroy()?;
            say(
                if removed {
                    format!("deleted {}", cluster.root.display())
                } else {
                    "no local database to delete".into()
                },
                serde_json::json!({"deleted": removed, "root": cluster.root}),
            );
        }
    }
    Ok(Exit::Ok)
}
