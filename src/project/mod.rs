//! A strata project: `schema.toml` (name, phases, settings) and the migration set under
//! `migrations/`, read from a directory or from the copy embedded in the binary. Everything
//! that can be checked without a database is checked here, before any run starts.

mod cache;
mod config;
pub mod lint_config;
pub mod read;
mod scripts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cache::Cache;
pub use config::*;
use read::{read_dir_files, read_regular, FileError, MAX_FILE_BYTES};

use crate::migration::{parse_file_name, Direction, Migration, Script};
use scripts::{prepare, Prepared};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_project.rs"));
}

/// Largest migration file strata reads; larger files are refused rather than loaded whole.
pub const MAX_MIGRATION_BYTES: u64 = MAX_FILE_BYTES;

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
    /// A FIFO, device, socket or folder where a file should be.
    #[error("{path}: {kind}, not a regular file; strata reads only regular files")]
    NotRegular { path: String, kind: String },
    /// A file is not valid UTF-8.
    #[error("{path}: not valid UTF-8 (byte {offset}); {what} must be UTF-8 text")]
    NotUtf8 {
        path: String,
        offset: usize,
        what: &'static str,
    },
    /// A byte order mark after the start of a migration file.
    #[error("{path}:{line}:{column}: a byte order mark (U+FEFF) in the middle of the file; only one at the very start is allowed (and ignored): remove it")]
    InnerBom {
        path: String,
        line: usize,
        column: usize,
    },
    /// A file is too large to load.
    #[error("{path}: {size} bytes is larger than the {limit}-byte limit for one file; split it into several")]
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
    contents: Result<Vec<u8>, FileError>,
}

impl ProjectFile {
    /// The bytes, or the loader's error naming the file.
    fn bytes(&self, path: &str) -> Result<&[u8], LoadError> {
        self.contents.as_deref().map_err(|e| match e {
            FileError::TooLarge { read, limit } => LoadError::TooLarge {
                path: path.to_string(),
                size: *read,
                limit: *limit,
            },
            FileError::NotRegular(kind) => LoadError::NotRegular {
                path: path.to_string(),
                kind: kind.to_string(),
            },
            FileError::Io(message) => LoadError::Unreadable {
                path: path.to_string(),
                message: message.clone(),
            },
        })
    }
}

/// A loaded project: configuration plus the ordered migration set.
#[derive(Debug, Clone)]
pub struct Project {
    pub source: ProjectSource,
    pub config: ProjectConfig,
    pub migrations: MigrationSet,
    /// Seed and other auxiliary files (relative path → contents), for later stages.
    pub files: BTreeMap<String, Vec<u8>>,
    /// False when loaded with the checksum cache ([`Project::load_cached`]): migrations may
    /// then lack their SQL text and statements.
    pub scripts_read: bool,
}

impl Project {
    /// Loads the embedded default project or the project at `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Project, LoadError> {
        Project::load_with(dir, false)
    }

    /// As [`Project::load`], for `status` and a no-op `apply`: scripts whose file matches
    /// the checksum cache (see `cache.rs`) are not read; their migrations carry checksums
    /// and directives but no SQL text (`scripts_read` is false).
    pub fn load_cached(dir: Option<&Path>) -> Result<Project, LoadError> {
        Project::load_with(dir, true)
    }

    fn load_with(dir: Option<&Path>, cached: bool) -> Result<Project, LoadError> {
        match dir {
            None => {
                let files = embedded::FILES
                    .iter()
                    .map(|(rel, bytes)| ProjectFile {
                        rel: (*rel).to_string(),
                        contents: Ok(read::strip_bom(bytes.to_vec())),
                    })
                    .collect();
                Project::from_files(ProjectSource::Embedded, files, None)
            }
            Some(dir) => {
                // An absolute path: the local cluster and messages must not depend on the
                // directory strata happens to run from.
                let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
                let dir = absolute.as_path();
                let cache = cached.then(|| Cache::open(dir));
                let mut files = read_dir_files(dir, cache.as_ref())?;
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
                            let inside = Path::new(name)
                                .components()
                                .all(|c| matches!(c, std::path::Component::Normal(_)));
                            files.push(ProjectFile {
                                rel: name.to_string(),
                                contents: if inside {
                                    read_regular(&dir.join(name), MAX_FILE_BYTES).map_err(|e| {
                                        match e {
                                            FileError::Io(m) => FileError::Io(format!(
                                                "{m} (named by invariants_file in schema.toml)"
                                            )),
                                            other => other,
                                        }
                                    })
                                } else {
                                    Err(FileError::Io(
                                        "invariants_file must be a path inside the project folder"
                                            .into(),
                                    ))
                                },
                            });
                        }
                    }
                }
                let project = Project::from_files(
                    ProjectSource::Dir(dir.to_path_buf()),
                    files,
                    cache.as_ref(),
                )?;
                if let Some(cache) = cache {
                    cache.save();
                }
                Ok(project)
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
                contents: Ok(read::strip_bom(bytes)),
            })
            .collect();
        Project::from_files(ProjectSource::Dir(PathBuf::from("/memory")), files, None)
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

    fn from_files(
        source: ProjectSource,
        files: Vec<ProjectFile>,
        cache: Option<&Cache>,
    ) -> Result<Project, LoadError> {
        let config_file = files
            .iter()
            .find(|f| f.rel == "schema.toml")
            .ok_or_else(|| LoadError::MissingConfig {
                path: display_root(&source),
            })?;
        let config_path = display_path(&source, "schema.toml");
        let config_bytes = config_file.bytes(&config_path)?;
        let config_text = utf8(&config_path, config_bytes, "schema.toml")?;
        let config = ProjectConfig::parse(config_text, &config_path)?;
        let migrations = MigrationSet::from_files(&source, &config, &files, cache)?;
        // Seeds, the invariants file, the snapshot: a file that cannot be read is named now,
        // not discovered missing by the command that needs it.
        for f in files.iter().filter(|f| !f.rel.starts_with("migrations/")) {
            f.bytes(&display_path(&source, &f.rel))?;
        }
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
            scripts_read: !cache.is_some_and(Cache::any_hit),
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
        // What `d.join(rel)` shows, without building a path per file (a thousand scripts).
        ProjectSource::Dir(d) => match d.to_str() {
            Some(dir) if !dir.ends_with('/') && !rel.starts_with('/') => {
                let mut path = String::with_capacity(dir.len() + 1 + rel.len());
                path.push_str(dir);
                path.push('/');
                path.push_str(rel);
                path
            }
            _ => d.join(rel).display().to_string(),
        },
    }
}

