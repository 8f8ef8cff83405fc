//! `strata baseline`.

use anyhow::bail;

use crate::cli::{BaselineArgs, Exit};
use crate::ops::baseline::baseline;
use crate::ops::EngineError;
use crate::render;
use crate::settings::{GlobalInput, Settings};

pub async fn run(input: &GlobalInput, args: BaselineArgs) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(input)?;
    let timeouts = settings.timeouts(
        args.timeouts.ddl_lock_timeout.as_deref(),
        args.timeouts.statement_timeout.as_deref(),
    )?;
    let candidates = super::diff::candidates(&settings, args.shadow_url.as_deref())?;
    let session = settings.connect("baseline").await?;
    let (yes, interactive) = (args.yes, settings.output.interactive);
    let mut confirm = move |versions: &[i64]| -> Result<bool, EngineError> {
        if yes {
            return Ok(true);
        }
        if !interactive {
            return Err(EngineError::NeedsConfirmationFor("baseline".into()));
        }
        super::ask(&format!(
            "Record {} migration(s) ({}) as applied without running them?",
            versions.len(),
            versions
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .map_err(|e| EngineError::Db {
            context: "reading the answer".into(),
            message: e.to_string(),
        })
    };
    let report = baseline(&session, args.to, &candidates, &timeouts, &mut confirm).await?;
    if !report.missing.is_empty() {
        let list: Vec<String> = report
            .missing
            .iter()
            .map(|d| format!("{} {} ({})", d.kind.as_str(), d.name, d.change.as_str()))
            .collect();
        bail!(
            "refusing to baseline: the database does not have everything migrations up to {} make; {} difference(s): {}",
            report.to,
            list.len(),
            list.join(", ")
        );
    }
    let mut out = crate::render::stdout();
    if settings.output.json {
        render::json(&mut out, &report)?;
    } else if report.recorded.is_empty() {
        std::io::Write::write_all(
            &mut out,
            b"Nothing to record: every migration up to that version is already recorded.\n",
        )?;
    } else {
        std::io::Write::write_all(
            &mut out,
            format!(
                "Recorded {} migration(s) up to {} as applied (baseline); the database has everything they make.\n",
                report.recorded.len(),
                report.to
            )
            .as_bytes(),
        )?;
    }
    Ok(Exit::Ok)
}
