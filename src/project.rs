//! A strata project: `schema.toml` (name, phases, settings) and the migration set under
//! `migrations/`, read from a directory or from the copy embedded in the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::migration::{parse_file_name, Direction, Migration};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_project.rs"));
}

/// Largest migration file strata reads; larger files are refused rather than loaded whole.
pub const MAX_MIGRATION_BYTES: u64 = 16 * 1024 * 1024;

/// Why a project could not be loaded. Every variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `schema.toml` is missing from the project directory.
    #[error("{path}: no schema.toml here (is --project pointing at a strata project?)")]
    MissingConfig { path: String },
    /// `schema.toml` does not parse or has a bad field.
    #[error("{path}: {message}")]
    BadConfig { path: String, message: String },
    /// A file could not be read.
    #[error("{path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
    /// A migration file is not valid UTF-8.
    #[error("{path}: not valid UTF-8 (byte {offset}); migration files must be UTF-8 text")]
    NotUtf8 { path: String, offset: usize },
    /// A migration file is too large to load.
    #[error("{path}: {size} bytes is larger than the {limit}-byte limit for one migration file; split it into several migrations")]
    TooLarge { path: String, size: u64, limit: u64 },
    /// A migration file name does not parse.
    #[error("{path}: bad migration file name: {reason}")]
    BadFileName { path: String, reason: String },
    /// A folder under migrations/ that schema.toml does not declare.
    #[error("{path}: phase folder not declared in schema.toml (declared: {declared})")]
    UndeclaredPhase { path: String, declared: String },
    /// Two migrations share a version.
    #[error("{path}: duplicate version {version} (also used by {other})")]
    DuplicateVersion {
        path: String,
        version: i64,
        other: String,
    },
    /// A version that is not greater than every version of the earlier phases.
    #[error("{path}: version {version} is out of phase order: it must be greater than {previous} ({previous_path}) of an earlier phase")]
    OutOfPhaseOrder {
        path: String,
        version: i64,
        previous: i64,
        previous_path: String,
    },
    /// An up script without its down script, or the reverse.
    #[error("{path}: has no matching {missing}")]
    Unpaired { path: String, missing: String },
    /// A migration script with nothing to run.
    #[error("{path}: the script is empty (only comments or white space)")]
    Empty { path: String },
    /// A string, identifier, dollar quote or comment never closed.
    #[error("{path}:{line}:{column}: this quote or comment is never closed")]
    Unterminated {
        path: String,
        line: usize,
        column: usize,
    },
    /// A transactional migration that begins or ends a transaction itself.
    #[error("{path}:{line}: '{statement}' would end the transaction strata runs this migration in; remove it, or make the first line `-- strata:no-transaction`")]
    TransactionControl {
        path: String,
        line: usize,
        statement: String,
    },
}

/// The `[project]` table of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectInfo {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One `[[phases]]` entry: its folder is `migrations/<position>_<name>/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseInfo {
    pub name: String,
    pub description: String,
}

/// How strata serialises writers.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LockMode {
    /// A session-level advisory lock (default).
    #[default]
    Advisory,
    /// A row lock on a lock table, for poolers in transaction mode.
    Table,
}

/// The `[settings]` table of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// Schema of the history table.
    #[serde(default = "default_history_schema")]
    pub history_schema: String,
    /// Name of the history table.
    #[serde(default = "default_history_table")]
    pub history_table: String,
    /// How long to wait for strata's own lock (`60s`).
    #[serde(default = "default_lock_timeout", with = "duration_text")]
    pub lock_timeout: Duration,
    /// PostgreSQL `lock_timeout` while migrations run (`10s`; `0` = none).
    #[serde(default = "default_ddl_lock_timeout", with = "duration_text")]
    pub ddl_lock_timeout: Duration,
    /// PostgreSQL `statement_timeout` while migrations run (`0` = none).
    #[serde(default, with = "duration_text")]
    pub statement_timeout: Duration,
    /// How writers are serialised.
    #[serde(default)]
    pub lock_mode: LockMode,
    /// What `apply` does with the lint of the migrations it is about to run.
    #[serde(default)]
    pub lint: crate::lint::LintGate,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        ProjectSettings {
            history_schema: default_history_schema(),
            history_table: default_history_table(),
            lock_timeout: default_lock_timeout(),
            ddl_lock_timeout: default_ddl_lock_timeout(),
            statement_timeout: Duration::ZERO,
            lock_mode: LockMode::Advisory,
            lint: crate::lint::LintGate::Warn,
        }
    }
}

