//! `generate`: the next migration pair written from a schema change. The current schema is
//! what the migrations make (on a scratch database); the desired one is a development
//! database or SQL files applied to a second scratch database. The up script (current →
//! desired) and the down script (desired → current) come from the diff engine's change
//! set; statements that can lose data are marked, and data loss in the up script is
//! refused unless allowed. Before anything is written the pair is proven on the first
//! scratch database: up gives the desired catalog, down gives back the current one, up
//! again gives the desired one.

use std::path::PathBuf;

use serde::Serialize;
use tokio_postgres::Client;

use super::diff::introspect_options;
use super::shadow::{create, Candidate, Scratch};
use super::{ApplyOptions, EngineError, NoProgress, Session, Timeouts};
use crate::author::{self, AuthorError, NewOptions, Numbering, PlannedPair};
use crate::conn::{describe_pg_error, ConnParams};
use crate::diff::compare::changes;
use crate::diff::script::LiveServer;
use crate::diff::{compare, script, CompareOptions, Difference, Script, Statement};
use crate::introspect::{introspect, IntrospectOptions, Introspection};
use crate::lint::{lint_sql, Finding};
use crate::local::quote_ident;
use crate::project::Project;

/// Largest desired-schema file read (`--desired`).
const DESIRED_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// Where the desired schema comes from.
#[derive(Debug, Clone)]
pub enum Desired {
    /// A development database changed by hand (`--from-url`).
    Database(Box<ConnParams>),
    /// SQL files applied in order to a scratch database (`--desired`).
    Files(Vec<PathBuf>),
}

/// A rename the catalog cannot show: `--rename`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameSpec {
    /// What was typed before `=`, split on dots (1 to 3 parts).
    pub parts: Vec<String>,
    pub new_name: String,
}

impl RenameSpec {
    /// Parses `TABLE.OLD=NEW`, `SCHEMA.TABLE=NEW`, `SCHEMA.TABLE.COLUMN=NEW` or `TABLE=NEW`.
    pub fn parse(text: &str) -> Result<RenameSpec, String> {
        let (old, new) = text.split_once('=').ok_or_else(|| {
            format!("--rename {text}: expected OLD=NEW (e.g. public.users.name=full_name)")
        })?;
        let parts: Vec<String> = old.split('.').map(str::to_string).collect();
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(String::is_empty) {
            return Err(format!(
                "--rename {text}: the old name is TABLE, SCHEMA.TABLE, TABLE.COLUMN or SCHEMA.TABLE.COLUMN"
            ));
        }
        if new.is_empty() || new.contains('.') {
            return Err(format!(
                "--rename {text}: the new name is one unqualified name (a rename does not move objects between schemas or tables)"
            ));
        }
        Ok(RenameSpec {
            parts,
            new_name: new.to_string(),
        })
    }
}

/// A rename resolved against the current schema.
#[derive(Debug, Clone, Serialize)]
pub struct Rename {
    /// `table` or `column`.
    pub kind: &'static str,
    pub schema: String,
    pub table: String,
    /// The column, for a column rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub new_name: String,
}

impl Rename {
    fn relation(&self, table: &str) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(table))
    }

    /// The statement doing it (`up`), or undoing it.
    fn sql(&self, up: bool) -> String {
        match &self.column {
            None => {
                let (from, to) = if up {
                    (self.table.as_str(), self.new_name.as_str())
                } else {
                    (self.new_name.as_str(), self.table.as_str())
                };
                format!(
                    "ALTER TABLE {} RENAME TO {}",
                    self.relation(from),
                    quote_ident(to)
                )
            }
            Some(column) => {
                let (from, to) = if up {
                    (column.as_str(), self.new_name.as_str())
                } else {
                    (self.new_name.as_str(), column.as_str())
                };
                format!(
                    "ALTER TABLE {} RENAME COLUMN {} TO {}",
                    self.relation(&self.table),
                    quote_ident(from),
                    quote_ident(to)
                )
            }
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The migration's description (its file name).
    pub name: String,
    /// The phase, by number or name; default: the last.
    pub phase: Option<String>,
    pub desired: Desired,
    pub renames: Vec<RenameSpec>,
    /// Write an up script that can lose data.
    pub allow_data_loss: bool,
    /// Print without writing.
    pub dry_run: bool,
    /// Compare owners and grants (default: yes).
    pub privileges: bool,
}

/// One script of the pair.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedScript {
    pub path: PathBuf,
    pub sql: String,
    pub statements: Vec<Statement>,
    /// Why each data-loss statement can lose data.
    pub data_loss: Vec<String>,
}

