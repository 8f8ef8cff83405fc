//! The checksum cache of `status` (`.strata/cache/checksums`): it never hides a
//! modification, and a corrupt, foreign-format or linked cache file is ignored and replaced,
//! never followed or written through.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The cache trusts no entry for a file changed less than 2 s before it was written (racy
/// entries): the test project's files must be older than that to be cached at all.
fn let_files_settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_100));
}

fn cache_file(project: &TempProject) -> PathBuf {
    project.path().join(".strata/cache/checksums")
}

/// The cache file as this test reads it: its header line, and per script its relative
/// path → the rest of its line (tab-separated: device, inode, size, mtime, ctime, and for
/// an up script its checksum, normalized checksum, no-transaction flag and squashes).
struct CacheText {
    header: String,
    entries: std::collections::BTreeMap<String, Vec<String>>,
}

fn read_cache(project: &TempProject) -> CacheText {
    let text = String::from_utf8(std::fs::read(cache_file(project)).unwrap()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    assert!(lines.next().unwrap().starts_with("build "));
    assert!(lines.next().unwrap().starts_with("written "));
    let entries = lines
        .map(|l| {
            let mut fields = l.split('\t').map(str::to_string);
            (fields.next().unwrap(), fields.collect())
        })
        .collect();
    CacheText { header, entries }
}

/// `text` (a cache file) with the up checksum recorded for `rel` replaced by `checksum`.
fn with_checksum(text: &str, rel: &str, checksum: &str) -> String {
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let mut fields: Vec<&str> = l.split('\t').collect();
            if fields[0] == rel {
                found = true;
                fields[6] = checksum;
            }
            fields.join("\t")
        })
        .collect();
    assert!(found, "{rel} is in the cache");
    lines.join("\n") + "\n"
}

/// SHA-256 (hex) of `text`: the checksum strata records, computed here independently.
fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An applied project whose status has been cached (the cache file exists and parses).
fn cached_project(db: &TestDb) -> TempProject {
    let project = sample_project();
    Strata::on(db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let_files_settle();
    status_json(db, &project, 0);
    let cache = read_cache(&project);
    // Every script of the project has its entry: 5 migrations, up and down; an up script's
    // checksum is the file's SHA-256.
    assert_eq!(cache.entries.len(), 10);
    let up = "migrations/2_two/10_create_b.up.sql";
    let text = std::fs::read_to_string(project.path().join(up)).unwrap();
    assert_eq!(cache.entries[up][5], sha256_hex(&text));
    assert_eq!(
        cache.entries[up.replace(".up.", ".down.").as_str()].len(),
        5
    );
    project
}

fn status_json(db: &TestDb, project: &TempProject, code: i32) -> serde_json::Value {
    let run = Strata::on(db)
        .project(project)
        .args(["status", "--json"])
        .run();
    run.assert_code(code);
    run.json()
}

fn row(json: &serde_json::Value, version: i64) -> serde_json::Value {
    json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["version"] == version)
        .unwrap()
        .clone()
}

fn recorded_checksum(db: &TestDb, version: i64) -> String {
    db.scalar(&format!(
        "SELECT checksum FROM schema_migrations WHERE version = {version}"
    ))
}

