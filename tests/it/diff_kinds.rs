//! diff beyond the kinds it has always had: objects it does not compare are counted and
//! `--strict` makes them drift; another tool's `schema_migrations` is compared while
//! strata's own is not; a created object gets its grants relative to what a new object
//! has (PUBLIC's defaults included); a detached partition keeps what it has; the JSON
//! report ties each statement to the differences it repairs. Each checked against the
//! catalog, not against strata.

use crate::support::*;

fn run_script(db: &TestDb, sql: &str) {
    let mut client = db.client();
    client
        .batch_execute(sql)
        .unwrap_or_else(|e| panic!("script failed: {e}\n{sql}"));
}

fn diff(from: &TestDb, to: &TestDb, extra: &[&str]) -> Run {
    Strata::bare()
        .args(["diff", "--from", &from.url, "--to", &to.url])
        .args(extra)
        .run()
}

#[test]
fn kinds_not_compared_are_counted_and_strict_makes_them_drift() {
    let (a, b) = (TestDb::new("nc_a"), TestDb::new("nc_b"));
    a.execute("CREATE TABLE t (id int); SELECT pg_catalog.lo_create(424242);");
    b.execute("CREATE TABLE t (id int);");
    let run = diff(&a, &b, &[]);
    run.assert_code(0)
        .stdout_has("0 differences")
        .stdout_has("not compared: 1 large object (--strict counts them as drift)");
    let json = diff(&a, &b, &["--json"]);
    json.assert_code(0);
    let report = json.json();
    assert_eq!(
        report["not_compared"],
        serde_json::json!({"large_object": 1})
    );
    assert_eq!(report["differences"], serde_json::json!([]));
    diff(&a, &b, &["--strict"])
        .assert_code(2)
        .stdout_has("not compared: 1 large object");
    // Nothing on either side: nothing said, nothing to be strict about.
    diff(&b, &b, &["--strict", "--json"]).assert_code(0);
    assert_eq!(
        diff(&b, &b, &["--json"]).json()["not_compared"],
        serde_json::json!({})
    );
}

#[test]
fn another_tools_schema_migrations_is_compared_and_stratas_own_is_not() {
    // Rails' table has the name strata uses by default, not its columns.
    let (rails, empty) = (TestDb::new("sm_rails"), TestDb::new("sm_empty"));
    rails.execute("CREATE TABLE public.schema_migrations (version varchar PRIMARY KEY);");
    let run = diff(&rails, &empty, &["--json"]);
    run.assert_code(2);
    let report = run.json();
    let extra = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["name"] == "public.schema_migrations" && d["change"] == "extra");
    assert!(extra, "{report:#}");
    let script = diff(&rails, &empty, &["--sql"]);
    run_script(&rails, &script.stdout);
    assert_eq!(
        rails.scalar("SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'"),
        "0"
    );

    // strata's own history table is left out.
    let project = TempProject::with_phases(&["all"]).migration(
        1,
        1,
        "t",
        "CREATE TABLE t (id int);",
        "DROP TABLE t;",
    );
    let (applied, by_hand) = (TestDb::new("sm_applied"), TestDb::new("sm_by_hand"));
    Strata::on(&applied)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    assert_eq!(
        applied.scalar("SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'"),
        "1"
    );
    by_hand.execute("CREATE TABLE t (id int);");
    diff(&by_hand, &applied, &[])
        .assert_code(0)
        .stdout_has("0 differences");
}

