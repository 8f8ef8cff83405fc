//! The fleet a command runs on, resolved from `--targets FILE` (TOML), `--targets-query
//! SQL` or `--schemas GLOB` (both against `--database-url`), with `--parallel` and
//! `--on-error`. A password in the targets is refused by name: it comes from the password
//! file or the environment.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context as _};

use crate::cli::{FleetArgs, OnError as OnErrorFlag};
use crate::conn::{self, ConnParams, ProcessEnv};
use crate::ops::fleet::{FleetOptions, FleetTarget, OnError};

/// At most this many targets of a server run at once when `--parallel` is not given.
pub const DEFAULT_PER_SERVER: usize = 8;
/// A targets file larger than this is refused.
const MAX_TARGETS_FILE: u64 = 16 * 1024 * 1024;

/// Where the targets come from, and how they run.
#[derive(Debug, Clone)]
pub struct FleetSpec {
    source: Source,
    pub options: FleetOptions,
}

#[derive(Debug, Clone)]
enum Source {
    /// Read from a targets file.
    Listed(Vec<FleetTarget>),
    /// Rows of a query against the control database.
    Query(String),
    /// Schemas of the control database matching a glob.
    Schemas(String),
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    on_error: Option<OnError2>,
    #[serde(default, rename = "target")]
    targets: Vec<Entry>,
}

/// `on_error` as written in the file.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum OnError2 {
    Stop,
    Continue,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    url: Option<String>,
    conninfo: Option<String>,
    group: Option<String>,
    schema: Option<String>,
    /// Present only to be refused by name.
    password: Option<toml::Value>,
}

impl FleetSpec {
    /// The fleet the flags ask for, if they ask for one (the file is read now; a query or
    /// a glob runs when the command starts, [`FleetSpec::targets`]).
    pub fn resolve(args: &FleetArgs) -> anyhow::Result<Option<FleetSpec>> {
        let mut file_on_error = None;
        let source = if let Some(path) = &args.targets {
            let (targets, on_error) =
                read_file(path).with_context(|| format!("--targets {}", path.display()))?;
            file_on_error = on_error;
            Source::Listed(targets)
        } else if let Some(sql) = &args.targets_query {
            Source::Query(sql.clone())
        } else if let Some(glob) = &args.schemas {
            if glob.is_empty() {
                bail!("--schemas: the glob is empty");
            }
            Source::Schemas(glob.clone())
        } else {
            return Ok(None);
        };
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let (parallel, per_server) = match args.parallel {
            Some(n) => (usize::from(n), usize::from(n)),
            None => (cpus, cpus.min(DEFAULT_PER_SERVER)),
        };
        let on_error = match (args.on_error, file_on_error) {
            (Some(OnErrorFlag::Stop), _) | (None, Some(OnError::Stop)) | (None, None) => {
                OnError::Stop
            }
            (Some(OnErrorFlag::Continue), _) | (None, Some(OnError::Continue)) => OnError::Continue,
        };
        Ok(Some(FleetSpec {
            source,
            options: FleetOptions {
                parallel,
                per_server,
                on_error,
            },
        }))
    }

    /// The targets: as listed, or read from `control` (the `--database-url` database).
    pub async fn targets(&self, control: &ConnParams) -> anyhow::Result<Vec<FleetTarget>> {
        let targets = match &self.source {
            Source::Listed(t) => return Ok(t.clone()),
            Source::Query(sql) => query_targets(control, sql).await?,
            Source::Schemas(glob) => schema_targets(control, glob).await?,
        };
        Ok(targets)
    }
}

/// Reads a targets file: its targets in order, and its `on_error`.
fn read_file(path: &Path) -> anyhow::Result<(Vec<FleetTarget>, Option<OnError>)> {
    let bytes = crate::project::read::read_regular(path, MAX_TARGETS_FILE)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = String::from_utf8(bytes).context("not UTF-8")?;
    let file: TargetsFile = toml::from_str(&text)?;
    if file.targets.is_empty() {
        bail!("no [[target]] in the file");
    }
    let mut names = HashSet::new();
    let mut targets = Vec::with_capacity(file.targets.len());
    for entry in file.targets {
        let name = entry.name.clone();
        if !names.insert(name.clone()) {
            bail!("target {name}: the name is used twice");
        }
        if entry.password.is_some() {
            bail!("target {name}: a password in the targets file is refused; put it in the password file (PGPASSFILE, else ~/.pgpass) or the environment (PGPASSWORD)");
        }
        let text = match (&entry.url, &entry.conninfo) {
            (Some(u), None) => u,
            (None, Some(c)) => c,
            _ => bail!("target {name}: give exactly one of url and conninfo"),
        };
        targets.push(target(
            &name,
            text,
            entry.group.as_deref(),
            entry.schema.as_deref(),
        )?);
    }
    let on_error = file.on_error.map(|o| match o {
        OnError2::Stop => OnError::Stop,
        OnError2::Continue => OnError::Continue,
    });
    Ok((targets, on_error))
}

/// One target from its connection text: refused when the text holds a password.
fn target(
    name: &str,
    text: &str,
    group: Option<&str>,
    schema: Option<&str>,
) -> anyhow::Result<FleetTarget> {
    if name.is_empty() {
        bail!("a target has an empty name");
    }
    // Resolved without the environment: a password here can only come from the text.
    let alone = conn::resolve(Some(text), &BTreeMap::<String, String>::new())
        .with_context(|| format!("target {name}"))?;
    if alone.password.is_some() {
        bail!("target {name}: a password in the targets is refused; put it in the password file (PGPASSFILE, else ~/.pgpass) or the environment (PGPASSWORD)");
    }
    let params =
        conn::resolve(Some(text), &ProcessEnv).with_context(|| format!("target {name}"))?;
    if schema.is_some_and(str::is_empty) {
        bail!("target {name}: the schema is empty");
    }
    Ok(FleetTarget {
        name: name.into(),
        group: group.filter(|g| !g.is_empty()).unwrap_or("default").into(),
        params,
        schema: schema.map(str::to_string),
    })
}

