//! Writing a project: `init` (a new project's files) and `new` (the next migration pair,
//! numbered by the project's own rule). Returns what it wrote; prints nothing.

mod numbering;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::project::Project;

pub use numbering::{next_version, Numbering};

/// Why `init` or `new` refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    #[error(
        "{0}: a project is already there (schema.toml exists); strata init does not overwrite"
    )]
    Exists(PathBuf),
    #[error("{path}: already exists; strata does not overwrite it")]
    FileExists { path: PathBuf },
    #[error("{0}: not a usable name: use lower-case letters, digits and _ (1 to 63 bytes, starting with a letter)")]
    BadName(String),
    #[error("no phase {0} in schema.toml (phases: {1})")]
    NoPhase(String, String),
    #[error("strata new writes into a project folder: give --project DIR (the embedded VRSS project is read-only)")]
    Embedded,
    #[error("{0}")]
    Numbering(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AuthorError + '_ {
    move |source| AuthorError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What `init` made.
#[derive(Debug, Serialize)]
pub struct InitReport {
    pub dir: PathBuf,
    pub name: String,
    /// Files and folders made, relative to `dir`.
    pub created: Vec<String>,
}

/// What `new` wrote.
#[derive(Debug, Serialize)]
pub struct NewReport {
    pub version: i64,
    pub phase: String,
    pub numbering: Numbering,
    pub up: PathBuf,
    pub down: PathBuf,
    /// The phase `--new-phase` added to schema.toml, if any.
    pub new_phase: Option<String>,
}

/// A name usable for a project, a phase or a migration description.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

const FIRST_PHASE: &str = "main";

fn schema_toml(name: &str) -> String {
    format!(
        r#"# strata project: see README "Projects" for every setting.

# Data invariants for `strata check`.
invariants_file = "checks.toml"

[project]
name = "{name}"
description = ""

# Phase 1 is the folder migrations/1_{FIRST_PHASE}/. Add phases with
# `strata new NAME --new-phase PHASE`.
[[phases]]
name = "{FIRST_PHASE}"
description = "The schema"

# [settings]                         # all optional; the defaults are shown
# history_schema = "public"          # where the history table lives
# history_table = "schema_migrations"
# lock_timeout = "60s"               # wait for strata's lock held by another run
# ddl_lock_timeout = "10s"           # PostgreSQL lock_timeout while migrations run (0 = none)
# statement_timeout = "0"            # PostgreSQL statement_timeout while migrations run
"#
    )
}

const SEEDS_TOML: &str = r#"# Seed data for `strata seed` (see README "Seeding"). One table per [[tables]] entry,
# for example:
#
# [[tables]]
# name = "users"
# rows = 100
# [tables.columns]
# email = { gen = "email" }
"#;

const CHECKS_TOML: &str = r#"# Data invariants for `strata check`, beyond what constraints enforce. Each one is a
# query returning the rows that break it, for example:
#
# [[invariants]]
# name = "no_negative_balances"
# description = "an account's balance is never below zero"
# sql = "SELECT id, balance FROM accounts WHERE balance < 0"
"#;

const GITIGNORE: &str = "# strata's local database and scratch files\n.strata/\n";

/// Makes a new project in `dir` (created if missing). Refuses when `dir` already holds a
/// `schema.toml`, `migrations/`, `seeds/seeds.toml`, `checks.toml` or `.gitignore`: nothing
/// is overwritten.
pub fn init(dir: &Path, name: Option<&str>) -> Result<InitReport, AuthorError> {
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            let absolute = std::path::absolute(dir).map_err(io(dir))?;
            absolute
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .to_lowercase()
                        .replace(['-', ' ', '.'], "_")
                })
                .unwrap_or_default()
        }
    };
    if !valid_name(&name) {
        return Err(AuthorError::BadName(name));
    }
    if dir.join("schema.toml").symlink_metadata().is_ok() {
        return Err(AuthorError::Exists(dir.to_path_buf()));
    }
    let phase_dir = format!("migrations/1_{FIRST_PHASE}");
    let files: [(&str, String); 4] = [
        ("seeds/seeds.toml", SEEDS_TOML.to_string()),
        ("checks.toml", CHECKS_TOML.to_string()),
        (".gitignore", GITIGNORE.to_string()),
        ("schema.toml", schema_toml(&name)),
    ];
    for rel in [
        "migrations",
        "seeds/seeds.toml",
        "checks.toml",
        ".gitignore",
    ] {
        let path = dir.join(rel);
        if path.symlink_metadata().is_ok() {
            return Err(AuthorError::FileExists { path });
        }
    }
    std::fs::create_dir_all(dir.join(&phase_dir)).map_err(io(dir))?;
    std::fs::create_dir_all(dir.join("seeds")).map_err(io(dir))?;
    let mut created = vec![format!("{phase_dir}/")];
    // schema.toml last: a failure half-way leaves no project that looks complete.
    for (rel, text) in files {
        create_new(&dir.join(rel), text.as_bytes())?;
        created.push(rel.to_string());
    }
    Ok(InitReport {
        dir: dir.to_path_buf(),
        name,
        created,
    })
}

/// Writes a file that must not exist yet (never through a link).
fn create_new(path: &Path, bytes: &[u8]) -> Result<(), AuthorError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => AuthorError::FileExists {
                path: path.to_path_buf(),
            },
            _ => AuthorError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
    file.write_all(bytes).map_err(io(path))
}

/// Options of `new`.
#[derive(Debug, Default)]
pub struct NewOptions {
    pub name: String,
    /// The phase's number or name; default: the last phase.
    pub phase: Option<String>,
    pub no_transaction: bool,
    /// Add this phase (after the last) and write the migration in it.
    pub new_phase: Option<String>,
}

