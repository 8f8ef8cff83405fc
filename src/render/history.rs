//! What repair, verify and baseline did, and the list of changes repair shows before it
//! records anything.

use std::io::Write;

/// Each change `repair` would record, shown before it does.
pub(super) fn repair_plan(items: &[crate::ops::repair::RepairItem]) -> String {
    use crate::ops::repair::RepairAction;
    let mut text = String::new();
    for i in items {
        match i.action {
            RepairAction::Rerecord => {
                text.push_str(&format!(
                    "{} {} ({}): {} change; recorded {} -> file {}\n",
                    i.version,
                    i.name,
                    i.file,
                    if i.cosmetic { "cosmetic (comments, white space or line endings only)" } else { "CHANGE OF MEANING" },
                    &i.recorded_checksum[..12.min(i.recorded_checksum.len())],
                    &i.current_checksum[..12.min(i.current_checksum.len())],
                ));
                match &i.diff {
                    Some(d) => text.push_str(d),
                    None => text.push_str("  (the history does not hold the script as applied: no diff to show)\n"),
                }
            }
            RepairAction::ClearPartial => text.push_str(&format!(
                "{} {} ({}): stopped after statement {}{}; the record is cleared, so apply runs it from its first statement\n",
                i.version,
                i.name,
                i.file,
                i.statements_done.unwrap_or(0),
                i.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
            )),
        }
    }
    text
}

/// What repair did.
pub fn repair<W: Write>(
    out: &mut W,
    report: &crate::ops::repair::RepairReport,
) -> std::io::Result<()> {
    if report.items.is_empty() {
        return writeln!(out, "Nothing to repair: the history matches the files.");
    }
    if !report.repaired {
        write!(out, "{}", repair_plan(&report.items))?;
        return writeln!(
            out,
            "Would repair {} migration(s); nothing was changed.",
            report.items.len()
        );
    }
    writeln!(out, "Repaired {} migration(s).", report.items.len())
}

/// What verify found.
pub fn verify<W: Write>(
    out: &mut W,
    report: &crate::ops::verify::VerifyReport,
) -> std::io::Result<()> {
    match &report.failure {
        None => writeln!(
            out,
            "Verified {} migrations: each applies, rolls back to exactly the catalog before it, and applies again ({} ms, scratch database on {}).",
            report.verified.len(),
            report.total_ms,
            report.scratch
        ),
        Some(f) => {
            writeln!(
                out,
                "{} verified; {} fails: {}",
                report.verified.len(),
                f.migration,
                if f.step == "down" {
                    "its down script does not undo its up. Left behind or changed:"
                } else {
                    "applying it again after its down gives a different catalog:"
                }
            )?;
            for d in &f.differences {
                writeln!(
                    out,
                    "  {} {} {}{}",
                    d.change.as_str(),
                    d.kind.as_str(),
                    d.name,
                    d.field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default()
                )?;
            }
            Ok(())
        }
    }
}

/// What baseline recorded.
pub(super) fn baseline<W: Write>(
    out: &mut W,
    report: &crate::ops::baseline::BaselineReport,
) -> std::io::Result<()> {
    if report.recorded.is_empty() {
        writeln!(
            out,
            "Nothing to record: every migration up to that version is already recorded."
        )
    } else {
        writeln!(
            out,
            "Recorded {} migration(s) up to {} as applied (baseline); the database has everything they make.",
            report.recorded.len(),
            report.to
        )
    }
}
