//! Real applications' schemas, made by the applications' own migrations: scripts/corpus-apps
//! installs them (pinned versions, into the git-ignored .cache/corpus) and runs one
//! application's migrations against a database. Each application is a folder of
//! tests/corpus/apps with the edits of its modify round trip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::server::Db;

pub struct App {
    pub name: String,
    pub edits: PathBuf,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/corpus-apps")
}

/// The applications of the corpus: the folders of `dir` with an `edits.sql`.
pub fn discover(dir: &Path) -> Vec<App> {
    let mut apps: Vec<App> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("edits.sql").exists())
                .map(|e| App {
                    name: e.file_name().to_string_lossy().into_owned(),
                    edits: e.path().join("edits.sql"),
                })
                .collect()
        })
        .unwrap_or_default();
    apps.sort_by(|a, b| a.name.cmp(&b.name));
    apps
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    Err(format!(
        "{what} exited {}:\n{}",
        out.status.code().unwrap_or(-1),
        lines[lines.len().saturating_sub(25)..].join("\n")
    ))
}

/// Installs the applications once per test run (the script skips what is installed).
fn installed() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        run(
            Command::new(script()).arg("install"),
            "scripts/corpus-apps install",
        )
    })
    .clone()
}

impl App {
    /// Runs the application's migrations into `db`.
    pub fn migrate(&self, db: &Db) -> Result<(), String> {
        installed()?;
        run(
            Command::new(script())
                .args(["migrate", &self.name])
                .env("CORPUS_DATABASE_URL", &db.url),
            &format!("scripts/corpus-apps migrate {}", self.name),
        )
    }
}