/// Where the next migration pair of a project goes: its version (by the project's
/// numbering), phase folder and the two paths. Nothing is written yet.
#[derive(Debug, Clone)]
pub struct PlannedPair {
    pub version: i64,
    pub numbering: Numbering,
    /// The phase folder's name (`4_indexes`).
    pub folder: String,
    pub folder_path: PathBuf,
    pub up: PathBuf,
    pub down: PathBuf,
    /// A phase to add to schema.toml first (`--new-phase`).
    pub new_phase: Option<String>,
}

/// Writes the next migration pair of `project`.
pub fn new_migration(
    project: &Project,
    options: &NewOptions,
    now: chrono::NaiveDateTime,
) -> Result<NewReport, AuthorError> {
    let planned = plan_pair(project, options, now)?;
    let directive = if options.no_transaction {
        "-- strata:no-transaction\n"
    } else {
        ""
    };
    let (version, folder) = (planned.version, &planned.folder);
    let up_text = format!(
        "{directive}-- {version} {name} (phase {folder}): up.\n-- Write the change here. strata refuses to load a script that is only comments.\n",
        name = options.name
    );
    let down_text = format!(
        "{directive}-- {version} {name} (phase {folder}): down, undoing the up script.\n",
        name = options.name
    );
    write_pair(project, &planned, &up_text, &down_text)?;
    Ok(NewReport {
        version,
        phase: planned.folder,
        numbering: planned.numbering,
        up: planned.up,
        down: planned.down,
        new_phase: planned.new_phase,
    })
}

/// The version, folder and paths of the next migration pair (`new`'s numbering), checked
/// against what exists; writes nothing (`options.no_transaction` is not read).
pub fn plan_pair(
    project: &Project,
    options: &NewOptions,
    now: chrono::NaiveDateTime,
) -> Result<PlannedPair, AuthorError> {
    let dir = project.dir().ok_or(AuthorError::Embedded)?;
    if !valid_name(&options.name) {
        return Err(AuthorError::BadName(options.name.clone()));
    }
    let phases = &project.config.phases;
    let names = || {
        phases
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{} {}", i + 1, p.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (phase_number, new_phase) = match (&options.new_phase, &options.phase) {
        (Some(_), Some(_)) => unreachable!("clap keeps --phase and --new-phase apart"),
        (Some(name), None) => {
            if !valid_name(name) {
                return Err(AuthorError::BadName(name.clone()));
            }
            if phases.iter().any(|p| &p.name == name) {
                return Err(AuthorError::Numbering(format!(
                    "phase {name} already exists in schema.toml"
                )));
            }
            (phases.len() as u32 + 1, Some(name.clone()))
        }
        (None, Some(p)) => {
            let found = match p.parse::<u32>() {
                Ok(n) if n >= 1 && (n as usize) <= phases.len() => Some(n),
                Ok(_) => None,
                Err(_) => phases
                    .iter()
                    .position(|ph| &ph.name == p)
                    .map(|i| i as u32 + 1),
            };
            match found {
                Some(n) => (n, None),
                None => return Err(AuthorError::NoPhase(p.clone(), names())),
            }
        }
        (None, None) => {
            if phases.is_empty() {
                return Err(AuthorError::NoPhase("(none)".into(), names()));
            }
            (phases.len() as u32, None)
        }
    };
    let existing: Vec<(i64, u32, String)> = project
        .migrations
        .migrations
        .iter()
        .map(|m| (m.version, m.phase_number, m.up_path.clone()))
        .collect();
    let (version, numbering) =
        next_version(&existing, phase_number, now).map_err(AuthorError::Numbering)?;
    let folder = match &new_phase {
        Some(name) => format!("{phase_number}_{name}"),
        None => project
            .config
            .phase_folder(phase_number)
            .expect("phase resolved above"),
    };
    let folder_path = dir.join("migrations").join(&folder);
    let up = folder_path.join(format!("{version}_{}.up.sql", options.name));
    let down = folder_path.join(format!("{version}_{}.down.sql", options.name));
    for path in [&up, &down] {
        if path.symlink_metadata().is_ok() {
            return Err(AuthorError::FileExists { path: path.clone() });
        }
    }
    Ok(PlannedPair {
        version,
        numbering,
        folder,
        folder_path,
        up,
        down,
        new_phase,
    })
}

/// Writes a planned pair (and the phase `--new-phase` adds to schema.toml): the up file,
/// then the down; neither may exist yet, and a failure leaves neither.
pub fn write_pair(
    project: &Project,
    planned: &PlannedPair,
    up_text: &str,
    down_text: &str,
) -> Result<(), AuthorError> {
    let dir = project.dir().ok_or(AuthorError::Embedded)?;
    let folder_path = &planned.folder_path;
    if let Some(name) = &planned.new_phase {
        let config = dir.join("schema.toml");
        let mut text = std::fs::read_to_string(&config).map_err(io(&config))?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!(
            "\n[[phases]]\nname = \"{name}\"\ndescription = \"\"\n"
        ));
        std::fs::create_dir_all(folder_path).map_err(io(folder_path))?;
        std::fs::write(&config, text).map_err(io(&config))?;
    } else {
        std::fs::create_dir_all(folder_path).map_err(io(folder_path))?;
    }
    create_new(&planned.up, up_text.as_bytes())?;
    if let Err(e) = create_new(&planned.down, down_text.as_bytes()) {
        let _ = std::fs::remove_file(&planned.up);
        return Err(e);
    }
    Ok(())
}

/// Removes a written pair (generate, when the pair did not verify).
pub fn remove_pair(planned: &PlannedPair) {
    let _ = std::fs::remove_file(&planned.up);
    let _ = std::fs::remove_file(&planned.down);
}
