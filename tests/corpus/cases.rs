//! The corpus's schemas: SQL cases in folders (tests/corpus/cases and the original
//! tests/diff_cases), PostgreSQL's contrib extension scripts, and real applications'
//! migrations. Each case builds S (the schema) and, when it has edits, S′ (S after 8–10
//! realistic changes), each once, into template databases the round trips copy.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::dump::Dump;
use crate::server::{self, Db};

pub enum Source {
    /// `a.sql` is S; S′ is `b.sql` (a whole schema) or S followed by `edits.sql`.
    Sql(PathBuf),
    /// A contrib extension's own scripts, run as plain SQL into a schema of its own.
    Contrib(crate::contrib::Extension),
    /// A real application's migrations, run by its own code (scripts/corpus-apps).
    App(crate::apps::App),
}

pub struct Case {
    pub name: String,
    pub source: Source,
    /// The case needs at least this PostgreSQL major version (`-- corpus: min_version N` in
    /// its first line).
    pub min_version: u32,
    built: OnceLock<Result<Built, String>>,
}

/// A case's schemas, built: template databases and their dumps (when pg_dump can dump
/// this server).
pub struct Built {
    pub s: Db,
    pub s_dump: Option<Dump>,
    pub t: Option<(Db, Option<Dump>)>,
}

fn first_line_min_version(text: &str) -> u32 {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("-- corpus: min_version "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

impl Case {
    pub fn new(name: String, source: Source) -> Case {
        let min_version = match &source {
            Source::Sql(dir) => std::fs::read_to_string(dir.join("a.sql"))
                .map(|t| first_line_min_version(&t))
                .unwrap_or(0),
            _ => 0,
        };
        Case {
            name,
            source,
            min_version,
            built: OnceLock::new(),
        }
    }

    /// Whether the case has a modify round trip (S → S′).
    pub fn has_edits(&self) -> bool {
        match &self.source {
            Source::Sql(dir) => dir.join("b.sql").exists() || dir.join("edits.sql").exists(),
            Source::Contrib(ext) => ext.edits.is_some(),
            Source::App(app) => app.edits.exists(),
        }
    }

    /// S and S′, built on first use.
    pub fn built(&self) -> Result<&Built, String> {
        self.built
            .get_or_init(|| self.build())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build(&self) -> Result<Built, String> {
        let oracle = server::oracle_available();
        let s = Db::new(&format!("{}_s", self.name), None)?;
        self.build_s(&s).map_err(|e| format!("building S: {e}"))?;
        let s_dump = if oracle {
            Some(server::dump(&s)?)
        } else {
            None
        };
        let t = if self.has_edits() {
            let t = match &self.source {
                Source::Sql(dir) if dir.join("b.sql").exists() => {
                    let t = Db::new(&format!("{}_t", self.name), None)?;
                    server::psql_file(&t, &dir.join("b.sql"))
                        .map_err(|e| format!("building S′ (b.sql): {e}"))?;
                    t
                }
                _ => {
                    let t = Db::new(&format!("{}_t", self.name), Some(&s))?;
                    server::psql_file(&t, &self.edits_file())
                        .map_err(|e| format!("applying the edits: {e}"))?;
                    t
                }
            };
            let t_dump = if oracle {
                Some(server::dump(&t)?)
            } else {
                None
            };
            if let (Some(a), Some(b)) = (&s_dump, &t_dump) {
                if crate::dump::difference(a, b, 1).is_none() {
                    return Err("the edits change nothing pg_dump shows".into());
                }
            }
            Some((t, t_dump))
        } else {
            None
        };
        Ok(Built { s, s_dump, t })
    }

    fn edits_file(&self) -> PathBuf {
        match &self.source {
            Source::Sql(dir) => dir.join("edits.sql"),
            Source::Contrib(ext) => ext.edits.clone().expect("edits"),
            Source::App(app) => app.edits.clone(),
        }
    }

    fn build_s(&self, db: &Db) -> Result<(), String> {
        match &self.source {
            Source::Sql(dir) => server::psql_file(db, &dir.join("a.sql")),
            Source::Contrib(ext) => ext.install(db),
            Source::App(app) => app.migrate(db),
        }
    }
}

/// SQL cases: every folder of `root` with an `a.sql`, but those whose names start with one
/// of `skip_prefixes`; the case is named `prefix` + the folder's name.
pub fn sql_cases(root: &Path, prefix: &str, skip_prefixes: &[&str]) -> Vec<Case> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("a.sql").exists())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .filter_map(|dir| {
            let name = dir.file_name()?.to_string_lossy().into_owned();
            if skip_prefixes.iter().any(|p| name.starts_with(p)) {
                return None;
            }
            Some(Case::new(format!("{prefix}{name}"), Source::Sql(dir)))
        })
        .collect()
}