fn default_history_schema() -> String {
    "public".into()
}
fn default_history_table() -> String {
    "schema_migrations".into()
}
fn default_lock_timeout() -> Duration {
    Duration::from_secs(60)
}
fn default_ddl_lock_timeout() -> Duration {
    Duration::from_secs(10)
}

/// Durations written as text (`60s`, `500ms`, `2min`, `0`).
mod duration_text {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_duration(&text).map_err(serde::de::Error::custom)
    }
}

/// Parses a duration as `60s`, `500ms`, `2min`, `1h` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|e| format!("bad duration '{text}': {e}"));
    }
    humantime::parse_duration(t)
        .map_err(|e| format!("bad duration '{text}': {e} (use e.g. 60s, 500ms, 2min)"))
}

/// The whole of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub project: ProjectInfo,
    #[serde(default)]
    pub phases: Vec<PhaseInfo>,
    #[serde(default)]
    pub settings: ProjectSettings,
    /// Declared invariants for `strata check` (kept as raw TOML here; the check engine
    /// reads them).
    #[serde(default)]
    pub invariants: Vec<toml::Table>,
    /// A file holding more invariants, relative to the project.
    #[serde(default)]
    pub invariants_file: Option<String>,
    /// `[lint]`: thresholds, estimate rates and project-wide allowances.
    #[serde(default)]
    pub lint: crate::lint::LintConfig,
}

impl ProjectConfig {
    /// Parses and validates schema.toml text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<ProjectConfig, LoadError> {
        let bad = |message: String| LoadError::BadConfig {
            path: path.to_string(),
            message,
        };
        let config: ProjectConfig =
            toml::from_str(text).map_err(|e| bad(one_line(&e.to_string())))?;
        if config.project.name.trim().is_empty() {
            return Err(bad("project.name is empty".into()));
        }
        for (i, phase) in config.phases.iter().enumerate() {
            if phase.name.is_empty()
                || !phase
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(bad(format!(
                    "phases[{i}].name '{}' must be letters, digits, '_' or '-'",
                    phase.name
                )));
            }
            if config.phases[..i].iter().any(|p| p.name == phase.name) {
                return Err(bad(format!("phase '{}' is declared twice", phase.name)));
            }
        }
        for (field, value) in [
            ("settings.history_schema", &config.settings.history_schema),
            ("settings.history_table", &config.settings.history_table),
        ] {
            if value.is_empty() || value.len() > 63 {
                return Err(bad(format!(
                    "{field} must be 1 to 63 characters, got '{value}'"
                )));
            }
        }
        Ok(config)
    }

    /// Folder name of the phase at 1-based `number`.
    pub fn phase_folder(&self, number: u32) -> Option<String> {
        let phase = self.phases.get((number as usize).checked_sub(1)?)?;
        Some(format!("{number}_{}", phase.name))
    }
}

/// Folds a multi-line parser message into one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a project's files come from.
#[derive(Debug, Clone)]
pub enum ProjectSource {
    /// The default project compiled into the binary.
    Embedded,
    /// A directory on disk.
    Dir(PathBuf),
}

/// A file of the project as read: its path relative to the root and its bytes (or why it
/// could not be read).
#[derive(Clone)]
struct ProjectFile {
    rel: String,
    contents: Result<Vec<u8>, String>,
}

