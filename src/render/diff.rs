//! The drift report of `diff`: differences grouped by object, the history check, and a
//! line counting them; the summary line alone goes to stderr when `--sql` prints the script.

use std::io::Write;

use super::paint;
use crate::diff::Change;
use crate::ops::diff::DiffReport;
use crate::ops::status::State;

/// The drift report: differences grouped by object, the history check, then a line
/// counting differences by kind.
pub fn diff<W: Write>(out: &mut W, report: &DiffReport, color: bool) -> std::io::Result<()> {
    writeln!(out, "expected: {}", report.expected)?;
    writeln!(out, "live:     {}", report.live)?;
    for w in &report.warnings {
        writeln!(out, "{} {w}", paint("warning:", "33", color))?;
    }
    let mut groups: Vec<(&str, Vec<&crate::diff::Difference>)> = Vec::new();
    for d in &report.differences {
        match groups.iter_mut().find(|(o, _)| *o == d.object) {
            Some((_, list)) => list.push(d),
            None => groups.push((&d.object, vec![d])),
        }
    }
    for (object, list) in groups {
        writeln!(out)?;
        writeln!(out, "{}", paint(object, "1", color))?;
        for d in list {
            let (mark, code) = match d.change {
                Change::Missing => ("+ missing", "32"),
                Change::Extra => ("- extra", "31"),
                Change::Changed => ("~ changed", "33"),
            };
            let head = format!(
                "{} {} {}",
                paint(mark, code, color),
                d.kind.as_str(),
                d.name
            );
            match d.change {
                Change::Missing | Change::Extra => {
                    let value = if d.change == Change::Missing {
                        &d.expected
                    } else {
                        &d.live
                    };
                    match value.as_deref().map(str::trim_end) {
                        Some(v) if !v.contains('\n') && !v.is_empty() => {
                            writeln!(out, "  {head}: {v}")?
                        }
                        _ => writeln!(out, "  {head}")?,
                    }
                }
                Change::Changed => {
                    let field = d.field.as_deref().unwrap_or("definition");
                    match &d.diff {
                        Some(unified) => {
                            writeln!(out, "  {head}: {field}")?;
                            for line in unified.lines() {
                                let code = match line.chars().next() {
                                    Some('-') => "31",
                                    Some('+') => "32",
                                    Some('@') => "36",
                                    _ => "0",
                                };
                                writeln!(out, "      {}", paint(line, code, color && code != "0"))?;
                            }
                        }
                        None => {
                            writeln!(out, "  {head}: {field}")?;
                            writeln!(
                                out,
                                "      expected: {}",
                                d.expected.as_deref().unwrap_or("")
                            )?;
                            writeln!(out, "      live:     {}", d.live.as_deref().unwrap_or(""))?;
                        }
                    }
                }
            }
        }
    }
    if !report.not_scriptable.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint("differences no statement can make", "1", color)
        )?;
        for n in &report.not_scriptable {
            writeln!(out, "  {}: {}", n.object, n.what)?;
            writeln!(out, "      {}", n.why)?;
        }
    }
    if let Some(rows) = report.migrations.as_ref().filter(|r| !r.is_empty()) {
        writeln!(out)?;
        writeln!(out, "{}", paint("migrations", "1", color))?;
        for r in rows {
            let state = match r.state {
                State::Modified if r.cosmetic_change == Some(true) => {
                    "modified (cosmetic)".to_string()
                }
                State::Modified => "modified: the file changed since it was applied".to_string(),
                State::Partial => format!(
                    "partial: failed at statement {}",
                    r.statements_done.unwrap_or(0) + 1
                ),
                other => other.as_str().to_string(),
            };
            writeln!(out, "  {} {} {}: {state}", r.version, r.phase, r.name)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", diff_summary_line(report))
}

/// `3 differences: 1 missing, 1 extra, 1 changed; migrations: 1 pending`.
pub fn diff_summary_line(report: &DiffReport) -> String {
    let s = &report.summary;
    let mut line = format!(
        "{} difference{}: {} missing, {} extra, {} changed",
        s.total,
        if s.total == 1 { "" } else { "s" },
        s.missing,
        s.extra,
        s.changed
    );
    if let Some(rows) = report.migrations.as_ref().filter(|r| !r.is_empty()) {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in rows {
            let name = r.state.as_str();
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(n, c)| format!("{c} {n}")).collect();
        line.push_str(&format!("; migrations: {}", parts.join(", ")));
    }
    if !report.not_scriptable.is_empty() {
        let n = report.not_scriptable.len();
        line.push_str(&format!(
            "; {n} difference{} no statement can make{}",
            if n == 1 { "" } else { "s" },
            if report.strict {
                ""
            } else {
                " (--strict counts them as drift)"
            }
        ));
    }
    if !report.not_compared.is_empty() {
        let parts: Vec<String> = report
            .not_compared
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        line.push_str(&format!(
            "; not compared: {}{}",
            parts.join(", "),
            if report.strict {
                ""
            } else {
                " (--strict counts them as drift)"
            }
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{count, Difference, ObjectKind};

    fn report(differences: Vec<Difference>) -> DiffReport {
        DiffReport {
            format: 1,
            expected: "migrations".into(),
            live: "postgres://u@h:5432/db".into(),
            summary: count(&differences),
            differences,
            not_compared: Default::default(),
            not_scriptable: Vec::new(),
            statements: None,
            strict: false,
            migrations: Some(Vec::new()),
            catalog_queries: 13,
            standby: false,
            warnings: Vec::new(),
            sql: None,
            script: None,
        }
    }

    #[test]
    fn the_diff_report_groups_by_object_and_ends_with_the_counts() {
        let r = report(vec![
            Difference {
                object: "table public.users".into(),
                kind: ObjectKind::Column,
                name: "public.users.email".into(),
                change: Change::Changed,
                field: Some("type".into()),
                expected: Some("character varying(64)".into()),
                live: Some("text".into()),
                diff: None,
            },
            Difference {
                object: "table public.users".into(),
                kind: ObjectKind::Index,
                name: "public.users_x".into(),
                change: Change::Extra,
                field: None,
                expected: None,
                live: Some("CREATE INDEX users_x ON public.users USING btree (x)".into()),
                diff: None,
            },
        ]);
        let mut out = Vec::new();
        diff(&mut out, &r, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "expected: migrations\nlive:     postgres://u@h:5432/db\n\n\
             table public.users\n\
             \x20 ~ changed column public.users.email: type\n\
             \x20     expected: character varying(64)\n\
             \x20     live:     text\n\
             \x20 - extra index public.users_x: CREATE INDEX users_x ON public.users USING btree (x)\n\
             \n2 differences: 0 missing, 1 extra, 1 changed\n"
        );
        let mut coloured = Vec::new();
        diff(&mut coloured, &r, true).unwrap();
        assert!(String::from_utf8(coloured)
            .unwrap()
            .contains("\x1b[31m- extra\x1b[0m"));
    }
}