/// Rewrites `path` with `text` (same length) and puts its mtime back: only the ctime (which
/// no one can set) tells the change.
fn edit_keeping_size_and_mtime(path: &Path, from: &str, to: &str) -> String {
    assert_eq!(from.len(), to.len());
    let before = std::fs::metadata(path).unwrap();
    let text = std::fs::read_to_string(path).unwrap().replace(from, to);
    std::fs::write(path, &text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_times(std::fs::FileTimes::new().set_modified(before.modified().unwrap()))
        .unwrap();
    let after = std::fs::metadata(path).unwrap();
    assert_eq!(after.len(), before.len());
    assert_eq!(after.modified().unwrap(), before.modified().unwrap());
    text
}

#[test]
fn an_edit_keeping_size_and_mtime_is_still_reported_modified() {
    let db = TestDb::new("stc_edit");
    let project = cached_project(&db);
    // A second run answers from the cache, and still matches the recorded checksums.
    let json = status_json(&db, &project, 0);
    assert_eq!(
        row(&json, 10)["checksum"].as_str().unwrap(),
        recorded_checksum(&db, 10)
    );
    let path = project.up_path(2, 10, "create_b");
    let text = edit_keeping_size_and_mtime(&path, "varchar(32)", "varchar(64)");
    let json = status_json(&db, &project, 2);
    let edited = row(&json, 10);
    assert_eq!(edited["state"], "modified");
    // The reported checksum is the edited file's, the recorded one what ran.
    assert_eq!(edited["checksum"].as_str().unwrap(), sha256_hex(&text));
    assert_eq!(
        edited["recorded_checksum"].as_str().unwrap(),
        recorded_checksum(&db, 10)
    );
    assert_ne!(sha256_hex(&text), recorded_checksum(&db, 10));
    // And again once the edited file is in the cache.
    let_files_settle();
    status_json(&db, &project, 2);
    let json = status_json(&db, &project, 2);
    assert_eq!(
        row(&json, 10)["checksum"].as_str().unwrap(),
        sha256_hex(&text)
    );
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_rebuilt() {
    let db = TestDb::new("stc_corrupt");
    let project = cached_project(&db);
    let good = read_cache(&project);
    let good_text = std::fs::read_to_string(cache_file(&project)).unwrap();
    // A cache that claims another checksum for migration 10, in a format strata does not
    // know (or the JSON of format 1): trusted, it would report 10 modified.
    let zeros = "0".repeat(64);
    let claimed = with_checksum(&good_text, "migrations/2_two/10_create_b.up.sql", &zeros);
    let foreign = claimed.replacen(&good.header, "strata checksum cache 999", 1);
    let truncated = &claimed[..claimed.len() - 1];
    // The control: in this format the claim is trusted (so what follows is refused for
    // its format alone).
    std::fs::write(cache_file(&project), &claimed).unwrap();
    let json = status_json(&db, &project, 2);
    assert_eq!(row(&json, 10)["state"], "modified");
    assert_eq!(row(&json, 10)["checksum"].as_str().unwrap(), zeros);
    let json = serde_json::json!({"format": 1, "build": "", "written_ns": 0, "entries": {
        "migrations/2_two/10_create_b.up.sql": {"key": {}, "up": {"checksum": zeros}}}});
    for bytes in [
        b"{ not json".to_vec(),
        vec![0xff; 100],
        foreign.into_bytes(),
        truncated.as_bytes().to_vec(),
        serde_json::to_vec(&json).unwrap(),
    ] {
        std::fs::write(cache_file(&project), &bytes).unwrap();
        let json = status_json(&db, &project, 0);
        assert_eq!(json["summary"]["modified"], 0);
        assert_eq!(
            row(&json, 10)["checksum"].as_str().unwrap(),
            recorded_checksum(&db, 10)
        );
        // Rebuilt: the file parses again and is this format.
        let rebuilt = read_cache(&project);
        assert_eq!(rebuilt.header, good.header);
        assert_eq!(rebuilt.entries, good.entries);
    }
}

#[test]
fn a_cache_file_that_is_a_link_is_not_followed_nor_written_through() {
    let db = TestDb::new("stc_link");
    let project = cached_project(&db);
    let planted = with_checksum(
        &std::fs::read_to_string(cache_file(&project)).unwrap(),
        "migrations/2_two/10_create_b.up.sql",
        &"0".repeat(64),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("planted");
    std::fs::write(&target, &planted).unwrap();
    std::fs::remove_file(cache_file(&project)).unwrap();
    std::os::unix::fs::symlink(&target, cache_file(&project)).unwrap();
    let json = status_json(&db, &project, 0);
    // Not followed: the planted checksum would have made 10 modified.
    assert_eq!(row(&json, 10)["state"], "applied");
    // Not written through: the link's target is as it was, and the link itself was
    // replaced by strata's own file.
    assert_eq!(std::fs::read_to_string(&target).unwrap(), planted);
    let meta = std::fs::symlink_metadata(cache_file(&project)).unwrap();
    assert!(meta.file_type().is_file());
}

#[test]
fn apply_from_the_cache_answers_a_no_op_and_runs_what_is_new() {
    let db = TestDb::new("stc_apply");
    let project = cached_project(&db);
    let catalog = db.catalog();
    let run = Strata::on(&db)
        .project(&project)
        .args(["apply", "--json"])
        .run();
    run.success();
    assert_eq!(run.json()["applied"].as_array().unwrap().len(), 0);
    assert_eq!(db.catalog(), catalog);
    // A new migration beside cached ones: read in full and run, statement by statement.
    let project = project.migration(
        3,
        30,
        "create_d",
        "CREATE TABLE d (id int PRIMARY KEY);\nCREATE INDEX d_id_idx ON d (id);\n",
        "DROP TABLE d;\n",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.recorded(), vec![1, 2, 10, 20, 21, 30]);
    assert_eq!(
        db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'd' ORDER BY 1"),
        vec!["d_id_idx", "d_pkey"]
    );
    let up = std::fs::read_to_string(project.up_path(3, 30, "create_d")).unwrap();
    assert_eq!(recorded_checksum(&db, 30), sha256_hex(&up));
    // An applied script edited (size and mtime kept): a cached apply still refuses.
    let path = project.up_path(2, 10, "create_b");
    edit_keeping_size_and_mtime(&path, "varchar(32)", "varchar(64)");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .one_line_error("refusing to apply");
}
