//! The diff corpus: for every schema — SQL cases written for each object kind and change
//! (tests/corpus/cases, and the original tests/diff_cases), PostgreSQL's contrib extension
//! scripts, real applications' migrations — three round trips with `strata diff
//! --privileges --sql`: create (empty → S), drop (S → empty) and modify (S → S′). Each
//! applies with psql, must leave a second diff clean, and is checked by pg_dump (the oracle,
//! when pg_dump can dump the server's version). Round trips listed in
//! tests/corpus/known-failures.txt are expected to fail; one that passes is a failure.
//!
//! `STRATA_CORPUS` picks the parts: `sql`, `contrib`, `apps`, comma-separated (default: all);
//! `fast` is the SQL cases named in tests/corpus/fast.txt. `STRATA_CORPUS_EXTRA=DIR` adds the
//! case folders of DIR (`extra_*`): schemas to try during development, not committed. `STRATA_PG_BINDIR` picks the server version. Run with
//! `cargo test --test corpus [-- FILTER]`.

#[allow(dead_code)]
#[path = "../it/support.rs"]
mod support;

mod apps;
mod cases;
mod contrib;
mod dump;
mod known;
mod oracle;
mod residual;
mod server;
mod trip;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Failed, Trial};

use cases::{Case, Source};
use trip::Trip;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Parts {
    sql: bool,
    contrib: bool,
    apps: bool,
    /// Only these SQL cases (the fast subset, tests/corpus/fast.txt).
    only: Option<Vec<String>>,
}

