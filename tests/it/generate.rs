//! `generate`: the pair written from a desired schema verifies, and the oracle is not strata:
//! `pg_dump --schema-only` of the database strata migrated is compared (with the corpus
//! harness's normaliser) with a database psql built from the desired file directly, and
//! after `rollback --steps 1` with the database at the previous version. Data loss is
//! refused unless allowed; `--rename` keeps rows (counted with SQL).

use std::path::Path;

use crate::support::*;

use crate::dump;

/// The project's first migration: every kind the next migration changes.
const BASE: &str = r#"
CREATE TYPE gen_status AS ENUM ('new', 'done');
CREATE TABLE items (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    qty integer,
    note text
);
CREATE TABLE logs (id bigint PRIMARY KEY, item_id bigint, msg text);
CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE VIEW item_names AS SELECT id, name FROM items;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
"#;

const BASE_DOWN: &str = r#"
DROP FUNCTION touch();
DROP VIEW item_names;
DROP FUNCTION total(integer, integer);
DROP TABLE logs;
DROP TABLE items;
DROP TYPE gen_status;
"#;

/// The desired schema, declared whole: column added (added_col), dropped (note), retyped
/// (qty), an index, constraints (check, foreign key), a function body, a view, an enum
/// label, a trigger, a policy and a grant.
const DESIRED: &str = r#"
CREATE TYPE gen_status AS ENUM ('new', 'done', 'archived');
CREATE TABLE items (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    qty bigint CHECK (qty >= 0),
    added_col text
);
CREATE TABLE logs (id bigint PRIMARY KEY, item_id bigint REFERENCES items (id), msg text);
CREATE INDEX items_name_idx ON items (name);
CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b + 0';
CREATE VIEW item_names AS SELECT id, name, qty FROM items;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_all ON items USING (true);
GRANT SELECT ON items TO gen_reader;
"#;

