//! PostgreSQL's contrib extensions as schemas written by their authors: each extension's
//! own install script (the one for its default version, or a base version's followed by the
//! update scripts up to it), read from the server's share folder and run as plain SQL into a
//! schema of its own (psql's `\echo` guard and the update scripts' `ALTER EXTENSION … ADD|DROP`
//! left out, the placeholders CREATE EXTENSION fills in filled in) — so its types, operators, operator classes, casts, aggregates and text
//! search objects are ordinary objects strata must handle. Only extensions whose C library
//! exists on the server are used; the others are reported as skipped, by name, with why.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::server::{self, Db};

#[derive(Debug, Clone)]
pub struct Extension {
    pub name: String,
    /// The schema it is installed into (see `schema_of`).
    pub schema: String,
    /// Install script then update scripts, in order.
    pub scripts: Vec<PathBuf>,
    pub module_pathname: String,
    /// Extensions installed first, each into its own schema (`requires` in the control file).
    pub requires: Vec<Extension>,
    /// Realistic edits for the modify round trip (tests/corpus/contrib/NAME.sql).
    pub edits: Option<PathBuf>,
}

struct Control {
    default_version: Option<String>,
    module_pathname: Option<String>,
    requires: Vec<String>,
    schema: Option<String>,
}

fn control(path: &Path) -> Result<Control, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut c = Control {
        default_version: None,
        module_pathname: None,
        requires: Vec::new(),
        schema: None,
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('\'').to_string();
        match k.trim() {
            "default_version" => c.default_version = Some(v),
            "module_pathname" => c.module_pathname = Some(v),
            "schema" => c.schema = Some(v),
            "requires" => {
                c.requires = v
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            _ => {}
        }
    }
    Ok(c)
}

/// The scripts that install `target`: `name--target.sql`, else the shortest chain from a
/// base version's script through `name--a--b.sql` updates.
fn script_chain(dir: &Path, name: &str, target: &str) -> Option<Vec<PathBuf>> {
    let mut bases = BTreeSet::new();
    let mut updates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&format!("{name}--"))
            .and_then(|r| r.strip_suffix(".sql"))
        else {
            continue;
        };
        match rest.split_once("--") {
            Some((from, to)) => updates.entry(from.into()).or_default().push(to.into()),
            None => {
                bases.insert(rest.to_string());
            }
        }
    }
    let path = |f: String| dir.join(f);
    if bases.contains(target) {
        return Some(vec![path(format!("{name}--{target}.sql"))]);
    }
    // Breadth first from every base version: the fewest scripts.
    let mut queue: VecDeque<(String, Vec<PathBuf>)> = bases
        .iter()
        .map(|b| (b.clone(), vec![path(format!("{name}--{b}.sql"))]))
        .collect();
    let mut seen: BTreeSet<String> = bases.clone();
    while let Some((v, chain)) = queue.pop_front() {
        for next in updates.get(&v).into_iter().flatten() {
            let mut c = chain.clone();
            c.push(path(format!("{name}--{v}--{next}.sql")));
            if next == target {
                return Some(c);
            }
            if seen.insert(next.clone()) {
                queue.push_back((next.clone(), c));
            }
        }
    }
    None
}

/// The extension's schema: its name (`-` made `_`; `pg_` names, reserved for the system,
/// get `ext_` before them).
fn schema_of(name: &str) -> String {
    let name = name.replace('-', "_");
    if name.starts_with("pg_") {
        format!("ext_{name}")
    } else {
        name
    }
}