/// Targets from the rows of `sql` against the control database: columns `name`, `url`
/// and optionally `group`.
async fn query_targets(control: &ConnParams, sql: &str) -> anyhow::Result<Vec<FleetTarget>> {
    use tokio_postgres::SimpleQueryMessage;
    let client = control
        .connect()
        .await
        .context("--targets-query: connecting to --database-url")?;
    let messages = client
        .simple_query(sql)
        .await
        .map_err(|e| anyhow::anyhow!("--targets-query: {}", conn::describe_pg_error(&e)))?;
    let mut targets = Vec::new();
    let mut names = HashSet::new();
    for message in messages {
        let SimpleQueryMessage::Row(row) = message else {
            continue;
        };
        let column = |c: &str| row.columns().iter().position(|col| col.name() == c);
        let (Some(n), Some(u)) = (column("name"), column("url")) else {
            bail!("--targets-query: the query must return columns name and url (and optionally group)");
        };
        let name = row.get(n).unwrap_or_default().to_string();
        let Some(url) = row.get(u) else {
            bail!("--targets-query: target {name} has no url");
        };
        if !names.insert(name.clone()) {
            bail!("--targets-query: target {name} is returned twice");
        }
        let group = column("group").and_then(|g| row.get(g));
        targets.push(target(&name, url, group, None).context("--targets-query")?);
    }
    if targets.is_empty() {
        bail!("--targets-query: the query returned no targets");
    }
    Ok(targets)
}

/// One target per schema of the control database matching `glob`.
async fn schema_targets(control: &ConnParams, glob: &str) -> anyhow::Result<Vec<FleetTarget>> {
    let client = control
        .connect()
        .await
        .context("--schemas: connecting to --database-url")?;
    let rows = client
        .query(
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE $1 ORDER BY 1",
            &[&glob_to_like(glob)],
        )
        .await
        .map_err(|e| anyhow::anyhow!("--schemas: {}", conn::describe_pg_error(&e)))?;
    if rows.is_empty() {
        bail!(
            "--schemas {glob}: no schema of {} matches",
            control.redacted()
        );
    }
    Ok(rows
        .iter()
        .map(|r| {
            let schema: String = r.get(0);
            FleetTarget {
                name: schema.clone(),
                group: "default".into(),
                params: control.clone(),
                schema: Some(schema),
            }
        })
        .collect())
}

/// A shell glob (`*`, `?`) as a LIKE pattern: `_`, `%` and `\` stay literal.
fn glob_to_like(glob: &str) -> String {
    let mut like = String::with_capacity(glob.len() + 4);
    for c in glob.chars() {
        match c {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '_' | '%' | '\\' => {
                like.push('\\');
                like.push(c);
            }
            c => like.push(c),
        }
    }
    like
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> anyhow::Result<(Vec<FleetTarget>, Option<OnError>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("targets.toml");
        std::fs::write(&path, text).unwrap();
        read_file(&path)
    }

    #[test]
    fn globs_keep_underscore_literal() {
        assert_eq!(glob_to_like("tenant_*"), "tenant\\_%");
        assert_eq!(glob_to_like("t?_%\\"), "t_\\_\\%\\\\");
    }

    #[test]
    fn a_targets_file_lists_targets_in_order_with_groups_and_schemas() {
        let (targets, on_error) = file(
            "on_error = \"continue\"\n\
             [[target]]\nname = \"eu\"\nurl = \"postgres://app@db-eu/app\"\ngroup = \"canary\"\n\
             [[target]]\nname = \"us\"\nconninfo = \"host=db-us dbname=app user=app\"\nschema = \"t1\"\n",
        )
        .unwrap();
        assert_eq!(on_error, Some(OnError::Continue));
        assert_eq!(targets.len(), 2);
        assert_eq!(
            (targets[0].name.as_str(), targets[0].group.as_str()),
            ("eu", "canary")
        );
        assert_eq!(targets[1].group, "default");
        assert_eq!(targets[1].schema.as_deref(), Some("t1"));
        assert_eq!(targets[1].params.dbname, "app");
    }

    #[test]
    fn passwords_and_bad_entries_are_refused_by_name() {
        for (text, expected) in [
            ("[[target]]\nname = \"a\"\nurl = \"postgres://u:secret@h/d\"\n", "target a: a password in the targets is refused"),
            ("[[target]]\nname = \"a\"\nconninfo = \"host=h password=secret\"\n", "target a: a password in the targets is refused"),
            ("[[target]]\nname = \"a\"\nurl = \"postgres://h/d\"\npassword = \"secret\"\n", "target a: a password in the targets file is refused"),
            ("[[target]]\nname = \"a\"\n", "target a: give exactly one of url and conninfo"),
            ("[[target]]\nname = \"a\"\nurl = \"postgres://h/d\"\n[[target]]\nname = \"a\"\nurl = \"postgres://h/e\"\n", "target a: the name is used twice"),
            ("", "no [[target]]"),
        ] {
            let e = format!("{:#}", file(text).unwrap_err());
            assert!(e.contains(expected), "{e}");
            assert!(!e.contains("secret"), "{e}");
        }
    }
}
