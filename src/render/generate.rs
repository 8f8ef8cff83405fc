//! Text of `generate`: the pair written (or, with `--dry-run`, both scripts), what it
//! resolves, its data loss and that it verified.

use std::io::{self, Write};

use crate::ops::adopt::AdoptReport;
use crate::ops::generate::GenerateReport;
use crate::ops::squash::SquashReport;

pub fn text(out: &mut dyn Write, r: &GenerateReport) -> io::Result<()> {
    if r.nothing_to_generate {
        return writeln!(
            out,
            "Nothing to generate: the migrations already make the desired schema ({}).",
            r.desired
        );
    }
    if r.dry_run {
        for s in [&r.up, &r.down] {
            writeln!(out, "-- ==== {} (not written) ====", s.path.display())?;
            write!(out, "{}", s.sql)?;
            writeln!(out)?;
        }
    }
    let verb = if r.dry_run { "Would write" } else { "Wrote" };
    writeln!(
        out,
        "{verb} version {} (phase {}), {} difference{} from the migrations' schema to {}:",
        r.version,
        r.phase,
        r.differences.len(),
        if r.differences.len() == 1 { "" } else { "s" },
        r.desired
    )?;
    writeln!(out, "  {}", r.up.path.display())?;
    writeln!(out, "  {}", r.down.path.display())?;
    for rename in &r.renames {
        let old = match &rename.column {
            Some(c) => format!("{}.{}.{c}", rename.schema, rename.table),
            None => format!("{}.{}", rename.schema, rename.table),
        };
        writeln!(
            out,
            "Renamed {} {old} to {} (as --rename said)",
            rename.kind, rename.new_name
        )?;
    }
    for (script, loss) in [("up", &r.up.data_loss), ("down", &r.down.data_loss)] {
        for why in loss.iter() {
            writeln!(out, "DATA LOSS in the {script} script: {why}")?;
        }
    }
    for w in &r.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if r.verified {
        writeln!(
            out,
            "Verified on a scratch database: up gives the desired schema, down gives back the current one, up again the desired one."
        )?;
    }
    Ok(())
}

/// Text of `init --from-database`.
pub fn adopt(out: &mut dyn Write, r: &AdoptReport) -> io::Result<()> {
    writeln!(
        out,
        "Made project {} in {} from the schema of {}:",
        r.init.name,
        r.init.dir.display(),
        r.source
    )?;
    for rel in &r.init.created {
        writeln!(out, "  {rel}")?;
    }
    writeln!(
        out,
        "Migrations verified on a scratch database (up gives the source's schema, down leaves nothing):"
    )?;
    for m in &r.migrations {
        writeln!(out, "  {} ({} statements)", m.up.display(), m.statements)?;
        writeln!(out, "  {}", m.down.display())?;
    }
    for (kind, names) in &r.not_generated {
        writeln!(
            out,
            "not in the migration ({kind}, a kind strata does not generate): {}",
            names.join(", ")
        )?;
    }
    for w in &r.warnings {
        writeln!(out, "warning: {w}")?;
    }
    match &r.baseline {
        Some(b) if !b.recorded.is_empty() => writeln!(
            out,
            "Baselined: version {} recorded as applied on the source, without running it.",
            b.to
        ),
        Some(_) => writeln!(out, "Not baselined (declined)."),
        None => writeln!(
            out,
            "Next: strata --project {} --database-url <the source> baseline --to {}   # record it as applied there",
            r.init.dir.display(),
            r.version
        ),
    }
}

/// Text of `squash`.
pub fn squash(out: &mut dyn Write, r: &SquashReport) -> io::Result<()> {
    writeln!(
        out,
        "Squashed {} migrations ({} … {}) into version {} ({} statements), verified on a scratch database:",
        r.replaced.len(),
        r.replaced.first().map(String::as_str).unwrap_or(""),
        r.replaced.last().map(String::as_str).unwrap_or(""),
        r.version,
        r.statements
    )?;
    writeln!(out, "  {}", r.up.display())?;
    writeln!(out, "  {}", r.down.display())?;
    match &r.kept_in {
        Some(dir) => writeln!(out, "The old files are in {}.", dir.display()),
        None => writeln!(out, "The old files were deleted."),
    }
}
