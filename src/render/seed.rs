//! What a seed run wrote: a row per table, the SQL files run, and the summary line.

use std::io::Write;

use comfy_table::Cell;

use super::table;

/// What a seed run wrote.
pub fn seed<W: Write>(
    out: &mut W,
    report: &crate::seed::SeedReport,
    color: bool,
) -> std::io::Result<()> {
    if !report.already_seeded.is_empty() {
        writeln!(
            out,
            "Already seeded: {} already hold rows from an earlier run, so no rows were generated (use --reset to replace them).",
            report.already_seeded.join(", ")
        )?;
    }
    if !report.tables.is_empty() {
        let mut t = table(color);
        t.set_header(vec!["table", "rows", "ms", "rows/s"]);
        for r in &report.tables {
            let rate = (r.rows * 1000).checked_div(r.ms).unwrap_or(r.rows * 1000);
            t.add_row(vec![
                Cell::new(&r.table),
                Cell::new(r.rows),
                Cell::new(r.ms),
                Cell::new(rate),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    for f in &report.sql_files {
        writeln!(out, "ran {f}")?;
    }
    writeln!(
        out,
        "Seeded profile '{}' (rng seed {}): {} rows in {} ms{}.",
        report.profile,
        report.rng_seed,
        report.total_rows,
        report.total_ms,
        if report.tables.is_empty() {
            String::new()
        } else if report.triggers {
            ", triggers on".to_string()
        } else {
            ", triggers off, counters recomputed in bulk".to_string()
        }
    )
}
