//! Writing migrations: `init` makes a project strata can run, `new` writes the next pair by
//! the project's numbering rule. Checked on disk, with schema.toml parsed by `toml`, and
//! through the catalog after `apply`/`rollback`.

use std::path::Path;

use crate::support::*;

fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Gives a script written by `new` a statement.
fn write_sql(path: &Path) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str("SELECT 1;\n");
    std::fs::write(path, text).unwrap();
}

#[test]
fn init_then_new_edit_apply_status_rollback() {
    let db = TestDb::new("author_init");
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("shop-api");
    let run = Strata::bare()
        .args(["init"])
        .args([dir.to_str().unwrap()])
        .run();
    run.success();
    run.stdout_has("Made project shop_api")
        .stdout_has("new create_first_table");
    assert_eq!(
        list(&dir),
        [
            ".gitignore",
            "checks.toml",
            "migrations",
            "schema.toml",
            "seeds"
        ]
    );
    assert_eq!(list(&dir.join("migrations")), ["1_main"]);
    assert!(list(&dir.join("migrations/1_main")).is_empty());
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("schema.toml")).unwrap()).unwrap();
    assert_eq!(config["project"]["name"].as_str(), Some("shop_api"));
    assert_eq!(config["phases"].as_array().unwrap().len(), 1);
    assert!(std::fs::read_to_string(dir.join(".gitignore"))
        .unwrap()
        .lines()
        .any(|l| l == ".strata/"));
    // Comment-only example files parse as empty TOML.
    for f in ["seeds/seeds.toml", "checks.toml"] {
        let t: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join(f)).unwrap())
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(t.is_empty(), "{f}");
    }

    let run = Strata::bare()
        .project_dir(&dir)
        .args(["new", "create_items", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["version"], 1001);
    assert_eq!(json["numbering"], "phase_blocks");
    let up = std::path::PathBuf::from(json["up"].as_str().unwrap());
    let down = std::path::PathBuf::from(json["down"].as_str().unwrap());
    assert_eq!(up, dir.join("migrations/1_main/1001_create_items.up.sql"));
    assert!(down.is_file());
    // Unedited, the project refuses to load: a migration that is only comments.
    Strata::on(&db)
        .project_dir(&dir)
        .args(["apply"])
        .run()
        .one_line_error("the script is empty");
    std::fs::write(&up, "CREATE TABLE items (id int PRIMARY KEY, name text);\n").unwrap();
    std::fs::write(&down, "DROP TABLE items;\n").unwrap();
    Strata::on(&db)
        .project_dir(&dir)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.tables(), ["items"]);
    assert_eq!(db.recorded(), [1001]);
    Strata::on(&db)
        .project_dir(&dir)
        .args(["status"])
        .run()
        .assert_code(0);
    Strata::on(&db)
        .project_dir(&dir)
        .args(["rollback", "--steps", "1", "--yes"])
        .run()
        .success();
    assert!(db.tables().is_empty());
    assert!(db.recorded().is_empty());

    // A second init over the project refuses and changes nothing.
    let before = std::fs::read(dir.join("schema.toml")).unwrap();
    Strata::bare()
        .args(["init", dir.to_str().unwrap()])
        .run()
        .one_line_error("a project is already there");
    assert_eq!(std::fs::read(dir.join("schema.toml")).unwrap(), before);
}

#[test]
fn init_refuses_files_it_would_overwrite_and_bad_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("checks.toml"), "# mine\n").unwrap();
    Strata::bare()
        .args(["init", dir.path().to_str().unwrap(), "--name", "ok"])
        .run()
        .one_line_error("checks.toml: already exists");
    assert_eq!(list(dir.path()), ["checks.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("checks.toml")).unwrap(),
        "# mine\n"
    );
    Strata::bare()
        .args(["init", dir.path().to_str().unwrap(), "--name", "Bad-Name"])
        .run()
        .one_line_error("not a usable name");
}

/// A copy of the VRSS project's schema.toml, checks.toml and migrations.
fn vrss_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for f in ["schema.toml", "checks.toml"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    copy(&root.join("migrations"), &dir.path().join("migrations"));
    dir
}