#[test]
fn a_created_object_revokes_what_the_expected_side_revoked_publics_defaults_included() {
    let (live, expected) = (TestDb::new("pub_live"), TestDb::new("pub_expected"));
    expected.execute(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
         REVOKE ALL ON FUNCTION f() FROM PUBLIC;
         CREATE TYPE mood AS ENUM ('ok');
         REVOKE USAGE ON TYPE mood FROM PUBLIC;
         CREATE TABLE t (id int, secret text);
         GRANT SELECT (id) ON t TO pw_user;",
    );
    let script = diff(&live, &expected, &["--privileges", "--sql"]);
    script.assert_code(2);
    assert!(
        script
            .stdout
            .contains("REVOKE ALL ON FUNCTION public.f() FROM PUBLIC"),
        "{}",
        script.stdout
    );
    run_script(&live, &script.stdout);
    let acls = |db: &TestDb| {
        db.column(
            "SELECT coalesce(p.proacl::text, 'default') FROM pg_proc p WHERE p.proname = 'f'
             UNION ALL SELECT coalesce(t.typacl::text, 'default') FROM pg_type t WHERE t.typname = 'mood'
             UNION ALL SELECT coalesce(a.attacl::text, '') FROM pg_attribute a
               WHERE a.attrelid = 'public.t'::regclass AND a.attname IN ('id', 'secret')",
        )
    };
    assert_eq!(acls(&live), acls(&expected));
    assert_eq!(
        live.scalar("SELECT has_function_privilege('pw_user', 'public.f()', 'EXECUTE')"),
        "f"
    );
    diff(&live, &expected, &["--privileges"]).assert_code(0);
}

#[test]
fn a_detached_partition_keeps_its_columns_keys_and_indexes() {
    let (live, expected) = (TestDb::new("detach_live"), TestDb::new("detach_expected"));
    let sql = "CREATE TABLE m (id bigint NOT NULL, at date NOT NULL, v text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
               CREATE INDEX m_v ON m (v);
               CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
               INSERT INTO m VALUES (1, '2024-05-01', 'kept');";
    live.execute(sql);
    expected.execute(sql);
    expected.execute("ALTER TABLE m DETACH PARTITION m_2024;");
    let script = diff(&live, &expected, &["--sql"]);
    script.assert_code(2);
    let text = &script.stdout;
    assert!(
        text.contains("ALTER TABLE public.m DETACH PARTITION public.m_2024"),
        "{text}"
    );
    for absent in ["ADD COLUMN", "ADD CONSTRAINT", "CREATE INDEX", "DATA LOSS:"] {
        assert!(!text.contains(absent), "{absent} in\n{text}");
    }
    run_script(&live, text);
    diff(&live, &expected, &[]).assert_code(0);
    // The catalog's account: a table of its own, with its key, index and row.
    assert_eq!(
        live.scalar("SELECT relispartition FROM pg_class WHERE oid = 'public.m_2024'::regclass"),
        "f"
    );
    assert_eq!(
        live.column(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = 'public.m_2024'::regclass ORDER BY 1"
        ),
        expected.column(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = 'public.m_2024'::regclass ORDER BY 1"
        )
    );
    assert_eq!(live.scalar("SELECT v FROM m_2024"), "kept");
}