fn utf8<'a>(path: &str, bytes: &'a [u8], what: &'static str) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        path: path.to_string(),
        offset: e.valid_up_to(),
        what,
    })
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
        cache: Option<&Cache>,
    ) -> Result<MigrationSet, LoadError> {
        let declared: Vec<String> = (1..=config.phases.len() as u32)
            .filter_map(|n| config.phase_folder(n))
            .collect();
        // Each script read, split, checked and (an up script) checksummed, on several
        // threads; the loop below reports the first problem in file order as before.
        // A script the checksum cache answered is only looked up: not worth a thread.
        let mut prepared: Vec<Option<Result<Prepared, LoadError>>> = read::parallel_map_unless(
            files.iter().collect(),
            |file| cache.is_some_and(|c| c.cached(&file.rel).is_some()),
            |file, _| prepare(source, file, cache),
        );
        // (phase number, version) → (name, up, down)
        type Half = Option<Prepared>;
        let mut pairs: BTreeMap<i64, (u32, String, String, Half, Half)> = BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            let Some(rest) = file.rel.strip_prefix("migrations/") else {
                continue;
            };
            let path = display_path(source, &file.rel);
            let (folder, file_name) = match rest.split_once('/') {
                Some((folder, name)) => (folder, name),
                None => {
                    // A file directly under migrations/: only notes are allowed there.
                    if rest.to_ascii_lowercase().ends_with(".sql") {
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
            if file_name.is_empty() {
                continue; // the folder marker itself
            }
            if file_name.contains('/') {
                // A sub-folder (its marker ends with '/') or a file in one: nothing in it
                // would run, so it is refused rather than skipped.
                let sub = file_name.split('/').next().unwrap_or_default();
                return Err(LoadError::BadFileName {
                    path: display_path(source, &format!("migrations/{folder}/{sub}")),
                    reason: "phase folders may not contain sub-folders; migrations are files directly in migrations/<n>_<phase>/".into(),
                });
            }
            if !file_name.to_ascii_lowercase().ends_with(".sql") {
                continue; // README.md and other notes beside migrations
            }
            if !file_name.ends_with(".up.sql") && !file_name.ends_with(".down.sql") {
                return Err(LoadError::BadFileName {
                    path,
                    reason: "an SQL file in a phase folder must be named <version>_<description>.up.sql or .down.sql (lower case)".into(),
                });
            }
            let parsed = parse_file_name(file_name).map_err(|reason| LoadError::BadFileName {
                path: path.clone(),
                reason,
            })?;
            let script = match prepared[index].take() {
                Some(result) => result?,
                None => prepare(source, file, cache).unwrap_or_else(|| {
                    unreachable!("{path}: every .up.sql/.down.sql file is prepared")
                })?,
            };
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
                .map(|s| s.script.path.clone())
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
            *slot = Some(script);
        }

        let mut migrations = Vec::with_capacity(pairs.len());
        for (version, (phase_number, folder, name, up, down)) in pairs {
            let (up, down) = match (up, down) {
                (Some(up), Some(down)) => (up, down),
                (
                    Some(Prepared {
                        script: Script { path, .. },
                        ..
                    }),
                    None,
                ) => {
                    return Err(LoadError::Unpaired {
                        path,
                        missing: format!("{version}_{name}.down.sql"),
                    })
                }
                (
                    None,
                    Some(Prepared {
                        script: Script { path, .. },
                        ..
                    }),
                ) => {
                    return Err(LoadError::Unpaired {
                        path,
                        missing: format!("{version}_{name}.up.sql"),
                    })
                }
                (None, None) => unreachable!("an entry is only made for a file"),
            };
            let sums = up
                .sums
                .unwrap_or_else(|| unreachable!("an up script is checksummed when prepared"));
            let mut migration = Migration::with_checksums(
                version,
                name,
                folder,
                phase_number,
                up.script,
                down.script,
                sums,
            );
            if let Some(facts) = up.cached {
                migration.no_transaction = facts.no_transaction;
                migration.squashes = facts.squashes;
            }
            migrations.push(migration);
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
        Project::from_files(ProjectSource::Dir(PathBuf::from("/p")), all, None)
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
                    contents: Err(FileError::Io("Permission denied (os error 13)".into())),
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
            (
                [pair("1_one", "10_a"), vec![file("migrations/1_one/11_b.UP.SQL", "SELECT 1;")]]
                    .concat(),
                "11_b.UP.SQL: bad migration file name: an SQL file in a phase folder must be named",
            ),
            (
                [pair("1_one", "10_a"), vec![file("migrations/1_one/11_b.sql", "SELECT 1;")]]
                    .concat(),
                "11_b.sql: bad migration file name",
            ),
            (
                [pair("1_one", "10_a"), vec![file("migrations/1_one/12_c.up.sql/", "")]].concat(),
                "migrations/1_one/12_c.up.sql: bad migration file name: phase folders may not contain sub-folders",
            ),
            (
                vec![
                    file("migrations/1_one/10_a.up.sql", "SELECT 1;\n\u{feff}SELECT 2;\n"),
                    file("migrations/1_one/10_a.down.sql", "SELECT 1;"),
                ],
                "10_a.up.sql:2:1: a byte order mark (U+FEFF) in the middle of the file",
            ),
            (
                vec![ProjectFile {
                    rel: "migrations/1_one/10_a.up.sql".into(),
                    contents: Err(FileError::NotRegular("a FIFO (named pipe)")),
                }],
                "10_a.up.sql: a FIFO (named pipe), not a regular file",
            ),
            (
                [
                    pair("1_one", "10_a"),
                    vec![ProjectFile {
                        rel: "seeds/data.sql".into(),
                        contents: Err(FileError::TooLarge {
                            read: 17,
                            limit: 16,
                        }),
                    }],
                ]
                .concat(),
                "seeds/data.sql: 17 bytes is larger than the 16-byte limit",
            ),
        ];
        for (files, expected) in cases {
            let err = load(files).unwrap_err().to_string();
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
    fn a_leading_bom_is_removed_before_parsing_and_checksumming() {
        let plain = load(pair("1_one", "10_a")).unwrap();
        let bom = |text: &str| {
            let mut bytes = read::BOM.to_vec();
            bytes.extend_from_slice(text.as_bytes());
            read::strip_bom(bytes)
        };
        let with_bom = Project::from_files(
            ProjectSource::Dir(PathBuf::from("/p")),
            vec![
                ProjectFile {
                    rel: "schema.toml".into(),
                    contents: Ok(bom(CONFIG)),
                },
                ProjectFile {
                    rel: "migrations/1_one/10_a.up.sql".into(),
                    contents: Ok(bom("SELECT 1;")),
                },
                ProjectFile {
                    rel: "migrations/1_one/10_a.down.sql".into(),
                    contents: Ok(bom("SELECT 2;")),
                },
            ],
            None,
        )
        .unwrap();
        let (a, b) = (
            &plain.migrations.migrations[0],
            &with_bom.migrations.migrations[0],
        );
        assert_eq!(a.checksum, b.checksum);
        assert_eq!(a.checksum_normalized, b.checksum_normalized);
        assert_eq!(a.up_sql, b.up_sql);
    }

    #[test]
    fn a_schema_toml_that_is_not_utf8_says_so() {
        let err = Project::from_files(
            ProjectSource::Dir(PathBuf::from("/p")),
            vec![ProjectFile {
                rel: "schema.toml".into(),
                contents: Ok(b"[project]\nname = \"\xff\"\n".to_vec()),
            }],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("schema.toml: not valid UTF-8 (byte 18); schema.toml must be UTF-8 text"),
            "{err}"
        );
    }

    #[test]
    fn paths_are_shown_as_joined() {
        for (dir, rel) in [
            ("/p", "migrations/1_one/10_a.up.sql"),
            ("/", "schema.toml"),
            ("/p/", "seeds/x.sql"),
            ("/p", "/etc/elsewhere"),
            ("relative", "a"),
        ] {
            let source = ProjectSource::Dir(PathBuf::from(dir));
            assert_eq!(
                display_path(&source, rel),
                Path::new(dir).join(rel).display().to_string()
            );
        }
    }
}
