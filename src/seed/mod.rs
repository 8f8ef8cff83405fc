//! `seed`: reference, development and load-scale data from the project's `seeds/` folder,
//! deterministic for a given RNG seed, streamed into the database with binary COPY in one
//! transaction (or, with `--jobs`, over several connections in steps: `jobs.rs`).

mod copy;
mod deferred;
mod fake_text;
pub mod gen;
mod jobs;
mod load;
pub mod spec;
pub mod value;

use std::collections::BTreeSet;
use std::time::Instant;

use serde::Serialize;
use tokio_postgres::Client;

use crate::local::quote_qualified;
use crate::ops::status::compute;
use crate::ops::{Console, EngineError, Question, Session, Timeouts};
use crate::project::Project;
use deferred::Deferred;
use gen::GenError;
use spec::SeedSpec;

/// Why seeding could not run.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The project has no seed definition.
    #[error("this project has no seeds/seeds.toml")]
    NoSpec,
    /// seeds.toml or a file it names is malformed or missing.
    #[error("{0}")]
    BadSpec(String),
    /// A profile name seeds.toml does not define.
    #[error("unknown seed profile '{given}' (defined: {known})")]
    UnknownProfile { given: String, known: String },
    /// The schema is not in a state to seed.
    #[error("refusing to seed: {0}")]
    SchemaNotReady(String),
    /// A generator failed.
    #[error(transparent)]
    Gen(#[from] GenError),
    /// The engine (lock, history) failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A statement failed.
    #[error("{context}: {}", db_text(.source))]
    Db {
        context: String,
        #[source]
        source: tokio_postgres::Error,
    },
    /// A generated value could not be encoded for COPY.
    #[error("{context}: {message}")]
    Encode { context: String, message: String },
    /// Emptying the tables (`--reset`) was not confirmed.
    #[error(transparent)]
    Refused(#[from] crate::ops::Refused),
    /// The user answered no.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// A `--jobs` connection could not be opened or used.
    #[error("{context}: {message}")]
    Jobs { context: String, message: String },
    /// `--jobs` where there is no bulk load to spread over connections.
    #[error("--jobs {jobs} spreads a bulk load (a profile that generates rows with triggers off) over connections: {reason}")]
    JobsNeedBulk { jobs: u32, reason: String },
    /// A `--jobs` load failed after its first step committed: what it left.
    #[error("{error}; --jobs runs are not one transaction: {state}")]
    JobsFailed {
        error: Box<SeedError>,
        state: String,
    },
}

fn db(context: impl Into<String>) -> impl FnOnce(tokio_postgres::Error) -> SeedError {
    let context = context.into();
    move |source| SeedError::Db { context, source }
}

/// The server's message, with its detail: which key is duplicated or dangling (the row is
/// not known when a key or foreign key put back after a bulk load fails).
fn db_text(e: &tokio_postgres::Error) -> String {
    let message = crate::conn::describe_pg_error(e);
    match e.as_db_error().and_then(|d| d.detail()) {
        Some(detail) => format!("{message} ({})", detail.replace('\n', " ")),
        None => message,
    }
}

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub profile: String,
    pub scale: f64,
    pub rng_seed: Option<u64>,
    pub reset: bool,
    /// Overrides the profile's `triggers` setting.
    pub triggers: Option<bool>,
    /// Connections for a bulk load (`--jobs`); more than one gives up the single
    /// transaction for speed.
    /// The extra connections are opened with the session's own connection settings.
    pub jobs: u32,
}

/// Rows written to one table.
#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub table: String,
    pub rows: u64,
    pub ms: u64,
}

/// The result of `seed`.
#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub profile: String,
    pub rng_seed: u64,
    pub scale: f64,
    /// Profiles run, includes first.
    pub profiles: Vec<String>,
    /// Generated tables already had rows: nothing was generated.
    pub already_seeded: Vec<String>,
    pub reset: bool,
    /// Whether triggers stayed on while rows went in.
    pub triggers: bool,
    /// Connections the load used (`--jobs`; more than one: not one transaction).
    pub jobs: u32,
    pub sql_files: Vec<String>,
    pub tables: Vec<TableReport>,
    /// Where the time went, in order: each step of the run.
    pub phases: Vec<PhaseReport>,
    pub total_rows: u64,
    pub total_ms: u64,
}

/// The time one step of a seed run took.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseReport {
    pub phase: String,
    pub ms: u64,
}

impl SeedReport {
    fn phase(&mut self, phase: impl Into<String>, started: Instant) {
        self.phases.push(PhaseReport {
            phase: phase.into(),
            ms: started.elapsed().as_millis() as u64,
        });
    }
}

