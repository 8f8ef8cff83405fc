//! One module per subcommand. Each turns its arguments into engine options, calls the
//! engine and hands the result to a renderer; none parses or prints on its own.

pub mod apply;
pub mod baseline;
pub mod check;
pub mod diff;
pub mod lint;
pub mod local;
pub mod repair;
pub mod rollback;
pub mod seed;
pub mod snapshot;
pub mod status;
pub mod verify;

use std::io::{BufRead, Write};

/// Asks a yes/no question on the terminal (stderr prompt, stdin answer); default no.
pub(crate) fn ask(question: &str) -> std::io::Result<bool> {
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