/// Every `$libdir/NAME` a script refers to.
fn libraries(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("$libdir/") {
        let rest = &text[i + "$libdir/".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        out.insert(rest[..end].to_string());
    }
    out
}

/// The contrib extensions of this server, and those left out with the reason.
pub fn discover(
    sharedir: &Path,
    pkglibdir: &Path,
    edits_dir: &Path,
) -> (Vec<Extension>, Vec<(String, String)>) {
    let dir = sharedir.join("extension");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .strip_suffix(".control")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut found: BTreeMap<String, Result<Extension, String>> = BTreeMap::new();
    for name in &names {
        let ext = resolve(&dir, pkglibdir, edits_dir, name, &mut found, 0);
        found.insert(name.clone(), ext);
    }
    let mut ok = Vec::new();
    let mut skipped = Vec::new();
    for (name, r) in found {
        match r {
            Ok(e) => ok.push(e),
            Err(why) => skipped.push((name, why)),
        }
    }
    (ok, skipped)
}

fn resolve(
    dir: &Path,
    pkglibdir: &Path,
    edits_dir: &Path,
    name: &str,
    found: &mut BTreeMap<String, Result<Extension, String>>,
    depth: usize,
) -> Result<Extension, String> {
    if let Some(r) = found.get(name) {
        return r.clone();
    }
    if depth > 5 {
        return Err("requires a cycle of extensions".into());
    }
    let c = control(&dir.join(format!("{name}.control")))?;
    if c.schema.as_deref() == Some("pg_catalog") {
        return Err("installs into pg_catalog".into());
    }
    let version = c
        .default_version
        .ok_or_else(|| "no default_version in its control file".to_string())?;
    let scripts = script_chain(dir, name, &version)
        .ok_or_else(|| format!("no install script reaches version {version}"))?;
    let module_pathname = c
        .module_pathname
        .unwrap_or_else(|| format!("$libdir/{name}"));
    let mut text = String::new();
    for s in &scripts {
        text.push_str(&std::fs::read_to_string(s).map_err(|e| format!("{}: {e}", s.display()))?);
    }
    let text = text.replace("MODULE_PATHNAME", &module_pathname);
    if text.contains("CREATE LANGUAGE") || text.contains("CREATE TRUSTED LANGUAGE") {
        return Err("a procedural language".into());
    }
    for lib in libraries(&text) {
        let so = pkglibdir.join(format!("{lib}.so"));
        if !so.exists() {
            return Err(format!(
                "its library {} is not on this server",
                so.display()
            ));
        }
    }
    let mut requires = Vec::new();
    for r in &c.requires {
        let ext = resolve(dir, pkglibdir, edits_dir, r, found, depth + 1)
            .map_err(|why| format!("requires {r}, which is skipped: {why}"))?;
        found.insert(r.clone(), Ok(ext.clone()));
        requires.push(ext);
    }
    let edits = edits_dir.join(format!("{}.sql", name.replace('-', "_")));
    Ok(Extension {
        name: name.to_string(),
        schema: schema_of(name),
        scripts,
        module_pathname,
        requires,
        edits: edits.exists().then_some(edits),
    })
}

impl Extension {
    /// The plain SQL that installs this extension and those it requires, each into its own
    /// schema: the scripts with psql's `\echo … \quit` guard dropped and the placeholders
    /// CREATE EXTENSION would fill in filled in.
    pub fn sql(&self) -> Result<String, String> {
        let mut out = String::new();
        let mut done = BTreeSet::new();
        self.write_sql(&mut out, &mut done)?;
        out.push_str("RESET search_path;\n");
        Ok(out)
    }

    fn all_schemas(&self) -> Vec<String> {
        let mut v = vec![self.schema.clone()];
        for r in &self.requires {
            for s in r.all_schemas() {
                if !v.contains(&s) {
                    v.push(s);
                }
            }
        }
        v
    }

    fn write_sql(&self, out: &mut String, done: &mut BTreeSet<String>) -> Result<(), String> {
        if !done.insert(self.name.clone()) {
            return Ok(());
        }
        for r in &self.requires {
            r.write_sql(out, done)?;
        }
        let schemas = self.all_schemas();
        out.push_str(&format!(
            "-- contrib extension {} as plain SQL\nCREATE SCHEMA {};\nSET search_path = {};\n",
            self.name,
            self.schema,
            schemas.join(", ")
        ));
        for script in &self.scripts {
            let text = std::fs::read_to_string(script)
                .map_err(|e| format!("{}: {e}", script.display()))?;
            let mut skipping = false;
            let mut text = text
                .lines()
                .filter(|l| {
                    // `ALTER EXTENSION x ADD|DROP …` in update scripts moves objects in or
                    // out of the extension: nothing to do for plain objects.
                    let t = l.trim_start();
                    if t.to_ascii_uppercase().starts_with("ALTER EXTENSION ") {
                        skipping = true;
                    }
                    let keep = !skipping && !t.starts_with("\\echo");
                    if skipping && t.trim_end().ends_with(';') {
                        skipping = false;
                    }
                    keep
                })
                .collect::<Vec<_>>()
                .join("\n")
                .replace("MODULE_PATHNAME", &self.module_pathname)
                .replace("@extschema@", &self.schema)
                .replace("@extowner@", "postgres");
            for r in &self.requires {
                text = text.replace(&format!("@extschema:{}@", r.name), &r.schema);
            }
            if let Some(i) = text.find("@extschema:") {
                return Err(format!(
                    "{}: unknown placeholder {}",
                    script.display(),
                    &text[i..(i + 40).min(text.len())]
                ));
            }
            out.push_str(&text);
            out.push('\n');
        }
        Ok(())
    }

    pub fn install(&self, db: &Db) -> Result<(), String> {
        server::psql(db, &self.sql()?, &format!("{}.sql", self.schema))
    }
}
