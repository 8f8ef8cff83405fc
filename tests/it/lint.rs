//! `strata lint`: the corpus (every rule's must-fire and must-not cases, and every static
//! verdict checked against what PostgreSQL's pg_locks and relfilenodes show when the case
//! runs), live-size grading on seeded VRSS, `--fix` round trips, `--trace`, output
//! formats, the apply gate, and the VRSS and example projects linting clean.

use std::collections::BTreeSet;

use strata::lint::{self, analyze::Covered, LintOptions, SqlSource};

use crate::support::{server, TestDb};

mod behaviour;

const SETUP: &str = include_str!("../lint_corpus/_setup.sql");
const FILES: &[(&str, &str)] = &[
    ("locks.sql", include_str!("../lint_corpus/locks.sql")),
    ("breaking.sql", include_str!("../lint_corpus/breaking.sql")),
    ("runtime.sql", include_str!("../lint_corpus/runtime.sql")),
    ("advice.sql", include_str!("../lint_corpus/advice.sql")),
    ("mixed.sql", include_str!("../lint_corpus/mixed.sql")),
];

/// One corpus case.
struct Case {
    name: String,
    fires: Vec<String>,
    quiet: Vec<String>,
    no_transaction: bool,
    fails: bool,
    uncovered: bool,
    /// Earlier migrations, then the linted one (last).
    parts: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    for (file, text) in FILES {
        for chunk in text.split("-- case: ").skip(1) {
            let (name, body) = chunk.split_once('\n').expect("case name line");
            let mut case = Case {
                name: format!("{file}: {}", name.trim()),
                fires: Vec::new(),
                quiet: Vec::new(),
                no_transaction: false,
                fails: false,
                uncovered: false,
                parts: Vec::new(),
            };
            let list = |s: &str| -> Vec<String> {
                s.split(',')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            };
            let mut sql = String::new();
            for line in body.lines() {
                if let Some(rest) = line.strip_prefix("-- fires:") {
                    case.fires = list(rest);
                } else if let Some(rest) = line.strip_prefix("-- quiet:") {
                    case.quiet = list(rest);
                } else if line.trim() == "-- no-transaction" {
                    case.no_transaction = true;
                } else if line.trim() == "-- fails" {
                    case.fails = true;
                } else if line.trim() == "-- uncovered" {
                    case.uncovered = true;
                } else if line.trim() == "-- then" {
                    case.parts.push(std::mem::take(&mut sql));
                } else {
                    sql.push_str(line);
                    sql.push('\n');
                }
            }
            case.parts.push(sql.trim_end().to_string() + "\n");
            for r in case.fires.iter().chain(&case.quiet) {
                assert!(
                    lint::rules::by_id(r).is_some(),
                    "{}: unknown rule {r}",
                    case.name
                );
            }
            cases.push(case);
        }
    }
    cases
}

/// The sources of a case: the setup and earlier parts read for context, the last linted.
fn sources(case: &Case) -> Vec<SqlSource> {
    let mut list = vec![SqlSource {
        lint: false,
        ..SqlSource::text("_setup.sql", SETUP)
    }];
    let n = case.parts.len();
    for (i, part) in case.parts.iter().enumerate() {
        let last = i + 1 == n;
        let mut s = SqlSource::text(&format!("part{i}.sql"), part);
        s.lint = last;
        s.no_transaction = if last {
            case.no_transaction
        } else {
            part.contains("CONCURRENTLY")
        };
        list.push(s);
    }
    list
}

fn options(case: &Case) -> LintOptions {
    LintOptions {
        covered: Covered {
            lock_timeout: !case.uncovered,
            statement_timeout: false,
        },
        ..LintOptions::default()
    }
}

