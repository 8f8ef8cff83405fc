//! The terminal side of a run: progress and notices on stderr (a bar on a terminal, one
//! plain line per step otherwise) and the questions destructive steps ask (on stderr, the
//! answer read from stdin; refused without a terminal unless `--yes` was given).

use std::io::{BufRead, Write};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::history::repair_plan;
use super::status::rollback_plan;
use crate::migration::Migration;
use crate::ops::{Confirm, Progress, Question, Refused};
use crate::settings::Output;

/// Progress, notices and questions for one run of the CLI.
pub struct Terminal {
    output: Output,
    /// `--yes`: go on without asking.
    yes: bool,
    display: Display,
}

enum Display {
    /// One line per migration or table (no terminal, or `--json`).
    Lines {
        verb: String,
        table: String,
        rows: u64,
    },
    /// Bars on a terminal.
    Bars {
        bar: Option<ProgressBar>,
        multi: MultiProgress,
        table: Option<ProgressBar>,
    },
}

impl Terminal {
    pub fn new(output: &Output, yes: bool) -> Terminal {
        let display = if output.progress_tty && !output.json {
            Display::Bars {
                bar: None,
                multi: MultiProgress::new(),
                table: None,
            }
        } else {
            Display::Lines {
                verb: String::new(),
                table: String::new(),
                rows: 0,
            }
        };
        Terminal {
            output: *output,
            yes,
            display,
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A line on stderr; an error writing it is not the run's failure.
fn line(text: &str) {
    let _ = writeln!(std::io::stderr(), "strata: {text}");
}

impl Progress for Terminal {
    fn start(&mut self, total: usize, verb: &str) {
        match &mut self.display {
            Display::Lines { verb: v, .. } => {
                *v = match verb {
                    "applying" => "applied".into(),
                    "rolling back" => "rolled back".into(),
                    other => other.into(),
                };
            }
            Display::Bars { bar, .. } => {
                let b = ProgressBar::new(total as u64);
                b.set_style(style("{prefix} [{bar:30}] {pos}/{len} {msg}"));
                b.set_prefix(verb.to_string());
                *bar = Some(b);
            }
        }
    }

    fn begin(&mut self, m: &Migration) {
        if let Display::Bars { bar: Some(b), .. } = &self.display {
            b.set_message(m.label());
        }
    }

    fn done(&mut self, m: &Migration, ms: u64) {
        match &self.display {
            Display::Lines { verb, .. } => line(&format!("{verb} {} ({ms} ms)", m.label())),
            Display::Bars { bar: Some(b), .. } => b.inc(1),
            Display::Bars { .. } => {}
        }
    }

    fn table_start(&mut self, name: &str, total: u64) {
        match &mut self.display {
            Display::Lines { table, rows, .. } => {
                *table = name.to_string();
                *rows = 0;
            }
            Display::Bars { multi, table, .. } => {
                let b = multi.add(ProgressBar::new(total));
                b.set_style(style("{prefix:>24} [{bar:30}] {pos}/{len} rows {per_sec}"));
                b.set_prefix(name.to_string());
                *table = Some(b);
            }
        }
    }

    fn rows(&mut self, n: u64) {
        match &mut self.display {
            Display::Lines { rows, .. } => *rows += n,
            Display::Bars { table: Some(b), .. } => b.inc(n),
            Display::Bars { .. } => {}
        }
    }

    fn table_done(&mut self) {
        match &mut self.display {
            Display::Lines { table, rows, .. } => {
                line(&format!("seeded {table} ({rows} rows)"));
            }
            Display::Bars { table, .. } => {
                if let Some(b) = table.take() {
                    b.finish();
                }
            }
        }
    }

    fn note(&mut self, text: &str) {
        match &self.display {
            Display::Bars { bar: Some(b), .. } => b.println(format!("strata: {text}")),
            _ => line(text),
        }
    }

    fn finish(&mut self) {
        if let Display::Bars { bar, .. } = &mut self.display {
            if let Some(b) = bar.take() {
                b.finish_and_clear();
            }
        }
    }

    fn fleet_start(&mut self, total: usize) {
        if let Display::Bars { bar, .. } = &mut self.display {
            let b = ProgressBar::new(total as u64);
            b.set_style(style("targets [{bar:30}] {pos}/{len} {msg} {elapsed}"));
            *bar = Some(b);
        }
    }

    fn target_done(&mut self, name: &str, ok: bool) {
        let outcome = if ok { "done" } else { "failed" };
        match &self.display {
            Display::Lines { .. } => line(&format!("{name}: {outcome}")),
            Display::Bars { bar: Some(b), .. } => {
                b.set_message(format!("{name} {outcome}"));
                b.inc(1);
            }
            Display::Bars { .. } => {}
        }
    }
}

impl Confirm for Terminal {
    fn can_ask(&self) -> bool {
        self.output.interactive && !self.yes
    }

    fn confirm(&mut self, question: &Question<'_>) -> Result<bool, Refused> {
        let mut err = std::io::stderr();
        // Every change repair records is shown first, asked or not.
        if let Question::Repair(items) = question {
            if !self.output.json {
                let _ = write!(err, "{}", repair_plan(items));
            }
        }
        // And every edit lint --fix would write.
        if let Question::LintFix(plan) = question {
            let _ = super::lint::fix_diff(&mut err, plan);
        }
        if self.yes {
            return Ok(true);
        }
        if !self.output.interactive {
            return Err(Refused(format!(
                "{}: pass --yes to confirm (no terminal to ask on)",
                consequence(question)
            )));
        }
        if let Question::Rollback(planned) = question {
            let _ = write!(err, "{}", rollback_plan(planned));
        }
        ask(&prompt(question)).map_err(|e| Refused(format!("reading the answer: {e}")))
    }
}

/// What going on does, for the refusal without a terminal.
fn consequence(question: &Question<'_>) -> String {
    match question {
        Question::Rollback(_) => "rollback drops data".into(),
        Question::Repair(_) => "repair changes the history".into(),
        Question::Baseline(_) => "baseline changes the history".into(),
        Question::Reset(tables) => format!("--reset empties {}", tables.join(", ")),
        Question::DestroyLocal(_) => "destroy deletes the local database and all its data".into(),
        Question::LintFix(_) => {
            "--fix rewrites migration files (the diff above is what would change)".into()
        }
        Question::FleetRollback { targets, .. } => {
            format!("rollback drops data on {targets} targets")
        }
    }
}

/// The question asked on a terminal.
fn prompt(question: &Question<'_>) -> String {
    match question {
        Question::Rollback(_) => "Roll back?".into(),
        Question::Repair(_) => "Record these files as what was applied?".into(),
        Question::Baseline(versions) => format!(
            "Record {} migration(s) ({}) as applied without running them?",
            versions.len(),
            versions
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Question::Reset(tables) => {
            format!(
                "--reset deletes every row of: {}. Go on?",
                tables.join(", ")
            )
        }
        Question::LintFix(_) => "Write these changes?".into(),
        Question::FleetRollback { targets, what } => {
            format!("Roll back {what} on each of {targets} targets?")
        }
        Question::DestroyLocal(root) => format!(
            "Delete the local database in {} and all its data?",
            root.display()
        ),
    }
}

/// Asks a yes/no question on the terminal (stderr prompt, stdin answer); default no.
fn ask(question: &str) -> std::io::Result<bool> {
    let mut err = std::io::stderr();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
