//! How results are printed: JSON or text, colour, and whether stderr and stdin are a
//! terminal (progress bars, confirmation prompts).

use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    /// stderr is a terminal (progress bars).
    pub progress_tty: bool,
    /// stdin is a terminal (confirmation prompts).
    pub interactive: bool,
}

impl Output {
    /// `--json` and `--color` against the terminal and `NO_COLOR`/`CI`.
    pub fn detect(json: bool, color: ColorChoice) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Output {
            json,
            color,
            progress_tty: std::io::stderr().is_terminal()
                && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            interactive: std::io::stdin().is_terminal(),
        }
    }
}