#[test]
fn new_in_vrss_follows_phase_blocks() {
    let dir = vrss_copy();
    let run = Strata::bare()
        .project_dir(dir.path())
        .args(["new", "add_read_receipts", "--phase", "4", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["version"], 4008);
    assert_eq!(json["phase"], "4_communication");
    let up = dir
        .path()
        .join("migrations/4_communication/4008_add_read_receipts.up.sql");
    assert!(up.is_file());
    // Until it is written, the pair keeps the project from loading (only comments).
    Strata::bare()
        .project_dir(dir.path())
        .args(["new", "next"])
        .run()
        .one_line_error("4008_add_read_receipts.down.sql: the script is empty");
    write_sql(&up);
    write_sql(&up.with_file_name("4008_add_read_receipts.down.sql"));
    // By name, and --no-transaction writes the directive on the up script's first line.
    let run = Strata::bare()
        .project_dir(dir.path())
        .args([
            "new",
            "index_posts",
            "--phase",
            "content_social",
            "--no-transaction",
        ])
        .run();
    run.success().stdout_has("Version 2");
    let folder = dir.path().join("migrations/2_content_social");
    let up = list(&folder)
        .into_iter()
        .find(|f| f.ends_with("_index_posts.up.sql"))
        .unwrap();
    let text = std::fs::read_to_string(folder.join(&up)).unwrap();
    assert_eq!(text.lines().next(), Some("-- strata:no-transaction"));
    write_sql(&folder.join(&up));
    write_sql(&folder.join(up.replace(".up.sql", ".down.sql")));
    Strata::bare()
        .project_dir(dir.path())
        .args(["new", "x", "--phase", "9"])
        .run()
        .one_line_error("no phase 9");
}

#[test]
fn new_phase_adds_the_phase_and_its_folder() {
    let project = TempProject::new().migration(1, 1001, "a", "SELECT 1;", "SELECT 2;");
    let run = Strata::bare()
        .project(&project)
        .args(["new", "create_audit", "--new-phase", "audit", "--json"])
        .run();
    run.success();
    assert_eq!(run.json()["version"], 4001);
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(project.path().join("schema.toml")).unwrap())
            .unwrap();
    let phases = config["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 4);
    assert_eq!(phases[3]["name"].as_str(), Some("audit"));
    assert!(project
        .path()
        .join("migrations/4_audit/4001_create_audit.down.sql")
        .is_file());
}

#[test]
fn new_numbers_by_timestamp_and_refuses_collisions() {
    let project = TempProject::new().migration(3, 20240101120000, "a", "SELECT 1;", "SELECT 2;");
    let run = Strata::bare()
        .project(&project)
        .args(["new", "b", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["numbering"], "timestamp");
    let version = json["version"].as_i64().unwrap();
    write_sql(Path::new(json["up"].as_str().unwrap()));
    write_sql(Path::new(json["down"].as_str().unwrap()));
    let today: i64 = chrono::Utc::now()
        .format("%Y%m%d000000")
        .to_string()
        .parse()
        .unwrap();
    assert!(version >= today && version < today + 1_000_000, "{version}");
    // Phase 1 would need a version below phase 3's: refused, nothing written.
    let before = list(&project.path().join("migrations"));
    Strata::bare()
        .project(&project)
        .args(["new", "c", "--phase", "1"])
        .run()
        .one_line_error("versions increase with phase order");
    assert_eq!(list(&project.path().join("migrations")), before);

    // Sequence numbering: the next number in phase 1 is taken by phase 2.
    let seq = TempProject::new()
        .migration(1, 1, "a", "SELECT 1;", "SELECT 2;")
        .migration(2, 2, "b", "SELECT 1;", "SELECT 2;");
    Strata::bare()
        .project(&seq)
        .args(["new", "c", "--phase", "1"])
        .run()
        .one_line_error("would not be below 2 (taken)");
    let run = Strata::bare()
        .project(&seq)
        .args(["new", "c", "--json"])
        .run();
    run.success();
    assert_eq!(run.json()["version"], 3);
}

#[test]
fn new_needs_a_project_folder() {
    Strata::bare()
        .args(["new", "x"])
        .run()
        .one_line_error("give --project DIR");
}

/// Each shell's completion script is one that shell accepts where it is installed (bash is
/// always: `bash -n` parses it), and names the commands.
#[test]
fn completion_scripts_for_every_shell_and_the_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Strata::bare().args(["completions", shell]).run();
        run.success();
        for command in ["apply", "rollback", "init", "new", "diff"] {
            assert!(run.stdout.contains(command), "{shell}: {command}");
        }
        if shell == "bash" {
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), &run.stdout).unwrap();
            let status = std::process::Command::new("bash")
                .arg("-n")
                .arg(file.path())
                .status()
                .unwrap();
            assert!(status.success(), "bash -n rejects the script");
        }
    }
    let json = Strata::bare()
        .args(["completions", "fish", "--json"])
        .run()
        .json();
    assert_eq!(json["kind"], "completions fish");
    Strata::bare()
        .args(["completions", "tcsh"])
        .run()
        .assert_code(1);
    let run = Strata::bare().args(["man"]).run();
    run.success();
    assert!(run.stdout.contains(".TH strata"), "no title header");
    // groff (where installed, as on the CI image) formats it without a warning.
    if Path::new("/usr/bin/groff").exists() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &run.stdout).unwrap();
        let out = std::process::Command::new("/usr/bin/groff")
            .args(["-man", "-Tutf8", "-ww"])
            .arg(file.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for command in ["apply", "init", "completions"] {
            assert!(text.contains(command), "{command} not in the man page");
        }
    }
}