/// A loaded project: configuration plus the ordered migration set.
#[derive(Debug, Clone)]
pub struct Project {
    pub source: ProjectSource,
    pub config: ProjectConfig,
    pub migrations: MigrationSet,
    /// Seed and other auxiliary files (relative path → contents), for later stages.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Project {
    /// Loads the embedded default project or the project at `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Project, LoadError> {
        match dir {
            None => {
                let files = embedded::FILES
                    .iter()
                    .map(|(rel, bytes)| ProjectFile {
                        rel: (*rel).to_string(),
                        contents: Ok(bytes.to_vec()),
                    })
                    .collect();
                Project::from_files(ProjectSource::Embedded, files)
            }
            Some(dir) => {
                // An absolute path: the local cluster and messages must not depend on the
                // directory strata happens to run from.
                let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
                let dir = absolute.as_path();
                let mut files = read_dir_files(dir)?;
                // The invariants file schema.toml names, if any.
                if let Some(Ok(bytes)) = files
                    .iter()
                    .find(|f| f.rel == "schema.toml")
                    .map(|f| f.contents.clone())
                {
                    if let Ok(config) =
                        toml::from_str::<toml::Table>(&String::from_utf8_lossy(&bytes))
                    {
                        if let Some(name) = config.get("invariants_file").and_then(|v| v.as_str()) {
                            files.push(ProjectFile {
                                rel: name.to_string(),
                                contents: std::fs::read(dir.join(name)).map_err(|e| e.to_string()),
                            });
                        }
                    }
                }
                Project::from_files(ProjectSource::Dir(dir.to_path_buf()), files)
            }
        }
    }

    /// Loads a project from files in memory (`(path relative to the project, bytes)`), as
    /// if they were a directory at `/memory`; the fuzzers use it.
    pub fn from_memory(files: Vec<(String, Vec<u8>)>) -> Result<Project, LoadError> {
        let files = files
            .into_iter()
            .map(|(rel, bytes)| ProjectFile {
                rel,
                contents: Ok(bytes),
            })
            .collect();
        Project::from_files(ProjectSource::Dir(PathBuf::from("/memory")), files)
    }

    /// How files of this project are named in messages.
    pub fn display_path(&self, rel: &str) -> String {
        display_path(&self.source, rel)
    }

    /// The project's root directory, when it has one on disk.
    pub fn dir(&self) -> Option<&Path> {
        match &self.source {
            ProjectSource::Embedded => None,
            ProjectSource::Dir(d) => Some(d),
        }
    }

    fn from_files(source: ProjectSource, files: Vec<ProjectFile>) -> Result<Project, LoadError> {
        let config_file = files
            .iter()
            .find(|f| f.rel == "schema.toml")
            .ok_or_else(|| LoadError::MissingConfig {
                path: display_root(&source),
            })?;
        let config_path = display_path(&source, "schema.toml");
        let config_bytes =
            config_file
                .contents
                .as_ref()
                .map_err(|message| LoadError::Unreadable {
                    path: config_path.clone(),
                    message: message.clone(),
                })?;
        let config_text = utf8(&config_path, config_bytes)?;
        let config = ProjectConfig::parse(config_text, &config_path)?;
        let migrations = MigrationSet::from_files(&source, &config, &files)?;
        let files = files
            .into_iter()
            .filter(|f| !f.rel.starts_with("migrations/"))
            .filter_map(|f| f.contents.ok().map(|c| (f.rel, c)))
            .collect();
        Ok(Project {
            source,
            config,
            migrations,
            files,
        })
    }
}

fn display_root(source: &ProjectSource) -> String {
    match source {
        ProjectSource::Embedded => "<embedded project>".into(),
        ProjectSource::Dir(d) => d.display().to_string(),
    }
}

fn display_path(source: &ProjectSource, rel: &str) -> String {
    match source {
        ProjectSource::Embedded => rel.to_string(),
        ProjectSource::Dir(d) => d.join(rel).display().to_string(),
    }
}

fn utf8<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        path: path.to_string(),
        offset: e.valid_up_to(),
    })
}