impl SeedSpec {
    /// Reads `seeds/seeds.toml` of a project.
    pub fn load(project: &Project) -> Result<SeedSpec, SeedError> {
        let bytes = project
            .files
            .get("seeds/seeds.toml")
            .ok_or(SeedError::NoSpec)?;
        let path = project.display_path("seeds/seeds.toml");
        let text = std::str::from_utf8(bytes)
            .map_err(|_| SeedError::BadSpec(format!("{path}: not valid UTF-8")))?;
        let spec: SeedSpec = toml::from_str(text).map_err(|e| {
            SeedError::BadSpec(format!(
                "{path}: {}",
                e.to_string().lines().next().unwrap_or_default()
            ))
        })?;
        chrono::DateTime::parse_from_rfc3339(&spec.base_time)
            .map_err(|e| SeedError::BadSpec(format!("{path}: base_time: {e}")))?;
        Ok(spec)
    }

    /// The profile and those it includes, includes first, each once.
    pub fn chain(&self, name: &str) -> Result<Vec<String>, SeedError> {
        let mut out = Vec::new();
        self.visit(name, &mut out, 0)?;
        Ok(out)
    }

    fn visit(&self, name: &str, out: &mut Vec<String>, depth: usize) -> Result<(), SeedError> {
        let profile = self
            .profiles
            .get(name)
            .ok_or_else(|| SeedError::UnknownProfile {
                given: name.to_string(),
                known: self.profiles.keys().cloned().collect::<Vec<_>>().join(", "),
            })?;
        if depth > 8 {
            return Err(SeedError::BadSpec(format!(
                "profile '{name}': includes form a cycle"
            )));
        }
        for inc in &profile.include {
            self.visit(inc, out, depth + 1)?;
        }
        if !out.iter().any(|p| p == name) {
            out.push(name.to_string());
        }
        Ok(())
    }

    /// Every table `--reset` empties.
    pub fn reset_tables(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .tables
            .iter()
            .map(|t| t.name.clone())
            .chain(self.reset_also.iter().cloned())
            .collect();
        set.into_iter().collect()
    }
}

fn file_text<'p>(project: &'p Project, name: &str) -> Result<&'p str, SeedError> {
    let rel = format!("seeds/{name}");
    let bytes = project.files.get(&rel).ok_or_else(|| {
        SeedError::BadSpec(format!(
            "{}: missing (named in seeds.toml)",
            project.display_path(&rel)
        ))
    })?;
    std::str::from_utf8(bytes)
        .map_err(|_| SeedError::BadSpec(format!("{}: not valid UTF-8", project.display_path(&rel))))
}