fn fast_list() -> Result<Vec<String>, String> {
    let path = root().join("tests/corpus/fast.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

fn parts() -> Result<Parts, String> {
    let spec = std::env::var("STRATA_CORPUS").unwrap_or_else(|_| "sql,contrib,apps".into());
    let mut p = Parts {
        sql: false,
        contrib: false,
        apps: false,
        only: None,
    };
    for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match part {
            "sql" => p.sql = true,
            "fast" => {
                p.sql = true;
                p.only = Some(fast_list()?);
            }
            "contrib" => p.contrib = true,
            "apps" => p.apps = true,
            "all" | "full" => {
                p.sql = true;
                p.contrib = true;
                p.apps = true;
            }
            other => {
                return Err(format!(
                    "STRATA_CORPUS: unknown part '{other}' (sql, contrib, apps, fast, all)"
                ))
            }
        }
    }
    Ok(p)
}

/// Round trips counted for the summary line.
static PASSED: AtomicUsize = AtomicUsize::new(0);
static KNOWN: AtomicUsize = AtomicUsize::new(0);
static FAILED: AtomicUsize = AtomicUsize::new(0);
static SKIPPED: AtomicUsize = AtomicUsize::new(0);
/// One line per round trip run: case, trip, outcome, failing step.
static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(case: &Case, trip: Trip, outcome: &str, step: &str, detail: &str) {
    let first = detail.lines().next().unwrap_or("");
    if let Ok(mut r) = RESULTS.lock() {
        r.push(format!(
            "{}\t{}\t{outcome}\t{step}\t{first}",
            case.name,
            trip.name()
        ));
    }
}

fn round_trip(case: &Case, trip: Trip, list: &known::List) -> Result<Completion, Failed> {
    let major = server::server().major;
    if case.min_version > major {
        SKIPPED.fetch_add(1, Ordering::SeqCst);
        record(case, trip, "skipped", "", "");
        return Ok(Completion::ignored_with(format!(
            "needs PostgreSQL {} or later",
            case.min_version
        )));
    }
    let listed = known::lookup(list, &case.name, trip.name(), major);
    let result = trip::run(case, trip);
    match (result, listed) {
        (Ok(()), None) => {
            PASSED.fetch_add(1, Ordering::SeqCst);
            record(case, trip, "pass", "", "");
            Ok(Completion::Completed)
        }
        (Ok(()), Some(k)) => {
            FAILED.fetch_add(1, Ordering::SeqCst);
            record(case, trip, "listed-but-passes", "", &k.reason);
            Err(format!(
                "{} {} passes but tests/corpus/known-failures.txt line {} lists it as failing ({}): remove that line",
                case.name,
                trip.name(),
                k.line,
                k.reason
            )
            .into())
        }
        (Err(f), Some(k)) if !f.is_setup() => {
            KNOWN.fetch_add(1, Ordering::SeqCst);
            record(case, trip, "known", f.step, &f.detail);
            Ok(Completion::ignored_with(format!(
                "known failure (line {}): {}; fails at: {}",
                k.line, k.reason, f.step
            )))
        }
        (Err(f), _) => {
            FAILED.fetch_add(1, Ordering::SeqCst);
            record(case, trip, "fail", f.step, &f.detail);
            Err(format!(
                "{} {}: {} failed: {}",
                case.name,
                trip.name(),
                f.step,
                f.detail
            )
            .into())
        }
    }
}

fn main() {
    let mut args = Arguments::from_args();
    if args.test_threads.is_none() {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        args.test_threads = Some((cpus * 2).clamp(2, 8));
    }
    let parts = match parts() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let list_path = root().join("tests/corpus/known-failures.txt");
    let list = match std::fs::read_to_string(&list_path)
        .map_err(|e| e.to_string())
        .and_then(|t| known::parse(&t))
    {
        Ok(l) => Arc::new(l),
        Err(e) => {
            eprintln!("error: {}: {e}", list_path.display());
            std::process::exit(1);
        }
    };

    let mut cases: Vec<Case> = Vec::new();
    let mut trials: Vec<Trial> = Vec::new();
    if parts.sql {
        cases.extend(cases::sql_cases(
            &root().join("tests/corpus/cases"),
            "",
            &[],
        ));
        // The engine's own cases (kind_*) are its tests; the earlier ones join the corpus.
        cases.extend(cases::sql_cases(
            &root().join("tests/diff_cases"),
            "dc_",
            &["kind_"],
        ));
        if let Some(only) = &parts.only {
            for name in only {
                if !cases.iter().any(|c| &c.name == name) {
                    eprintln!("error: tests/corpus/fast.txt names no case {name}");
                    std::process::exit(1);
                }
            }
            cases.retain(|c| only.contains(&c.name));
        }
    }
    // Schemas to try during development (public sample databases, applications' dumps):
    // case folders outside the repository, never committed.
    if let Some(dir) = std::env::var_os("STRATA_CORPUS_EXTRA") {
        cases.extend(cases::sql_cases(Path::new(&dir), "extra_", &[]));
    }
    let needs_server = parts.contrib || !args.list;
    if needs_server {
        let s = server::server();
        eprintln!(
            "corpus: PostgreSQL {} ({}); oracle: {}",
            s.version,
            std::env::var("STRATA_PG_BINDIR").unwrap_or_else(|_| "default server".into()),
            if server::oracle_available() {
                format!("pg_dump {}", server::pg_dump_major())
            } else {
                format!(
                    "none (pg_dump {} cannot dump PostgreSQL {}): apply and second diff only",
                    server::pg_dump_major(),
                    s.major
                )
            }
        );
    }
    if parts.contrib {
        let s = server::server();
        let (exts, skipped) = contrib::discover(
            &s.sharedir,
            &s.pkglibdir,
            &root().join("tests/corpus/contrib"),
        );
        for (name, why) in &skipped {
            eprintln!("corpus: contrib extension {name} left out: {why}");
            trials.push(Trial::ignorable_test(
                format!("contrib_{}", name.replace('-', "_")),
                {
                    let why = why.clone();
                    move || Ok(Completion::ignored_with(format!("left out: {why}")))
                },
            ));
        }
        for ext in exts {
            cases.push(Case::new(
                format!("contrib_{}", ext.name.replace('-', "_")),
                Source::Contrib(ext),
            ));
        }
    }
    if parts.apps {
        for app in apps::discover(&root().join("tests/corpus/apps")) {
            cases.push(Case::new(format!("app_{}", app.name), Source::App(app)));
        }
    }

    // The known-failures list names only cases and round trips that exist.
    {
        let names: Vec<(String, bool)> = cases
            .iter()
            .map(|c| (c.name.clone(), c.has_edits()))
            .collect();
        let list = list.clone();
        let check_all = parts.sql && parts.contrib && parts.apps && parts.only.is_none();
        trials.push(Trial::test(
            "known_failures::every_line_names_a_round_trip",
            move || {
                let mut bad = Vec::new();
                for ((case, trip), entries) in list.iter() {
                    // Contrib cases differ by server version: only those of this one are known.
                    if case.starts_with("contrib_") || !check_all {
                        continue;
                    }
                    match names.iter().find(|(n, _)| n == case) {
                        None => bad.push(format!("line {}: no case {case}", entries[0].line)),
                        Some((_, false)) if trip == "modify" => bad.push(format!(
                            "line {}: {case} has no edits, so no modify round trip",
                            entries[0].line
                        )),
                        _ => {}
                    }
                }
                if bad.is_empty() {
                    Ok(())
                } else {
                    Err(bad.join("\n").into())
                }
            },
        ));
    }

    for (name, check) in dump::checks::ALL {
        trials.push(Trial::test(format!("normaliser::{name}"), move || {
            check().map_err(Failed::from)
        }));
    }
    trials.push(Trial::ignorable_test(
        "oracle::same_schema_other_order",
        || {
            if !server::oracle_available() {
                return Ok(Completion::ignored_with("no pg_dump for this server"));
            }
            oracle::same_schema_other_order()
                .map(|()| Completion::Completed)
                .map_err(Failed::from)
        },
    ));
    for (name, check) in residual::checks::ALL {
        trials.push(Trial::ignorable_test(
            format!("oracle::not_scriptable::{name}"),
            move || {
                if !server::oracle_available() {
                    return Ok(Completion::ignored_with("no pg_dump for this server"));
                }
                check()
                    .map(|()| Completion::Completed)
                    .map_err(Failed::from)
            },
        ));
    }
    for (name, _, _) in oracle::VARIANTS {
        trials.push(Trial::ignorable_test(
            format!("oracle::differs_in_{name}"),
            move || {
                if !server::oracle_available() {
                    return Ok(Completion::ignored_with("no pg_dump for this server"));
                }
                oracle::variant(name)
                    .map(|()| Completion::Completed)
                    .map_err(Failed::from)
            },
        ));
    }

    for case in cases {
        let case = Arc::new(case);
        let mut kinds = vec![Trip::Create, Trip::Drop];
        if case.has_edits() {
            kinds.push(Trip::Modify);
        }
        for trip in kinds {
            let case = case.clone();
            let list = list.clone();
            trials.push(Trial::ignorable_test(
                format!("{}::{}", case.name, trip.name()),
                move || round_trip(&case, trip, &list),
            ));
        }
    }

    let conclusion = libtest_mimic::run(&args, trials);
    let (p, k, f, s) = (
        PASSED.load(Ordering::SeqCst),
        KNOWN.load(Ordering::SeqCst),
        FAILED.load(Ordering::SeqCst),
        SKIPPED.load(Ordering::SeqCst),
    );
    if p + k + f + s > 0 {
        let mut lines = RESULTS.lock().map(|r| r.clone()).unwrap_or_default();
        lines.sort();
        let file = trip::output_dir().join("results.tsv");
        if std::fs::create_dir_all(trip::output_dir()).is_ok()
            && std::fs::write(&file, lines.join("\n") + "\n").is_ok()
        {
            eprintln!("corpus: results in {}", file.display());
        }
        // New failures as lines for the known-failures list, to be given their cause.
        let suggested: Vec<String> = lines
            .iter()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.get(2) == Some(&"fail"))
                    .then(|| format!("{} {}  {}: {}", f[0], f[1], f[3], f[4]))
            })
            .collect();
        if !suggested.is_empty() {
            let file = trip::output_dir().join("new-failures.txt");
            if std::fs::write(&file, suggested.join("\n") + "\n").is_ok() {
                eprintln!(
                    "corpus: new failures, as known-failures lines, in {}",
                    file.display()
                );
            }
        }
        eprintln!(
            "corpus on PostgreSQL {}: {} round trips: {p} pass, {k} known failures, {f} failed, {s} skipped (version)",
            server::server().major,
            p + k + f + s
        );
    }
    conclusion.exit();
}