/// Reads schema.toml, migrations/ (two levels) and seeds/ of a project directory. Files
/// that cannot be read are kept with their error so the loader can name them.
fn read_dir_files(dir: &Path) -> Result<Vec<ProjectFile>, LoadError> {
    let mut files = Vec::new();
    let root_err = |e: std::io::Error| LoadError::Unreadable {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    if !dir.is_dir() {
        return Err(LoadError::MissingConfig {
            path: dir.display().to_string(),
        });
    }
    let config = dir.join("schema.toml");
    if config.exists() {
        files.push(ProjectFile {
            rel: "schema.toml".into(),
            contents: std::fs::read(&config).map_err(|e| e.to_string()),
        });
    }
    walk(dir, Path::new("migrations"), 0, &mut files).map_err(root_err)?;
    walk(dir, Path::new("seeds"), 0, &mut files).map_err(root_err)?;
    let snapshot = dir.join("schema.snapshot.json");
    if snapshot.is_file() {
        files.push(ProjectFile {
            rel: "schema.snapshot.json".into(),
            contents: std::fs::read(&snapshot).map_err(|e| e.to_string()),
        });
    }
    Ok(files)
}

fn walk(root: &Path, rel: &Path, depth: usize, out: &mut Vec<ProjectFile>) -> std::io::Result<()> {
    let abs = root.join(rel);
    if !abs.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(&abs)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = rel.join(&name);
        let rel_text = child_rel.to_string_lossy().replace('\\', "/");
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if depth < 3 {
                // Record the folder itself so an empty undeclared phase is still seen.
                out.push(ProjectFile {
                    rel: format!("{rel_text}/"),
                    contents: Ok(Vec::new()),
                });
                walk(root, &child_rel, depth + 1, out)?;
            }
            continue;
        }
        let path = entry.path();
        let contents = read_limited(&path, rel.starts_with("migrations"));
        out.push(ProjectFile {
            rel: rel_text,
            contents,
        });
    }
    Ok(())
}