/// What `generate` did.
#[derive(Debug, Clone, Serialize)]
pub struct GenerateReport {
    /// The desired side (a redacted URL, or the files).
    pub desired: String,
    /// True when the schemas already match: nothing was written.
    pub nothing_to_generate: bool,
    pub version: i64,
    pub numbering: Numbering,
    pub phase: String,
    pub up: GeneratedScript,
    pub down: GeneratedScript,
    /// The differences the up script resolves (current → desired).
    pub differences: Vec<Difference>,
    pub renames: Vec<Rename>,
    /// Findings of `lint` on the two scripts.
    pub lint: Vec<Finding>,
    /// Up, down and up again verified on a scratch database.
    pub verified: bool,
    /// `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// Dependency cycles broken while ordering.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Why `generate` stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Author(#[from] AuthorError),
    #[error("refusing to write an up script that can lose data (give --allow-data-loss to write it, marked `-- DATA LOSS`): {}", .0.join("; "))]
    DataLoss(Vec<String>),
    #[error("{0}")]
    Rename(String),
    /// `squash` refused before any work (nothing to squash, kinds it cannot generate).
    #[error("{0}")]
    Refused(String),
    #[error("{file}: {message}")]
    Desired { file: String, message: String },
    #[error("the generated {step} script failed on the scratch database, nothing was written: {message}")]
    ScriptFailed { step: &'static str, message: String },
    #[error("the generated pair does not verify, nothing was written: after {step} the scratch database differs from {than} ({} difference(s): {})", .differences.len(), list(.differences))]
    NotVerified {
        step: &'static str,
        than: &'static str,
        differences: Vec<Difference>,
    },
}

fn list(d: &[Difference]) -> String {
    d.iter()
        .take(10)
        .map(|d| {
            let field = d
                .field
                .as_deref()
                .map(|f| format!(" {f}"))
                .unwrap_or_default();
            format!(
                "{} {}{field} ({})",
                d.kind.as_str(),
                d.name,
                d.change.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Generates (and, unless `dry_run`, writes) the next migration pair.
pub async fn generate(
    project: &Project,
    candidates: &[Candidate],
    options: &GenerateOptions,
    lock_wait: std::time::Duration,
    now: chrono::NaiveDateTime,
) -> Result<GenerateReport, GenerateError> {
    // Where it goes, before any database work: a bad name or phase fails fast.
    let planned = author::plan_pair(
        project,
        &NewOptions {
            name: options.name.clone(),
            phase: options.phase.clone(),
            ..NewOptions::default()
        },
        now,
    )?;
    if !options.dry_run && project.dir().is_none() {
        return Err(AuthorError::Embedded.into());
    }
    let io = introspect_options(project, options.privileges, true);
    let current_db = create(candidates).await?;
    let result = with_current(
        project,
        &current_db,
        candidates,
        options,
        &io,
        lock_wait,
        &planned,
    )
    .await;
    let dropped = current_db.drop_now().await;
    let report = result?;
    dropped?;
    if !options.dry_run && !report.nothing_to_generate {
        author::write_pair(project, &planned, &report.up.sql, &report.down.sql)?;
    }
    Ok(report)
}

async fn with_current(
    project: &Project,
    scratch: &Scratch,
    candidates: &[Candidate],
    options: &GenerateOptions,
    io: &IntrospectOptions,
    lock_wait: std::time::Duration,
    planned: &PlannedPair,
) -> Result<GenerateReport, GenerateError> {
    let client = prepared(&scratch.params()).await?;
    let session = Session::new(client, project, scratch.params());
    super::apply::apply(
        &session,
        &ApplyOptions::default(),
        &Timeouts::scratch(lock_wait),
        &mut NoProgress,
    )
    .await
    .map_err(EngineError::from)?;
    let client = &session.client;
    let current = introspect(client, io).await.map_err(EngineError::from)?;
    let (desired, desired_label) = desired_schema(&options.desired, candidates, io).await?;
    let renames = resolve_renames(client, &options.renames).await?;
    // The current schema with the renames done, as the diff sees it; then undone.
    let renamed = if renames.is_empty() {
        None
    } else {
        let up: Vec<String> = renames.iter().map(|r| r.sql(true)).collect();
        run_script(client, &up.join(";\n"), "rename").await?;
        let model = introspect(client, io).await.map_err(EngineError::from)?;
        let down: Vec<String> = renames.iter().rev().map(|r| r.sql(false)).collect();
        run_script(client, &down.join(";\n"), "rename").await?;
        Some(model)
    };
    let from = renamed.as_ref().unwrap_or(&current);
    let compare_options = CompareOptions {
        privileges: options.privileges,
    };
    let up_changes = changes(&desired.model, &from.model, &compare_options);
    let differences = up_changes.differences();
    let mut base = GenerateReport {
        desired: desired_label,
        nothing_to_generate: differences.is_empty() && renames.is_empty(),
        version: planned.version,
        numbering: planned.numbering,
        phase: planned.folder.clone(),
        up: empty_script(&planned.up),
        down: empty_script(&planned.down),
        differences,
        renames,
        lint: Vec::new(),
        verified: false,
        dry_run: options.dry_run,
        warnings: Vec::new(),
    };
    if base.nothing_to_generate {
        return Ok(base);
    }
    let name = &options.name;
    let (version, folder) = (planned.version, &planned.folder);
    let headers = (
        format!("{version} {name} (phase {folder}): up, generated by strata generate\nfrom the migrations' schema to {}", base.desired),
        format!("{version} {name} (phase {folder}): down, generated by strata generate\nundoes the up script"),
    );
    let rel = |p: &PathBuf| {
        project
            .dir()
            .and_then(|d| p.strip_prefix(d).ok())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let pair = prove_pair(
        client,
        io,
        PairSides {
            current: &current,
            from,
            desired: &desired,
        },
        &base.renames,
        options.privileges,
        options.allow_data_loss,
        headers,
    )
    .await?;
    for (path, sql) in [(&planned.up, &pair.up_sql), (&planned.down, &pair.down_sql)] {
        base.lint
            .extend(lint_sql(&[(rel(path).as_str(), sql.as_str())], None).findings);
    }
    base.warnings = pair.warnings;
    base.verified = true;
    base.up = GeneratedScript {
        data_loss: losses(&pair.up),
        path: planned.up.clone(),
        sql: pair.up_sql,
        statements: pair.up.statements,
    };
    base.down = GeneratedScript {
        data_loss: losses(&pair.down),
        path: planned.down.clone(),
        sql: pair.down_sql,
        statements: pair.down.statements,
    };
    Ok(base)
}

/// The three schemas of a pair: what the scratch database holds now (`current`), the same
/// with `--rename`s done (`from`, what the diff starts from), and the one to reach.
pub(crate) struct PairSides<'a> {
    pub current: &'a Introspection,
    pub from: &'a Introspection,
    pub desired: &'a Introspection,
}

/// An up and a down script, proven.
pub(crate) struct ProvenPair {
    pub up: Script,
    pub down: Script,
    /// The differences the statements of each script name (`Statement::differences`).
    pub up_differences: Vec<Difference>,
    pub down_differences: Vec<Difference>,
    pub up_sql: String,
    pub down_sql: String,
    pub warnings: Vec<String>,
}

/// The up script (`from` → desired, after the renames) and the down script (back, renames
/// undone last), proven on the scratch database `client` holds at `current`: up gives the
/// desired schema, down gives back the current one, up again the desired one. Data loss in
/// the up script is refused unless allowed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn prove_pair(
    client: &Client,
    io: &IntrospectOptions,
    sides: PairSides<'_>,
    renames: &[Rename],
    privileges: bool,
    allow_data_loss: bool,
    headers: (String, String),
) -> Result<ProvenPair, GenerateError> {
    let PairSides {
        current,
        from,
        desired,
    } = sides;
    let compare_options = CompareOptions { privileges };
    let up_changes = changes(&desired.model, &from.model, &compare_options);
    let mut up = script(
        &desired.model,
        &from.model,
        &up_changes,
        &LiveServer {
            acl_defaults: from.acl_defaults.clone(),
        },
        privileges,
    );
    let down_changes = changes(&from.model, &desired.model, &compare_options);
    let mut down = script(
        &from.model,
        &desired.model,
        &down_changes,
        &LiveServer {
            acl_defaults: desired.acl_defaults.clone(),
        },
        privileges,
    );
    for (i, r) in renames.iter().enumerate() {
        up.statements.insert(i, plain(r.sql(true)));
    }
    for r in renames.iter().rev() {
        down.statements.push(plain(r.sql(false)));
    }
    let up_loss = losses(&up);
    if !up_loss.is_empty() && !allow_data_loss {
        return Err(GenerateError::DataLoss(up_loss));
    }
    let mut warnings: Vec<String> = up.warnings.iter().chain(&down.warnings).cloned().collect();
    // What no statement can make stays different after the up script: said, not hidden.
    warnings.extend(
        crate::diff::residual::not_scriptable(&desired.model, &from.model)
            .into_iter()
            .map(|n| {
                format!(
                    "the up migration cannot make {}: {} ({})",
                    n.object, n.what, n.why
                )
            }),
    );
    let up_sql = text(&up, &headers.0);
    let down_sql = text(&down, &headers.1);
    // Proven before anything is written.
    let same = |want, step, than| check_equal(client, io, want, step, than, &compare_options);
    run_script(client, &up_sql, "up").await?;
    same(desired, "up", "the desired schema").await?;
    run_script(client, &down_sql, "down").await?;
    same(current, "down", "the schema before it").await?;
    run_script(client, &up_sql, "up").await?;
    same(desired, "up again", "the desired schema").await?;
    Ok(ProvenPair {
        up,
        down,
        up_differences: up_changes.differences(),
        down_differences: down_changes.differences(),
        up_sql,
        down_sql,
        warnings,
    })
}

fn empty_script(path: &std::path::Path) -> GeneratedScript {
    GeneratedScript {
        path: path.to_path_buf(),
        sql: String::new(),
        statements: Vec::new(),
        data_loss: Vec::new(),
    }
}

fn plain(sql: String) -> Statement {
    Statement {
        sql,
        hazard: None,
        differences: Vec::new(),
    }
}

fn losses(s: &Script) -> Vec<String> {
    s.statements
        .iter()
        .filter_map(|st| {
            st.data_loss()
                .map(|why| format!("{} ({why})", first_line(&st.sql)))
        })
        .collect()
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

/// A migration script: the header, `SET LOCAL check_function_bodies` (bodies may name
/// objects made later in the script), the statements, data loss marked.
pub(crate) fn text(s: &Script, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("-- {line}\n"));
    }
    for w in &s.warnings {
        out.push_str(&format!("-- warning: {w}\n"));
    }
    out.push_str("\nSET LOCAL check_function_bodies = false;\n");
    for st in &s.statements {
        out.push('\n');
        if let Some(why) = st.data_loss() {
            out.push_str(&format!("-- DATA LOSS: {why}\n"));
        }
        out.push_str(st.sql.trim_end());
        if !st.sql.trim_start().starts_with("--") {
            out.push(';');
        }
        out.push('\n');
    }
    out
}

async fn prepared(params: &ConnParams) -> Result<Client, EngineError> {
    let client = params
        .connect()
        .await
        .map_err(EngineError::connect("connecting to the scratch database"))?;
    client
        .batch_execute("SET synchronous_commit = off")
        .await
        .map_err(EngineError::db("preparing the scratch database"))?;
    Ok(client)
}

/// Runs a script in one transaction, as `apply` runs a migration.
pub(crate) async fn run_script(
    client: &Client,
    sql: &str,
    step: &'static str,
) -> Result<(), GenerateError> {
    match client
        .batch_execute(&format!("BEGIN;\n{sql}\n;COMMIT;"))
        .await
    {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(GenerateError::ScriptFailed {
                step,
                message: describe_pg_error(&e),
            })
        }
    }
}

pub(crate) async fn check_equal(
    client: &Client,
    io: &IntrospectOptions,
    want: &Introspection,
    step: &'static str,
    than: &'static str,
    options: &CompareOptions,
) -> Result<(), GenerateError> {
    let now = introspect(client, io).await.map_err(EngineError::from)?;
    let differences = compare(&want.model, &now.model, options);
    if differences.is_empty() {
        Ok(())
    } else {
        Err(GenerateError::NotVerified {
            step,
            than,
            differences,
        })
    }
}

/// The desired schema and how it is named.
async fn desired_schema(
    desired: &Desired,
    candidates: &[Candidate],
    io: &IntrospectOptions,
) -> Result<(Introspection, String), GenerateError> {
    match desired {
        Desired::Database(params) => {
            let label = params.redacted();
            let client = params
                .connect()
                .await
                .map_err(EngineError::connect(format!("connecting to {label}")))?;
            let model = introspect(&client, io).await.map_err(EngineError::from)?;
            Ok((model, label))
        }
        Desired::Files(files) => {
            let mut texts = Vec::new();
            for f in files {
                let bytes =
                    crate::project::read::read_regular(f, DESIRED_FILE_LIMIT).map_err(|e| {
                        GenerateError::Desired {
                            file: f.display().to_string(),
                            message: e.to_string(),
                        }
                    })?;
                let text =
                    String::from_utf8(crate::project::read::strip_bom(bytes)).map_err(|_| {
                        GenerateError::Desired {
                            file: f.display().to_string(),
                            message: "not UTF-8".into(),
                        }
                    })?;
                texts.push((f.display().to_string(), text));
            }
            let scratch = create(candidates).await?;
            let result = async {
                let client = prepared(&scratch.params()).await?;
                for (file, text) in &texts {
                    client
                        .batch_execute(text)
                        .await
                        .map_err(|e| GenerateError::Desired {
                            file: file.clone(),
                            message: describe_pg_error(&e),
                        })?;
                }
                Ok::<_, GenerateError>(introspect(&client, io).await.map_err(EngineError::from)?)
            }
            .await;
            let dropped = scratch.drop_now().await;
            let model = result?;
            dropped?;
            let label = texts
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Ok((model, label))
        }
    }
}

/// Finds what each `--rename` names on the current schema: a table (`SCHEMA.TABLE`,
/// `TABLE`) or a column (`TABLE.COLUMN`, `SCHEMA.TABLE.COLUMN`); `A.B` is a table when
/// `A.B` is one, else a column B of `public.A`.
async fn resolve_renames(
    client: &Client,
    specs: &[RenameSpec],
) -> Result<Vec<Rename>, GenerateError> {
    let mut out = Vec::new();
    for spec in specs {
        let p = &spec.parts;
        let typed = format!("{}={}", p.join("."), spec.new_name);
        let candidates: Vec<(String, String, Option<String>)> = match p.len() {
            1 => vec![("public".into(), p[0].clone(), None)],
            2 => vec![
                (p[0].clone(), p[1].clone(), None),
                ("public".into(), p[0].clone(), Some(p[1].clone())),
            ],
            _ => vec![(p[0].clone(), p[1].clone(), Some(p[2].clone()))],
        };
        let mut found = None;
        for (schema, table, column) in candidates {
            if relation_has(client, &schema, &table, column.as_deref()).await? {
                found = Some(Rename {
                    kind: if column.is_some() { "column" } else { "table" },
                    schema,
                    table,
                    column,
                    new_name: spec.new_name.clone(),
                });
                break;
            }
        }
        match found {
            Some(r) => out.push(r),
            None => {
                return Err(GenerateError::Rename(format!(
                    "--rename {typed}: the migrations make no such table or column"
                )))
            }
        }
    }
    Ok(out)
}

async fn relation_has(
    client: &Client,
    schema: &str,
    table: &str,
    column: Option<&str>,
) -> Result<bool, GenerateError> {
    let row = client
        .query_one(
            "SELECT EXISTS (
                 SELECT 1 FROM pg_catalog.pg_class c
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
                   AND ($3::text IS NULL OR EXISTS (
                       SELECT 1 FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = $3 AND a.attnum > 0
                         AND NOT a.attisdropped)))",
            &[&schema, &table, &column],
        )
        .await
        .map_err(EngineError::db("looking up a --rename"))?;
    Ok(row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_specs_parse_and_refuse_what_cannot_be_a_rename() {
        let r = RenameSpec::parse("public.users.name=full_name").unwrap();
        assert_eq!(r.parts, ["public", "users", "name"]);
        assert_eq!(r.new_name, "full_name");
        assert_eq!(RenameSpec::parse("t=u").unwrap().parts, ["t"]);
        assert!(RenameSpec::parse("t").is_err());
        assert!(RenameSpec::parse("a.b=c.d").is_err());
        assert!(RenameSpec::parse("a..b=c").is_err());
        assert!(RenameSpec::parse("a.b.c.d=e").is_err());
    }

    #[test]
    fn rename_statements_undo_each_other() {
        let r = Rename {
            kind: "column",
            schema: "public".into(),
            table: "users".into(),
            column: Some("name".into()),
            new_name: "full_name".into(),
        };
        assert_eq!(
            r.sql(true),
            r#"ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name""#
        );
        assert_eq!(
            r.sql(false),
            r#"ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name""#
        );
        let t = Rename {
            column: None,
            kind: "table",
            ..r
        };
        assert_eq!(
            t.sql(true),
            r#"ALTER TABLE "public"."users" RENAME TO "full_name""#
        );
        assert_eq!(
            t.sql(false),
            r#"ALTER TABLE "public"."full_name" RENAME TO "users""#
        );
    }
}
