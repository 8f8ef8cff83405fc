//! `squash --to 2019` on a copy of the VRSS project: a fresh database applied from the
//! squashed project has the same `pg_dump --schema-only` as one applied from the original;
//! a database that ran the original migrations (at 4007) shows a clean `status` and
//! `apply` runs nothing there, and `rollback --all` there leaves no table and no history row;
//! the old files are kept where `--keep-in` said.

use std::path::Path;

use crate::dump;
use crate::support::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The embedded project's files (the repository's root holds them), copied.
fn vrss_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for f in ["schema.toml", "checks.toml"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["migrations", "seeds"] {
        copy_dir(&root.join(d), &dir.path().join(d));
    }
    dir
}

#[test]
fn squash_vrss_to_2019_keeps_fresh_and_existing_databases_working() {
    let project = vrss_copy();
    let dir = project.path();
    let keep = tempfile::tempdir().unwrap();
    let before: Vec<String> = ["1_foundation", "2_content_social"]
        .iter()
        .flat_map(|p| std::fs::read_dir(dir.join("migrations").join(p)).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // The database that ran the original migrations (up to 4007).
    let existing = TestDb::vrss("squash_existing");
    let recorded = existing.recorded();
    assert_eq!(recorded.last(), Some(&4007));

    let run = Strata::on(&existing)
        .project_dir(dir)
        .args(["squash", "--to", "2019", "--keep-in"])
        .args([keep.path().to_str().unwrap(), "--json"])
        .run();
    run.success();
    let report = run.json();
    assert_eq!(report["version"], 2019);
    assert_eq!(report["verified"], true);
    let replaced = report["replaced"].as_array().unwrap().len();
    assert_eq!(replaced * 2, before.len());
    // The old files moved, the new pair written in 2019's phase.
    let kept: usize = ["1_foundation", "2_content_social"]
        .iter()
        .map(|p| std::fs::read_dir(keep.path().join(p)).unwrap().count())
        .sum();
    assert_eq!(kept, before.len());
    let up = std::fs::read_to_string(dir.join("migrations/2_content_social/2019_squashed.up.sql"))
        .unwrap();
    assert!(up.starts_with("-- strata:squashes 1001 "), "{}", &up[..200]);
    assert_eq!(
        std::fs::read_dir(dir.join("migrations/2_content_social"))
            .unwrap()
            .count(),
        2
    );

    // A fresh database from the squashed project equals one from the original.
    let fresh = TestDb::new("squash_fresh");
    Strata::on(&fresh)
        .project_dir(dir)
        .args(["apply"])
        .run()
        .success();
    let original = TestDb::vrss("squash_original");
    if let Some(d) = dump::difference(&schema_dump(&fresh), &schema_dump(&original), 20) {
        panic!("pg_dump differs: {d}");
    }
    let fresh_versions = fresh.recorded();
    assert_eq!(fresh_versions[0], 2019);
    assert!(fresh_versions.iter().all(|v| *v == 2019 || *v > 3000));

    // The database that ran the old migrations: status clean, apply a no-op.
    Strata::on(&existing)
        .project_dir(dir)
        .args(["status"])
        .run()
        .success();
    Strata::on(&existing)
        .project_dir(dir)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(existing.recorded(), recorded);
    if let Some(d) = dump::difference(&schema_dump(&existing), &schema_dump(&original), 20) {
        panic!("apply changed the existing database: {d}");
    }
    // Rolled back all the way there, the squash forgets every version it replaced.
    Strata::on(&existing)
        .project_dir(dir)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(existing.recorded().is_empty(), "{:?}", existing.recorded());
    assert!(existing.tables().is_empty(), "{:?}", existing.tables());
}

#[test]
fn squash_asks_what_becomes_of_the_old_files_and_refuses_the_embedded_project() {
    let db = TestDb::new("squash_bad");
    let project = vrss_copy();
    Strata::on(&db)
        .project_dir(project.path())
        .args(["squash", "--to", "2019"])
        .run()
        .assert_code(1)
        .stderr_has("required arguments were not provided");
    Strata::on(&db)
        .args(["squash", "--to", "2019", "--yes"])
        .run()
        .assert_code(1)
        .one_line_error("--project");
    Strata::on(&db)
        .project_dir(project.path())
        .args(["squash", "--to", "2999", "--yes"])
        .run()
        .assert_code(1)
        .one_line_error("2999");
}