/// Seeds the database.
pub async fn seed(
    session: &Session<'_>,
    options: &SeedOptions,
    timeouts: &Timeouts,
    console: &mut dyn Console,
) -> Result<SeedReport, SeedError> {
    let started = Instant::now();
    session.require_primary("seed").await?;
    console.note(&format!(
        "seeding profile '{}' with rng seed {}{}",
        options.profile,
        options
            .rng_seed
            .map(|s| s.to_string())
            .unwrap_or_else(|| "(the project's default)".into()),
        if options.profile == "load" {
            format!(", scale {}", options.scale)
        } else {
            String::new()
        }
    ));
    let project = session.project;
    let spec = SeedSpec::load(project)?;
    let chain = spec.chain(&options.profile)?;
    if !(options.scale > 0.0 && options.scale.is_finite()) {
        return Err(SeedError::BadSpec(format!(
            "--scale must be a positive number, got {}",
            options.scale
        )));
    }
    spec.check_scale(&chain, options.scale)?;
    // Refused at once when the schema is not ready; ...
    schema_ready(session).await?;
    let rng_seed = options.rng_seed.unwrap_or(spec.default_rng_seed);
    let helpers = match options.jobs {
        0 | 1 => Vec::new(),
        jobs => {
            let bulk = chain.iter().any(|p| {
                let p = &spec.profiles[p];
                p.generate && !options.triggers.unwrap_or(p.triggers)
            });
            if !bulk {
                return Err(SeedError::JobsNeedBulk {
                    jobs,
                    reason: format!(
                        "profile '{}' has none (run it without --jobs{})",
                        options.profile,
                        if options.triggers == Some(true) {
                            ", or with --triggers off"
                        } else {
                            ""
                        }
                    ),
                });
            }
            jobs::connect(
                &session.params,
                jobs as usize - 1,
                &session.client,
                timeouts,
            )
            .await?
        }
    };
    let lock = session.begin_writing(timeouts).await?;
    // ... and decided from the history read again under the lock: a run that held the
    // lock before us (an apply) may have changed the schema since.
    let result = match schema_ready(session).await {
        Ok(()) => seed_locked(session, &helpers, &spec, &chain, options, rng_seed, console).await,
        Err(e) => Err(e),
    };
    if result.is_err() {
        let _ = session.client.batch_execute("ROLLBACK").await;
    }
    session.end_writing(lock).await;
    let mut report = result?;
    report.total_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Refuses unless the schema is exactly what the migrations make (nothing pending,
/// modified, unknown or partial).
async fn schema_ready(session: &Session<'_>) -> Result<(), SeedError> {
    let history = session.history_rows().await?;
    let status = compute(session.project, &history, &session.target);
    let s = &status.summary;
    if s.pending > 0 || s.modified > 0 || s.unknown > 0 || s.partial > 0 {
        return Err(SeedError::SchemaNotReady(format!(
            "the schema is not fully applied ({} pending, {} modified, {} unknown, {} partial migrations); run `strata apply` (and check `strata status`) first",
            s.pending, s.modified, s.unknown, s.partial
        )));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn seed_locked(
    session: &Session<'_>,
    helpers: &[Client],
    spec: &SeedSpec,
    chain: &[String],
    options: &SeedOptions,
    rng_seed: u64,
    console: &mut dyn Console,
) -> Result<SeedReport, SeedError> {
    let client = &session.client;
    let mut report = SeedReport {
        profile: options.profile.clone(),
        rng_seed,
        scale: options.scale,
        profiles: chain.to_vec(),
        already_seeded: Vec::new(),
        reset: false,
        triggers: true,
        jobs: 1,
        sql_files: Vec::new(),
        tables: Vec::new(),
        phases: Vec::new(),
        total_rows: 0,
        total_ms: 0,
    };
    client.batch_execute("BEGIN").await.map_err(db("BEGIN"))?;
    if options.reset {
        let tables = spec.reset_tables();
        if !console.confirm(&Question::Reset(&tables))? {
            return Err(SeedError::Cancelled);
        }
        let list: Vec<String> = tables.iter().map(|t| quote_qualified(t)).collect();
        client
            .batch_execute(&format!("TRUNCATE {} RESTART IDENTITY", list.join(", ")))
            .await
            .map_err(db("--reset: TRUNCATE"))?;
        report.reset = true;
    }
    for name in chain {
        let profile = &spec.profiles[name];
        run_sql_files(session, &profile.sql, &mut report).await?;
        if profile.generate {
            let nonempty = nonempty_tables(session, spec).await?;
            if !nonempty.is_empty() {
                report.already_seeded = nonempty;
                continue;
            }
            let triggers = options.triggers.unwrap_or(profile.triggers);
            report.triggers = triggers;
            // In bulk mode, build keys and indexes and check foreign keys once after the
            // load (as pg_restore does) instead of row by row during it.
            let deferred = if triggers {
                Deferred::default()
            } else {
                // The keys and indexes are rebuilt in this session: give their sorts room.
                run_batch(
                    client,
                    jobs::MAINTENANCE_WORK_MEM,
                    "SET maintenance_work_mem",
                )
                .await?;
                let t0 = Instant::now();
                let deferred = Deferred::take_off(client, &seeded_tables(spec)).await?;
                report.phase("take off keys, indexes and foreign keys", t0);
                deferred
            };
            let load = load::prepare(
                client,
                spec,
                profile.count,
                options.scale,
                rng_seed,
                !triggers,
            )
            .await?;
            if !triggers {
                set_triggers(client, spec, false).await?;
            }
            if !triggers && !helpers.is_empty() {
                // From here on each step commits on its own (see jobs.rs).
                client.batch_execute("COMMIT").await.map_err(db("COMMIT"))?;
                report.jobs = helpers.len() as u32 + 1;
                let recompute = profile
                    .recompute
                    .iter()
                    .map(|f| Ok((f.clone(), file_text(session.project, f)?)))
                    .collect::<Result<Vec<_>, SeedError>>()?;
                let loaded = jobs::load(
                    client,
                    helpers,
                    spec,
                    load,
                    &deferred,
                    &recompute,
                    &mut report,
                    console.progress(),
                )
                .await;
                let loaded = match loaded {
                    // Committed: retried when autovacuum holds the table for a moment.
                    Ok(()) => jobs::triggers_on(client, &triggers_sql(spec, true)).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = loaded {
                    return Err(jobs::put_back(client, spec, &deferred, e).await);
                }
                client.batch_execute("BEGIN").await.map_err(db("BEGIN"))?;
            } else {
                let t0 = Instant::now();
                load::copy(
                    client,
                    spec,
                    load,
                    &mut report,
                    console.progress(),
                    &mut |_| {},
                    &|| None,
                )
                .await?;
                report.phase("generate and COPY", t0);
                if !triggers {
                    put_back(session, &deferred, &profile.recompute, spec, &mut report).await?;
                }
            }
        }
        run_sql_files(session, &profile.after, &mut report).await?;
    }
    let t0 = Instant::now();
    client.batch_execute("COMMIT").await.map_err(db("COMMIT"))?;
    report.phase("commit", t0);
    report.total_rows = report.tables.iter().map(|t| t.rows).sum();
    Ok(report)
}

/// The seeded tables, quoted and qualified, each once.
fn seeded_tables(spec: &SeedSpec) -> Vec<String> {
    spec.tables
        .iter()
        .map(|t| quote_qualified(&t.name))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// After a load in one transaction: keys, the recompute, indexes, foreign keys, triggers.
async fn put_back(
    session: &Session<'_>,
    deferred: &Deferred,
    recompute: &[String],
    spec: &SeedSpec,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    let client = &session.client;
    // Index builds sort: give them room (never less than the server's setting).
    client
        .batch_execute(
            "SELECT set_config('maintenance_work_mem', '256MB', true)
             WHERE (SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem') < 262144",
        )
        .await
        .map_err(db("SET LOCAL maintenance_work_mem"))?;
    let t0 = Instant::now();
    run_batch(
        client,
        &deferred.keys_sql(),
        "adding the primary keys and unique constraints back after the load",
    )
    .await?;
    report.phase("primary keys and unique constraints", t0);
    run_sql_files(session, recompute, report).await?;
    let t0 = Instant::now();
    run_batch(
        client,
        &deferred.indexes_sql(),
        "building indexes after the load",
    )
    .await?;
    report.phase("indexes", t0);
    let t0 = Instant::now();
    run_batch(
        client,
        &deferred.foreign_keys_sql(),
        "checking foreign keys after the load",
    )
    .await?;
    report.phase("foreign keys", t0);
    let t0 = Instant::now();
    set_triggers(client, spec, true).await?;
    report.phase("triggers on", t0);
    Ok(())
}

async fn run_batch(client: &Client, sql: &str, context: &str) -> Result<(), SeedError> {
    if sql.is_empty() {
        return Ok(());
    }
    client.batch_execute(sql).await.map_err(db(context))
}

/// Runs the project's seed SQL files in order, noting each in the report.
async fn run_sql_files(
    session: &Session<'_>,
    files: &[String],
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    for file in files {
        let sql = file_text(session.project, file)?;
        let t0 = Instant::now();
        session
            .client
            .batch_execute(sql)
            .await
            .map_err(db(format!("seeds/{file}")))?;
        report.sql_files.push(format!("seeds/{file}"));
        report.phase(format!("seeds/{file}"), t0);
    }
    Ok(())
}

/// Generated tables that already hold rows.
async fn nonempty_tables(session: &Session<'_>, spec: &SeedSpec) -> Result<Vec<String>, SeedError> {
    let names: BTreeSet<&str> = spec.tables.iter().map(|t| t.name.as_str()).collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let probes: Vec<String> = names
        .iter()
        .map(|t| {
            format!(
                "SELECT {} WHERE EXISTS (SELECT 1 FROM {})",
                crate::history::quote_literal(t),
                quote_qualified(t)
            )
        })
        .collect();
    let rows = session
        .client
        .query(&probes.join(" UNION ALL "), &[])
        .await
        .map_err(db("checking for earlier seed data"))?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

async fn set_triggers(client: &Client, spec: &SeedSpec, enable: bool) -> Result<(), SeedError> {
    let verb = if enable { "ENABLE" } else { "DISABLE" };
    client
        .batch_execute(&triggers_sql(spec, enable))
        .await
        .map_err(db(format!("{verb} TRIGGER USER on the seeded tables")))
}

/// `ALTER TABLE … ENABLE|DISABLE TRIGGER USER` for every seeded table.
fn triggers_sql(spec: &SeedSpec, enable: bool) -> String {
    let names: BTreeSet<&str> = spec.tables.iter().map(|t| t.name.as_str()).collect();
    let verb = if enable { "ENABLE" } else { "DISABLE" };
    names
        .iter()
        .map(|t| format!("ALTER TABLE {} {verb} TRIGGER USER;", quote_qualified(t)))
        .collect()
}