#[test]
fn each_statement_names_the_differences_it_repairs() {
    let (live, expected) = (TestDb::new("walk_live"), TestDb::new("walk_expected"));
    live.execute(
        "CREATE TABLE a (id int PRIMARY KEY, n text);
         CREATE TABLE gone (id int);
         CREATE VIEW av AS SELECT id, n FROM a;",
    );
    expected.execute(
        "CREATE TABLE a (id int PRIMARY KEY, n varchar(10), added int DEFAULT 1);
         COMMENT ON TABLE a IS 'a';
         CREATE VIEW av AS SELECT id, n FROM a;",
    );
    let run = diff(&live, &expected, &["--sql", "--json"]);
    run.assert_code(2);
    let report = run.json();
    let differences = report["differences"].as_array().unwrap();
    let statements = report["statements"].as_array().unwrap();
    let mut covered = vec![false; differences.len()];
    for s in statements {
        let ids = s["differences"].as_array().unwrap();
        assert!(!ids.is_empty(), "{s:#}");
        for i in ids {
            covered[i.as_u64().unwrap() as usize] = true;
        }
    }
    assert!(covered.iter().all(|c| *c), "{report:#}");
    // The type change narrows text: it can lose data, and says so; the view over the column
    // goes before it and comes back after.
    let sql: Vec<&str> = statements
        .iter()
        .map(|s| s["sql"].as_str().unwrap())
        .collect();
    let at = |needle: &str| {
        sql.iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in {sql:#?}"))
    };
    let change = at("ALTER COLUMN n TYPE character varying(10)");
    assert_eq!(statements[change]["hazard"]["kind"], "data_loss");
    assert!(at("DROP VIEW IF EXISTS public.av") < change);
    assert!(at("CREATE VIEW public.av") > change);
    assert_eq!(
        statements[at("DROP TABLE IF EXISTS public.gone")]["hazard"]["kind"],
        "data_loss"
    );
    run_script(&live, report["sql"].as_str().unwrap());
    diff(&live, &expected, &[]).assert_code(0);
}

#[test]
fn column_order_and_local_definitions_are_reported_as_differences_no_statement_can_make() {
    let order = |db: &TestDb, table: &str| {
        db.scalar(&format!(
            "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute \
             WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped"
        ))
    };
    // A rename strata cannot tell from the catalog: full_name dropped, name added — last.
    let (live, want) = (TestDb::new("ns_live"), TestDb::new("ns_want"));
    live.execute("CREATE TABLE author (id int, full_name text, born int);");
    want.execute("CREATE TABLE author (id int, name text, born int);");
    let run = diff(&live, &want, &["--json", "--sql"]);
    run.assert_code(2);
    let report = run.json();
    let items = report["not_scriptable"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["object"], "public.author");
    run_script(&live, report["sql"].as_str().unwrap());
    // The catalog has the order the report predicted, not the expected one.
    assert_eq!(order(&live, "author"), "id,born,name");
    assert_eq!(order(&want, "author"), "id,name,born");
    assert!(items[0]["what"]
        .as_str()
        .unwrap()
        .contains("(id, born, name) after the script, (id, name, born) expected"));
    // Nothing left to script, and still not "no differences".
    let again = diff(&live, &want, &[]);
    again
        .assert_code(0)
        .stdout_has("differences no statement can make")
        .stdout_has("0 differences: 0 missing, 0 extra, 0 changed; 1 difference no statement can make (--strict counts them as drift)");
    diff(&live, &want, &["--strict"]).assert_code(2);

    // A child joined with INHERIT keeps its own column and CHECK; one made with INHERITS
    // has only the parent's.
    let (joined, made) = (TestDb::new("ns_joined"), TestDb::new("ns_made"));
    let parent = "CREATE TABLE parent (id int, CONSTRAINT parent_id_check CHECK (id > 0));";
    joined.execute(&format!(
        "{parent} CREATE TABLE child (id int, extra text, CONSTRAINT parent_id_check CHECK (id > 0));
         ALTER TABLE child INHERIT parent;"
    ));
    made.execute(&format!(
        "{parent} CREATE TABLE child (extra text) INHERITS (parent);"
    ));
    let local = |db: &TestDb| {
        db.scalar(
            "SELECT (SELECT attislocal FROM pg_attribute WHERE attrelid = 'child'::regclass AND attname = 'id')::text \
             || '/' || (SELECT conislocal FROM pg_constraint WHERE conrelid = 'child'::regclass AND conname = 'parent_id_check')::text",
        )
    };
    assert_eq!(local(&joined), "true/true");
    assert_eq!(local(&made), "false/false");
    let run = diff(&joined, &made, &["--json"]);
    run.assert_code(0);
    let report = run.json();
    assert_eq!(report["differences"], serde_json::json!([]));
    let whats: Vec<String> = report["not_scriptable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["object"].as_str().unwrap(),
                i["what"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        whats,
        vec![
            "public.child inherited column id: its own too here, the parent's only expected",
            "public.child inherited CHECK constraint parent_id_check: its own too here, the parent's only expected",
        ]
    );
    // A table the script makes inherit: reported before the script runs, and the catalog
    // after it agrees (its own definitions stayed its own).
    let alone = TestDb::new("ns_alone");
    alone.execute(&format!(
        "{parent} CREATE TABLE child (id int, extra text, CONSTRAINT parent_id_check CHECK (id > 0));"
    ));
    let first = diff(&alone, &made, &["--json", "--sql"]);
    first.assert_code(2);
    let report = first.json();
    assert_eq!(
        report["not_scriptable"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
    run_script(&alone, report["sql"].as_str().unwrap());
    assert_eq!(local(&alone), "true/true");
    assert_eq!(
        diff(&alone, &made, &["--json"]).json()["not_scriptable"],
        report["not_scriptable"]
    );
    // The same schema on both sides: nothing of the kind.
    let same = diff(&made, &made, &["--json"]).json();
    assert_eq!(same["not_scriptable"], serde_json::json!([]));
}