/// A file's bytes, opened once (the size comes from the open file); migrations over the
/// size limit are not read.
fn read_limited(path: &Path, limited: bool) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if limited && len > MAX_MIGRATION_BYTES {
        return Err(format!("TOO_LARGE:{len}"));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Rejects scripts strata cannot run safely: empty ones, ones with an unclosed quote or
/// comment (which would swallow what strata appends), and transactional ones that commit.
fn check_script(path: &str, text: &str) -> Result<(), LoadError> {
    use crate::sql_split;
    let statements = sql_split::split(text);
    if statements.is_empty() {
        return Err(LoadError::Empty { path: path.into() });
    }
    if let Some(offset) = sql_split::unterminated(text) {
        let (line, column) = sql_split::line_col_at_byte(text, offset);
        return Err(LoadError::Unterminated {
            path: path.into(),
            line,
            column,
        });
    }
    if !crate::migration::has_no_transaction_directive(text) {
        if let Some(s) = sql_split::transaction_control(&statements) {
            let (line, _) = sql_split::line_col_at_byte(text, s.offset);
            return Err(LoadError::TransactionControl {
                path: path.into(),
                line,
                statement: s.sql.lines().next().unwrap_or_default().to_string(),
            });
        }
    }
    Ok(())
}

/// The project's migrations, ordered by version.
#[derive(Debug, Clone, Default)]
pub struct MigrationSet {
    pub migrations: Vec<Migration>,
}

impl MigrationSet {
    fn from_files(
        source: &ProjectSource,
        config: &ProjectConfig,
        files: &[ProjectFile],
    ) -> Result<MigrationSet, LoadError> {
        let declared: Vec<String> = (1..=config.phases.len() as u32)
            .filter_map(|n| config.phase_folder(n))
            .collect();
        // (phase number, version) → (name, up, down)
        type Half = Option<(String, String)>;
        let mut pairs: BTreeMap<i64, (u32, String, String, Half, Half)> = BTreeMap::new();
        for file in files {
            let Some(rest) = file.rel.strip_prefix("migrations/") else {
                continue;
            };
            let path = display_path(source, &file.rel);
            let (folder, file_name) = match rest.split_once('/') {
                Some((folder, name)) => (folder, name),
                None => {
                    // A file directly under migrations/: only notes are allowed there.
                    if rest.ends_with(".sql") {
                        return Err(LoadError::BadFileName {
                            path,
                            reason:
                                "migration files belong in a phase folder migrations/<n>_<phase>/"
                                    .into(),
                        });
                    }
                    continue;
                }
            };
            let Some(phase_index) = declared.iter().position(|d| d == folder) else {
                return Err(LoadError::UndeclaredPhase {
                    path: display_path(source, &format!("migrations/{folder}")),
                    declared: if declared.is_empty() {
                        "none".into()
                    } else {
                        declared.join(", ")
                    },
                });
            };
            if file_name.is_empty() || file_name.ends_with('/') {
                continue; // the folder marker itself, or a sub-folder
            }
            if file_name.contains('/') {
                return Err(LoadError::BadFileName {
                    path,
                    reason: "phase folders may not contain sub-folders".into(),
                });
            }
            if !file_name.ends_with(".sql") {
                continue; // README.md and other notes beside migrations
            }
            let parsed = parse_file_name(file_name).map_err(|reason| LoadError::BadFileName {
                path: path.clone(),
                reason,
            })?;
            let bytes = match &file.contents {
                Ok(b) => b,
                Err(m) if m.starts_with("TOO_LARGE:") => {
                    return Err(LoadError::TooLarge {
                        path,
                        size: m["TOO_LARGE:".len()..].parse().unwrap_or(0),
                        limit: MAX_MIGRATION_BYTES,
                    })
                }
                Err(message) => {
                    return Err(LoadError::Unreadable {
                        path,
                        message: message.clone(),
                    })
                }
            };
            let text = utf8(&path, bytes)?.to_string();
            check_script(&path, &text)?;
            let phase_number = phase_index as u32 + 1;
            let entry = pairs.entry(parsed.version).or_insert_with(|| {
                (
                    phase_number,
                    folder.to_string(),
                    parsed.name.clone(),
                    None,
                    None,
                )
            });
            let existing_path = entry
                .3
                .as_ref()
                .or(entry.4.as_ref())
                .map(|(p, _)| p.clone())
                .unwrap_or_default();
            if entry.1 != folder || entry.2 != parsed.name {
                return Err(LoadError::DuplicateVersion {
                    path,
                    version: parsed.version,
                    other: existing_path,
                });
            }
            let slot = match parsed.direction {
                Direction::Up => &mut entry.3,
                Direction::Down => &mut entry.4,
            };
            if slot.is_some() {
                return Err(LoadError::DuplicateVersion {
                    path,
                    version: parsed.version,
                    other: existing_path,
                });
            }
            *slot = Some((path, text));
        }

        let mut migrations = Vec::with_capacity(pairs.len());
        for (version, (phase_number, folder, name, up, down)) in pairs {
            let (up, down) = match (up, down) {
                (Some(up), Some(down)) => (up, down),
                (Some((path, _)), None) => {
                    return Err(LoadError::Unpaired {
                        path,
                        missing: format!("{version}_{name}.down.sql"),
                    })
                }
                (None, Some((path, _))) => {
                    return Err(LoadError::Unpaired {
                        path,
                        missing: format!("{version}_{name}.up.sql"),
                    })
                }
                (None, None) => unreachable!("an entry is only made for a file"),
            };
            migrations.push(Migration::new(
                version,
                name,
                folder,
                phase_number,
                up,
                down,
            ));
        }
        // Versions increase with phase order: no migration of a later phase may have a
        // smaller version than one of an earlier phase.
        let mut max_so_far: Option<&Migration> = None;
        for m in &migrations {
            if let Some(prev) = max_so_far {
                if prev.phase_number > m.phase_number {
                    return Err(LoadError::OutOfPhaseOrder {
                        path: m.up_path.clone(),
                        version: m.version,
                        previous: prev.version,
                        previous_path: prev.up_path.clone(),
                    });
                }
            }
            if max_so_far.is_none_or(|p| m.phase_number >= p.phase_number) {
                max_so_far = Some(m);
            }
        }
        Ok(MigrationSet { migrations })
    }

    pub fn get(&self, version: i64) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&version, |m| m.version)
            .ok()
            .map(|i| &self.migrations[i])
    }

    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }

    /// The last version of phase `number`, if the phase has migrations.
    pub fn last_of_phase(&self, number: u32) -> Option<i64> {
        self.migrations
            .iter()
            .filter(|m| m.phase_number == number)
            .map(|m| m.version)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
[project]
name = "t"

[[phases]]
name = "one"
description = "first"

[[phases]]
name = "two"
description = "second"
"#;

    fn file(rel: &str, text: &str) -> ProjectFile {
        ProjectFile {
            rel: rel.into(),
            contents: Ok(text.as_bytes().to_vec()),
        }
    }

    fn load(files: Vec<ProjectFile>) -> Result<Project, LoadError> {
        let mut all = vec![file("schema.toml", CONFIG)];
        all.extend(files);
        Project::from_files(ProjectSource::Dir(PathBuf::from("/p")), all)
    }

    fn pair(folder: &str, stem: &str) -> Vec<ProjectFile> {
        vec![
            file(&format!("migrations/{folder}/{stem}.up.sql"), "SELECT 1;"),
            file(&format!("migrations/{folder}/{stem}.down.sql"), "SELECT 2;"),
        ]
    }

    #[test]
    fn loads_ordered_set_with_phases() {
        let mut files = pair("2_two", "20_b");
        files.extend(pair("1_one", "10_a"));
        let p = load(files).unwrap();
        let versions: Vec<_> = p.migrations.migrations.iter().map(|m| m.version).collect();
        assert_eq!(versions, vec![10, 20]);
        assert_eq!(p.migrations.migrations[1].phase, "2_two");
        assert_eq!(p.migrations.migrations[1].phase_number, 2);
        assert_eq!(p.migrations.last_of_phase(1), Some(10));
    }

    #[test]
    fn rejects_each_bad_layout_naming_the_file() {
        let cases: Vec<(Vec<ProjectFile>, &str)> = vec![
            (
                [pair("1_one", "10_a"), pair("1_one", "10_b")].concat(),
                "duplicate version 10",
            ),
            (
                [pair("1_one", "20_a"), pair("2_two", "10_b")].concat(),
                "out of phase order",
            ),
            (
                vec![file("migrations/1_one/10_a.up.sql", "SELECT 1;")],
                "10_a.up.sql: has no matching 10_a.down.sql",
            ),
            (
                vec![file("migrations/1_one/10_a.down.sql", "SELECT 1;")],
                "10_a.down.sql: has no matching 10_a.up.sql",
            ),
            (
                pair("3_three", "30_c"),
                "migrations/3_three: phase folder not declared",
            ),
            (pair("1_one", "x_a"), "bad migration file name"),
            (
                vec![ProjectFile {
                    rel: "migrations/1_one/10_a.up.sql".into(),
                    contents: Ok(vec![0x53, 0xff, 0xfe]),
                }],
                "10_a.up.sql: not valid UTF-8",
            ),
            (
                vec![ProjectFile {
                    rel: "migrations/1_one/10_a.up.sql".into(),
                    contents: Err("Permission denied (os error 13)".into()),
                }],
                "10_a.up.sql: cannot read: Permission denied",
            ),
            (
                vec![
                    file("migrations/1_one/10_a.up.sql", "-- nothing\n"),
                    file("migrations/1_one/10_a.down.sql", "SELECT 1;"),
                ],
                "10_a.up.sql: the script is empty",
            ),
            (
                vec![
                    file("migrations/1_one/10_a.up.sql", "SELECT 1;\nSELECT 'open;\n"),
                    file("migrations/1_one/10_a.down.sql", "SELECT 1;"),
                ],
                "10_a.up.sql:2:8: this quote or comment is never closed",
            ),
            (
                vec![
                    file(
                        "migrations/1_one/10_a.up.sql",
                        "CREATE TABLE t (a int);\nCOMMIT;\n",
                    ),
                    file("migrations/1_one/10_a.down.sql", "SELECT 1;"),
                ],
                "10_a.up.sql:2: 'COMMIT' would end the transaction",
            ),
        ];
        for (files, expected) in cases {
            let err = load(files).unwrap_err().to_string();
            assert!(err.contains(expected), "expected '{expected}' in '{err}'");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn rejects_malformed_config() {
        for (text, expected) in [
            ("[project]\nname = 1\n", "schema.toml"),
            ("[project]\nname = \"\"\n", "project.name is empty"),
            ("[project]\nname = \"x\"\nbogus = 1\n", "unknown field"),
            (
                "[project]\nname = \"x\"\n[settings]\nlock_timeout = \"soon\"\n",
                "bad duration",
            ),
            (
                "[project]\nname = \"x\"\n[[phases]]\nname = \"a b\"\ndescription = \"\"\n",
                "must be letters",
            ),
            ("[project\nname=", "schema.toml"),
        ] {
            let err = ProjectConfig::parse(text, "schema.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "expected '{expected}' in '{err}'");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn embedded_project_loads() {
        let project = Project::load(None).expect("embedded project loads");
        assert!(!project.config.project.name.is_empty());
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("60").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2min").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("fast").is_err());
    }
}
