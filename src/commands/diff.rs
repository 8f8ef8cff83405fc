//! `strata diff`.

use anyhow::Context as _;

use crate::cli::{DiffArgs, Exit};
use crate::conn::{self, ProcessEnv};
use crate::ops::diff::{diff, diff_databases, DiffOptions, ExpectedSource};
use crate::ops::shadow::Candidate;
use crate::ops::snapshot::Snapshot;
use crate::render;
use crate::settings::{DatabaseTarget, GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: DiffArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let options = DiffOptions {
        privileges: args.privileges,
        exclude: args.exclude.clone(),
        sql: args.sql,
        strict: args.strict,
    };
    let report = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            let connect = |url: &str, which: &'static str| {
                let url = url.to_string();
                async move {
                    let mut params = conn::resolve(Some(&url), &ProcessEnv)
                        .with_context(|| format!("--{which}"))?;
                    params.application_name = Some("strata diff".into());
                    let client = params.connect().await?;
                    Ok::<_, anyhow::Error>((client, params.redacted()))
                }
            };
            let (from_client, from_label) = connect(from, "from").await?;
            let (to_client, to_label) = connect(to, "to").await?;
            let s = &settings.project.config.settings;
            diff_databases(
                (&from_client, from_label),
                (&to_client, to_label),
                (&s.history_schema, &s.history_table),
                &options,
            )
            .await?
        }
        _ => {
            let source = match &args.snapshot {
                Some(Some(path)) => {
                    use crate::project::read::{read_regular, MAX_SNAPSHOT_BYTES};
                    let bytes = read_regular(path, MAX_SNAPSHOT_BYTES)
                        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
                    let text = String::from_utf8(bytes)
                        .with_context(|| format!("reading {}", path.display()))?;
                    let origin = path.display().to_string();
                    ExpectedSource::Snapshot(Box::new(Snapshot::parse(&text, &origin)?), origin)
                }
                Some(None) => ExpectedSource::Snapshot(
                    Box::new(Snapshot::of_project(&settings.project)?),
                    settings
                        .project
                        .display_path(crate::ops::snapshot::SNAPSHOT_FILE),
                ),
                None => {
                    ExpectedSource::Migrations(candidates(&settings, args.shadow_url.as_deref())?)
                }
            };
            let session = settings.connect("diff").await?;
            diff(&session, source, &options, settings.lock_timeout).await?
        }
    };
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else if let Some(sql) = &report.sql {
        use std::io::Write as _;
        write!(out, "{sql}")?;
        eprintln!("{}", render::diff_summary_line(&report));
    } else {
        render::diff(&mut out, &report, settings.output.color)?;
    }
    Ok(if report.has_drift() {
        Exit::Drift
    } else {
        Exit::Ok
    })
}

/// Servers to try for the scratch database, in order: the live database's own, then
/// `--shadow-url`, then the local database's.
pub(crate) fn candidates(
    settings: &Settings,
    shadow_url: Option<&str>,
) -> anyhow::Result<Vec<Candidate>> {
    let mut list = vec![Candidate {
        params: settings.params(),
        label: format!(
            "the live database's server ({})",
            settings.params().redacted()
        ),
        local: match &settings.target {
            DatabaseTarget::Local(cluster) => Some(cluster.clone()),
            DatabaseTarget::Configured(_) => None,
        },
    }];
    if let Some(url) = shadow_url.filter(|u| !u.is_empty()) {
        let params = conn::resolve(Some(url), &ProcessEnv).context("--shadow-url")?;
        list.push(Candidate {
            label: format!("--shadow-url ({})", params.redacted()),
            params,
            local: None,
        });
    }
    if let DatabaseTarget::Configured(_) = &settings.target {
        let cluster = crate::local::Cluster::for_project(
            settings.project.dir(),
            &settings.project.config.project.name,
        );
        list.push(Candidate {
            params: cluster.params("postgres"),
            label: format!("the local database's server in {}", cluster.root.display()),
            local: Some(cluster),
        });
    }
    Ok(list)
}
