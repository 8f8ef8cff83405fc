//! `strata lint`.

use crate::cli::{Exit, LintArgs, LintFormat};
use crate::lint::run::{self, LintRequest};
use crate::lint::{self, rules};
use crate::render;
use crate::settings::{DatabaseTarget, GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: LintArgs) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    if let Some(id) = &args.explain {
        let list: Vec<&rules::Rule> = if id == "all" {
            rules::ALL.to_vec()
        } else {
            vec![rules::by_id(id).ok_or_else(|| {
                anyhow::anyhow!("unknown rule '{id}' (strata lint --explain all lists them)")
            })?]
        };
        render::lint::explain(&mut out, &list)?;
        return Ok(Exit::Ok);
    }
    let settings = Settings::resolve(input)?;
    let project = &settings.project;
    let request = LintRequest {
        files: args.files.clone(),
        trace: args.trace,
        fix: args.fix,
        candidates: if args.trace {
            let mut list =
                crate::commands::diff::candidates(&settings, args.shadow_url.as_deref())?;
            // The local server's project database may not exist yet: any database of the
            // server will do for creating the scratch one.
            if let (DatabaseTarget::Local(cluster), Some(first)) =
                (&settings.target, list.first_mut())
            {
                first.params = cluster.params("postgres");
            }
            list
        } else {
            Vec::new()
        },
    };
    let mut options = run::options_for(project);
    let configured = matches!(settings.target, DatabaseTarget::Configured(_));
    let session = if configured {
        Some(settings.connect("lint").await?)
    } else {
        None
    };
    let sources = match &session {
        _ if !request.files.is_empty() => run::file_sources(project, &request.files)?,
        Some(s) => run::project_sources(project, Some(&run::pending(s).await?)),
        None => run::project_sources(project, None),
    };
    if let Some(s) = &session {
        options.sizes = Some(run::sizes(s).await?);
    }
    let (mut report, facts) = lint::lint(&sources, &options);
    if request.trace {
        let trace = run::trace_sources(
            project,
            &sources,
            &facts,
            &request.candidates,
            options.sizes.is_some(),
        )
        .await?;
        options.measured_rates = trace.rates_mb_per_s;
        report = lint::lint(&sources, &options).0;
        report.trace = Some(trace);
    }
    if request.fix {
        let mut plan = run::plan_fix(project, &sources, &report)?;
        if !plan.edits.is_empty() {
            // The diff first, then the question.
            render::lint::fix_diff(&plan)?;
            let go = if args.yes {
                true
            } else if settings.output.interactive {
                crate::commands::ask("write these changes?")?
            } else {
                anyhow::bail!("--fix rewrites migration files: pass --yes to write them (no terminal to ask on); the diff above is what would change");
            };
            if go {
                lint::fix::write(&mut plan)?;
            }
        }
        report.fix = Some(plan);
    }
    let format = if settings.output.json {
        LintFormat::Json
    } else {
        args.format
    };
    match format {
        LintFormat::Json => render::json(&mut out, &report)?,
        LintFormat::Github => render::lint::github(&mut out, &report)?,
        LintFormat::Text => render::lint::text(&mut out, &report, settings.output.color)?,
    }
    Ok(if report.has_errors() {
        Exit::LintErrors
    } else {
        Exit::Ok
    })
}