#[test]
fn lint_corpus_every_rule_fires_where_it_must_and_nowhere_else() {
    let cases = corpus();
    let mut failures = Vec::new();
    let mut statements = 0;
    let mut fired_somewhere = BTreeSet::new();
    for case in &cases {
        let (report, _) = lint::lint(&sources(case), &options(case));
        statements += report.statements;
        let found: BTreeSet<&str> = report.findings.iter().map(|f| f.rule).collect();
        for r in &case.fires {
            fired_somewhere.insert(r.clone());
            if !found.contains(r.as_str()) {
                failures.push(format!("{}: {r} did not fire (found {found:?})", case.name));
            }
        }
        for r in &case.quiet {
            if found.contains(r.as_str()) {
                let f = report.findings.iter().find(|f| f.rule == r).expect("found");
                failures.push(format!("{}: {r} fired: {}", case.name, f.message));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(statements >= 300, "the corpus has {statements} statements");
    // Every rule has a must-fire case and a must-not case.
    for rule in lint::rules::ALL {
        assert!(
            fired_somewhere.contains(rule.id),
            "no case makes {} fire",
            rule.id
        );
        assert!(
            cases.iter().any(|c| c.quiet.iter().any(|q| q == rule.id)),
            "no case keeps {} quiet",
            rule.id
        );
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(conn);
    client
}

#[test]
fn lint_corpus_static_verdicts_agree_with_traced_locks_and_rewrites() {
    let base = TestDb::new("lint_corpus_base");
    base.execute(SETUP);
    let admin_url = server().cluster.params("postgres").to_url();
    let rt = runtime();
    let cases = corpus();
    let mut failures = Vec::new();
    let mut traced = 0;
    rt.block_on(async {
        let admin = connect(&admin_url).await;
        // Cases of one transactional migration run on a copy of the base, rolled back;
        // the others each get a copy of their own.
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {}_shared TEMPLATE {}",
                base.name, base.name
            ))
            .await
            .expect("copy");
        let shared_url = base
            .url
            .replace(&base.name, &format!("{}_shared", base.name));
        let shared = connect(&shared_url).await;
        for (n, case) in cases.iter().enumerate() {
            let srcs = sources(case);
            let (_, facts) = lint::lint(&srcs, &options(case));
            let last = srcs.len() - 1;
            let mine: Vec<&lint::StatementFacts> =
                facts.iter().filter(|f| f.source == last).collect();
            let statements = lint::trace::to_trace(&srcs[last], last, &facts);
            let simple = case.parts.len() == 1 && !case.no_transaction;
            let trace = if simple {
                lint::trace::trace_script(&shared, None, &case.name, &statements, true, true)
                    .await
                    .expect("trace")
            } else {
                let db = format!("{}_c{n}", base.name);
                admin
                    .batch_execute(&format!("CREATE DATABASE {db} TEMPLATE {}", base.name))
                    .await
                    .expect("copy");
                let client = connect(&base.url.replace(&base.name, &db)).await;
                for part in &case.parts[..case.parts.len() - 1] {
                    for s in strata::sql_split::split(part) {
                        client
                            .batch_execute(&s.sql)
                            .await
                            .expect("context migration");
                    }
                }
                let t = lint::trace::trace_script(
                    &client,
                    None,
                    &case.name,
                    &statements,
                    !case.no_transaction,
                    false,
                )
                .await
                .expect("trace");
                drop(client);
                admin
                    .batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))
                    .await
                    .expect("drop copy");
                t
            };
            traced += trace.statements.len();
            let failed = trace.statements.iter().find_map(|s| s.error.clone());
            if case.fails != failed.is_some() {
                failures.push(format!(
                    "{}: {} on the server ({})",
                    case.name,
                    if case.fails {
                        "expected to fail but ran"
                    } else {
                        "failed"
                    },
                    failed.unwrap_or_default()
                ));
            }
            for d in lint::trace::compare(&trace, &mine) {
                failures.push(format!(
                    "{}: statement {} on {}: predicted {}, observed {}",
                    case.name, d.statement, d.table, d.predicted, d.observed
                ));
            }
        }
        drop(shared);
        admin
            .batch_execute(&format!("DROP DATABASE {}_shared WITH (FORCE)", base.name))
            .await
            .expect("drop shared");
    });
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(traced >= 300, "{traced} statements traced");
}
