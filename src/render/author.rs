//! Text of `init` and `new`: what was written, and the commands to run next.

use std::io::{self, Write};

use crate::author::{InitReport, NewReport, Numbering};

pub fn init(out: &mut dyn Write, r: &InitReport) -> io::Result<()> {
    writeln!(out, "Made project {} in {}:", r.name, r.dir.display())?;
    for rel in &r.created {
        writeln!(out, "  {rel}")?;
    }
    let dir = r.dir.display();
    writeln!(out, "Next:")?;
    writeln!(
        out,
        "  strata --project {dir} new create_first_table   # write the first migration"
    )?;
    writeln!(
        out,
        "  strata --project {dir} apply                    # run it (the local database when none is configured)"
    )
}

pub fn new(out: &mut dyn Write, r: &NewReport) -> io::Result<()> {
    if let Some(phase) = &r.new_phase {
        writeln!(out, "Added phase {phase} to schema.toml ({})", r.phase)?;
    }
    let rule = match r.numbering {
        Numbering::PhaseBlocks => "phase × 1000 + n",
        Numbering::Timestamp => "UTC timestamp",
        Numbering::Sequence => "next in sequence",
    };
    writeln!(out, "Version {} ({rule}), phase {}:", r.version, r.phase)?;
    writeln!(out, "  {}", r.up.display())?;
    writeln!(out, "  {}", r.down.display())
}
