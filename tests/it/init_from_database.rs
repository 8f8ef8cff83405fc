//! `init --from-database` on three schemas of the diff corpus (partitions; row-level
//! security with functions; many grants): the project it writes, applied to an empty
//! database, gives the source's schema — `diff --from source --to new` exits 0 and
//! `pg_dump --schema-only` of both is the same after the corpus harness's normalising —
//! and with `--baseline --yes` the source is recorded at the first version, `status` clean.
//! The grants schema is split by kind (`--split-by kind`): the same holds for the set.

use std::path::Path;

use crate::support::*;

use crate::dump;

fn corpus(case: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/cases")
        .join(case)
        .join("a.sql");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn corpus_roles(db: &TestDb) {
    for role in [
        "corpus_owner",
        "corpus_reader",
        "corpus_writer",
        "corpus_auditor",
    ] {
        db.execute(&format!(
            "DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        ));
    }
}

fn adopt(tag: &str, schema: &str, split: &[&str]) {
    let source = TestDb::new(&format!("adopt_{tag}_src"));
    corpus_roles(&source);
    source.execute(schema);
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(tag);
    let run = Strata::bare()
        .args([
            "init",
            dir.to_str().unwrap(),
            "--from-database",
            &source.url,
        ])
        .args(["--baseline", "--yes", "--json"])
        .args(if split.is_empty() {
            &[][..]
        } else {
            &["--split-by", "kind"][..]
        })
        .run();
    run.success();
    let report = run.json();
    assert_eq!(report["verified"], true);
    // One migration, or one per kind (those the schema has), numbered from 1001.
    let names: Vec<&str> = if split.is_empty() {
        vec!["from_database"]
    } else {
        split.to_vec()
    };
    let versions: Vec<i64> = (0..names.len() as i64).map(|i| 1001 + i).collect();
    assert_eq!(report["version"], *versions.last().unwrap(), "{report}");
    for (v, name) in versions.iter().zip(&names) {
        for end in ["up", "down"] {
            let file = dir.join(format!("migrations/1_main/{v}_{name}.{end}.sql"));
            assert!(file.exists(), "{}: {report}", file.display());
        }
    }
    assert_eq!(report["baseline"]["recorded"], serde_json::json!(versions));

    // The project applied to an empty database gives the source's schema.
    let copy = TestDb::new(&format!("adopt_{tag}_new"));
    Strata::on(&copy)
        .project_dir(&dir)
        .args(["apply"])
        .run()
        .success();
    Strata::bare()
        .project_dir(&dir)
        .args([
            "diff",
            "--privileges",
            "--from",
            &source.url,
            "--to",
            &copy.url,
        ])
        .run()
        .success();
    if let Some(d) = dump::difference(&schema_dump(&copy), &schema_dump(&source), 20) {
        panic!("{tag}: pg_dump differs: {d}");
    }
    // The source, baselined, is at that version: status is clean.
    assert_eq!(source.recorded(), versions);
    Strata::on(&source)
        .project_dir(&dir)
        .args(["status"])
        .run()
        .success();
    // Rolled back, the copy holds nothing the migration made.
    Strata::on(&copy)
        .project_dir(&dir)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(copy.tables().is_empty(), "{:?}", copy.tables());
    // A project is never overwritten.
    Strata::bare()
        .args([
            "init",
            dir.to_str().unwrap(),
            "--from-database",
            &source.url,
        ])
        .run()
        .assert_code(1)
        .one_line_error("already there");
}

#[test]
fn init_from_a_database_with_partitions() {
    adopt("partitions", &corpus("pgd_partitioning"), &[]);
}

#[test]
fn init_from_a_database_with_row_level_security_and_functions() {
    adopt(
        "rls",
        &format!("{}\n{}", corpus("pgd_policies"), corpus("pgd_functions")),
        &[],
    );
}

#[test]
fn init_from_a_database_with_many_grants() {
    // Split by kind: each kind its own migration.
    adopt(
        "grants",
        &corpus("pgd_privileges"),
        &[
            "extensions_and_types",
            "tables",
            "functions_and_triggers",
            "grants",
        ],
    );
}

#[test]
fn init_from_a_database_refuses_a_bad_url_by_flag_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    Strata::bare()
        .args([
            "init",
            dir.to_str().unwrap(),
            "--from-database",
            "postgres://u@h:notaport/db",
        ])
        .run()
        .assert_code(1)
        .one_line_error("--from-database");
    assert!(!dir.exists());
    // --baseline means nothing without a database to adopt.
    Strata::bare()
        .args(["init", dir.to_str().unwrap(), "--baseline"])
        .run()
        .assert_code(1);
    assert!(!dir.exists());
}