fn reader_role(db: &TestDb) {
    // Roles are cluster-wide and tests run in parallel: made once, a duplicate ignored.
    db.execute(
        "DO $$ BEGIN CREATE ROLE gen_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    );
}

fn base_project() -> TempProject {
    TempProject::with_phases(&["main"]).migration(1, 1001, "base", BASE, BASE_DOWN)
}

fn assert_same_schema(actual: &TestDb, expected: &TestDb, when: &str) {
    if let Some(d) = dump::difference(&schema_dump(actual), &schema_dump(expected), 20) {
        panic!("{when}: pg_dump differs: {d}");
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn generate_each_kind_of_change_verifies_applies_and_rolls_back() {
    let db = TestDb::new("gen_kinds");
    reader_role(&db);
    let project = base_project();
    project.write("desired.sql", DESIRED);
    let desired_file = project.path().join("desired.sql");
    let folder = project.path().join("migrations/1_main");

    // The desired schema built by psql's route, not strata's: the oracle.
    let want = TestDb::new("gen_kinds_want");
    want.execute(DESIRED);
    // The database at the previous version.
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let previous = TestDb::new("gen_kinds_prev");
    Strata::on(&previous)
        .project(&project)
        .args(["apply"])
        .run()
        .success();

    // Dropping note loses data: refused, nothing written.
    let generate = |extra: &[&str]| {
        Strata::on(&db)
            .project(&project)
            .args(["generate", "change_everything", "--desired"])
            .args([desired_file.to_str().unwrap()])
            .args(extra)
            .run()
    };
    generate(&[])
        .assert_code(1)
        .one_line_error("--allow-data-loss");
    assert_eq!(
        files_in(&folder),
        ["1001_base.down.sql", "1001_base.up.sql"]
    );

    // A dry run shows the pair and writes nothing.
    let dry = generate(&["--allow-data-loss", "--dry-run"]);
    dry.success()
        .stdout_has("-- DATA LOSS")
        .stdout_has("Would write version 1002");
    assert_eq!(files_in(&folder).len(), 2);

    let run = generate(&["--allow-data-loss", "--json"]);
    run.success();
    let report = run.json();
    assert_eq!(report["version"], 1002);
    assert_eq!(report["verified"], true);
    assert_eq!(
        files_in(&folder),
        [
            "1001_base.down.sql",
            "1001_base.up.sql",
            "1002_change_everything.down.sql",
            "1002_change_everything.up.sql"
        ]
    );
    let up = std::fs::read_to_string(folder.join("1002_change_everything.up.sql")).unwrap();
    let down = std::fs::read_to_string(folder.join("1002_change_everything.down.sql")).unwrap();
    // The dropped column is marked in the up script; the added one in the down.
    let marked = |text: &str, needle: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines.windows(2).any(|w| {
            w[0].starts_with("-- DATA LOSS")
                && w[1].contains("DROP COLUMN")
                && w[1].contains(needle)
        })
    };
    assert!(marked(&up, "note"), "{up}");
    assert!(marked(&down, "added_col"), "{down}");

    // strata apply on the database at the previous version gives the desired catalog.
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(db.recorded(), [1001, 1002]);
    assert_same_schema(&db, &want, "after apply");
    // Each kind, asked of the catalog.
    assert_eq!(
        db.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'qty'"),
        "bigint"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('added_col', 'note') AND NOT attisdropped"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name_idx'"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT string_agg(contype::text, '' ORDER BY contype) FROM pg_constraint WHERE conrelid IN ('items'::regclass, 'logs'::regclass)"),
        "cfpp"
    );
    assert_eq!(db.scalar("SELECT total(1, 2)"), "3");
    assert!(db
        .scalar("SELECT prosrc FROM pg_proc WHERE proname = 'total'")
        .contains("+ 0"));
    assert!(db
        .scalar("SELECT pg_get_viewdef('item_names')")
        .contains("qty"));
    assert_eq!(
        db.scalar("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'gen_status'::regtype"),
        "new,done,archived"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'items_touch'"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_policy WHERE polname = 'items_all'"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT has_table_privilege('gen_reader', 'items', 'SELECT')"),
        "t"
    );

    // rollback --steps 1 gives back the previous schema.
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--steps", "1", "--yes"])
        .run()
        .success();
    assert_eq!(db.recorded(), [1001]);
    assert_same_schema(&db, &previous, "after rollback");

    // Generating again from the desired schema the project now makes: nothing to do.
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    generate(&[]).success().stdout_has("Nothing to generate");
    assert_eq!(files_in(&folder).len(), 4);
}

#[test]
fn generate_from_a_dev_database_with_a_rename_keeps_the_rows() {
    let db = TestDb::new("gen_rename");
    let project = TempProject::with_phases(&["main"]).migration(
        1,
        1001,
        "people",
        "CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE TABLE pets (id bigint PRIMARY KEY, owner bigint);\n",
        "DROP TABLE pets;\nDROP TABLE people;\n",
    );
    // The development database: the migrations, then changed by hand.
    let dev = TestDb::new("gen_rename_dev");
    Strata::on(&dev)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    dev.execute(
        "ALTER TABLE people RENAME COLUMN name TO full_name;\nALTER TABLE pets RENAME TO animals;",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(
        "INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 25) g;\nINSERT INTO pets SELECT g, g FROM generate_series(1, 7) g;",
    );
    let generate = |extra: &[&str]| {
        Strata::on(&db)
            .project(&project)
            .args(["generate", "renames", "--from-url", &dev.url])
            .args(extra)
            .run()
    };
    // Without --rename it is a drop and an add: data loss, refused.
    generate(&[]).assert_code(1).one_line_error("DATA LOSS");
    let run = generate(&[
        "--rename",
        "people.name=full_name",
        "--rename",
        "public.pets=animals",
    ]);
    run.success()
        .stdout_has("Renamed column public.people.name to full_name");
    let up = std::fs::read_to_string(project.path().join("migrations/1_main/1002_renames.up.sql"))
        .unwrap();
    assert!(
        up.contains("RENAME COLUMN \"name\" TO \"full_name\""),
        "{up}"
    );
    assert!(up.contains("RENAME TO \"animals\""), "{up}");
    assert!(!up.contains("DROP"), "{up}");
    // The dev database's password never shows (in the output or the files).
    let password = dev
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(auth, _)| auth.split_once(':'))
        .map(|(_, p)| p.to_string());
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        assert!(!run.stdout.contains(&p) && !run.stderr.contains(&p) && !up.contains(&p));
    }

    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(
        db.scalar("SELECT count(*) FROM people WHERE full_name LIKE 'p%'"),
        "25"
    );
    assert_eq!(db.scalar("SELECT count(*) FROM animals"), "7");
    assert_same_schema(&db, &dev, "after apply");
    Strata::on(&db)
        .project(&project)
        .args(["rollback", "--steps", "1", "--yes"])
        .run()
        .success();
    assert_eq!(
        db.scalar("SELECT count(*) FROM people WHERE name LIKE 'p%'"),
        "25"
    );
    assert_eq!(db.scalar("SELECT count(*) FROM pets"), "7");
}

#[test]
fn generate_refuses_bad_input_by_name() {
    let db = TestDb::new("gen_bad");
    let project = base_project();
    project.write("broken.sql", "CREATE TABLE x (;\n");
    let broken = project.path().join("broken.sql");
    Strata::on(&db)
        .project(&project)
        .args(["generate", "x", "--desired", broken.to_str().unwrap()])
        .run()
        .assert_code(1)
        .one_line_error("broken.sql");
    Strata::on(&db)
        .project(&project)
        .args([
            "generate",
            "x",
            "--desired",
            broken.to_str().unwrap(),
            "--rename",
            "nothing",
        ])
        .run()
        .assert_code(1)
        .one_line_error("--rename nothing");
    project.write("ok.sql", BASE);
    let ok = project.path().join("ok.sql");
    Strata::on(&db)
        .project(&project)
        .args([
            "generate",
            "x",
            "--desired",
            ok.to_str().unwrap(),
            "--rename",
            "items.missing=other",
        ])
        .run()
        .assert_code(1)
        .one_line_error("no such table or column");
    Strata::on(&db)
        .project(&project)
        .args(["generate", "Bad-Name", "--desired", ok.to_str().unwrap()])
        .run()
        .assert_code(1)
        .one_line_error("Bad-Name");
    // Neither source: a usage error.
    Strata::on(&db)
        .project(&project)
        .args(["generate", "x"])
        .run()
        .assert_code(1)
        .stderr_has("required arguments were not provided");
    assert_eq!(
        files_in(&project.path().join("migrations/1_main")),
        ["1001_base.down.sql", "1001_base.up.sql"]
    );
}
