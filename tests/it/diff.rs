//! diff and snapshot: clean after apply, every object kind and kind of change detected by
//! hand-made changes and repaired by the `--sql` script, two-database comparisons over the
//! corpus in tests/diff_cases, a fixed number of catalog queries, the snapshot round trip,
//! and the scratch database dropped on every path.

use std::path::Path;

use crate::support::*;

/// Runs a script the way psql would: one statement at a time, each committed.
fn run_script(db: &TestDb, sql: &str) {
    let mut client = db.client();
    for s in strata::sql_split::split(sql) {
        client
            .batch_execute(&s.sql)
            .unwrap_or_else(|e| panic!("statement failed: {e:?}\n{}\n--- script\n{sql}", s.sql));
    }
}

fn differences(run: &Run) -> Vec<serde_json::Value> {
    run.json()["differences"].as_array().unwrap().clone()
}

fn has(diffs: &[serde_json::Value], kind: &str, change: &str, name: &str) -> bool {
    diffs
        .iter()
        .any(|d| d["kind"] == kind && d["change"] == change && d["name"] == name)
}

#[test]
fn the_default_project_is_clean_after_apply() {
    let db = TestDb::vrss("diff_default");
    let run = Strata::on(&db).args(["diff"]).run();
    run.success()
        .stdout_has("0 differences: 0 missing, 0 extra, 0 changed");
    let json = Strata::on(&db).args(["diff", "--json"]).run();
    json.success();
    let report = json.json();
    assert_eq!(report["differences"], serde_json::json!([]));
    assert_eq!(report["migrations"], serde_json::json!([]));
    assert_eq!(report["summary"]["total"], 0);
    // The embedded snapshot describes the same schema.
    Strata::on(&db)
        .args(["diff", "--snapshot"])
        .run()
        .success()
        .stdout_has("0 differences");
}

#[test]
fn the_sample_project_is_clean_after_apply_and_pending_migrations_are_drift() {
    let db = TestDb::new("diff_sample");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply", "--to", "10"])
        .run()
        .success();
    // Two migrations pending: their objects are missing and the history check says so.
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    assert!(has(&diffs, "table", "missing", "public.c"), "{diffs:#?}");
    assert!(
        has(&diffs, "view", "missing", "public.c_notes"),
        "{diffs:#?}"
    );
    let pending: Vec<i64> = run.json()["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["state"], "pending");
            m["version"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(pending, [20, 21]);
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .assert_code(2)
        .stdout_has("missing table public.c")
        .stdout_has("20 3_three create_c: pending")
        .stdout_has("; migrations: 2 pending");
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success()
        .stdout_has("0 differences: 0 missing, 0 extra, 0 changed");
}

#[test]
fn a_modified_migration_is_reported_by_the_history_check() {
    let db = TestDb::new("diff_modified");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let path = project.up_path(3, 20, "create_c");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("note text", "note varchar(10)")).unwrap();
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    // The migrations now make a varchar(10) column; the live one is text.
    let d = diffs
        .iter()
        .find(|d| d["name"] == "public.c.note" && d["field"] == "type")
        .unwrap_or_else(|| panic!("{diffs:#?}"));
    assert_eq!(d["expected"], "character varying(10)");
    assert_eq!(d["live"], "text");
    let modified = &run.json()["migrations"][0];
    assert_eq!(modified["version"], 20);
    assert_eq!(modified["state"], "modified");
}

/// A project with every kind of object diff knows.
fn kinds_project() -> TempProject {
    TempProject::with_phases(&["all"]).migration(
        1,
        1,
        "everything",
        KINDS_SQL,
        "DROP SCHEMA app CASCADE;\nDROP SCHEMA reports;\nDROP EXTENSION pg_trgm;\n",
    )
}

const KINDS_SQL: &str = r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA app;
CREATE SCHEMA reports;
COMMENT ON SCHEMA reports IS 'reports live here';
CREATE TYPE app.mood AS ENUM ('happy', 'ok', 'sad');
CREATE TYPE app.level AS ENUM ('low', 'mid', 'high');
CREATE DOMAIN app.positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b text);
CREATE SEQUENCE app.ticket_seq START 100 INCREMENT 5;
CREATE TABLE app.accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(64) NOT NULL UNIQUE,
  name text COLLATE "C",
  mood app.mood NOT NULL DEFAULT 'ok',
  price numeric(10,2) CHECK (price > 0),
  qty app.positive,
  ticket bigint DEFAULT nextval('app.ticket_seq'),
  total numeric GENERATED ALWAYS AS (price * 2) STORED,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.accounts IS 'accounts';
COMMENT ON COLUMN app.accounts.email IS 'login';
CREATE TABLE app.orders (
  id serial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES app.accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  note text,
  during tstzrange,
  EXCLUDE USING gist (during WITH &&)
);
CREATE INDEX orders_account_idx ON app.orders (account_id);
CREATE INDEX orders_note_trgm ON app.orders USING gin (note gin_trgm_ops) WHERE note IS NOT NULL;
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_at_idx ON app.events (at);
CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v text);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.note := coalesce(NEW.note, '');
  RETURN NEW;
END;
$$;
CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
CREATE PROCEDURE app.reset_cache() LANGUAGE sql AS $$ DELETE FROM app.cache $$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON app.orders FOR EACH ROW EXECUTE PROCEDURE app.touch();
CREATE VIEW app.account_orders AS
  SELECT a.id, a.email, count(o.id) AS orders
  FROM app.accounts a LEFT JOIN app.orders o ON o.account_id = a.id
  GROUP BY a.id, a.email;
CREATE VIEW app.busy_accounts AS SELECT id, email FROM app.account_orders WHERE orders > 10;
CREATE MATERIALIZED VIEW app.order_counts AS SELECT account_id, count(*) AS n FROM app.orders GROUP BY account_id;
CREATE UNIQUE INDEX order_counts_account ON app.order_counts (account_id);
ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON app.orders FOR SELECT TO public USING (account_id > 0);
-- Views over the columns of an enum and a domain.
CREATE VIEW app.account_moods AS SELECT id, mood, qty FROM app.accounts;
COMMENT ON VIEW app.account_moods IS 'moods';
CREATE VIEW app.happy_accounts AS SELECT id FROM app.account_moods WHERE mood = 'happy';
CREATE MATERIALIZED VIEW app.mood_counts AS SELECT mood, count(*) AS n FROM app.accounts GROUP BY mood;
CREATE UNIQUE INDEX mood_counts_mood ON app.mood_counts (mood);
-- Everything that can call a function: a default, a check, an index, a trigger condition,
-- a policy, a view.
CREATE TABLE app.scores (
  id int PRIMARY KEY,
  base integer NOT NULL DEFAULT app.double(1) CONSTRAINT scores_base_check CHECK (app.double(base) < 1000),
  note text
);
CREATE INDEX scores_doubled ON app.scores (app.double(base));
CREATE TRIGGER scores_touch BEFORE UPDATE ON app.scores FOR EACH ROW WHEN (app.double(NEW.base) > 10) EXECUTE FUNCTION app.touch();
CREATE POLICY scores_small ON app.scores USING (app.double(base) < 100);
CREATE VIEW app.doubled AS SELECT id, app.double(base) AS twice FROM app.scores;
-- Identity options, storage parameters, plain inheritance.
CREATE TABLE app.tickets (
  id int GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY,
  body text,
  CONSTRAINT tickets_body_check CHECK (body <> '')
) WITH (fillfactor = 80);
CREATE TABLE app.archived_tickets (archived_at date) INHERITS (app.tickets);
-- What else uses the enum: a function over it, a domain and a composite type built on it,
-- a check, a policy and an index that cast to it or call that function, a default calling
-- it; a trigger condition reading a column.
CREATE FUNCTION app.keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION app.mood_rank(m app.mood) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE m WHEN 'happy' THEN 2 WHEN 'ok' THEN 1 ELSE 0 END $$;
CREATE DOMAIN app.good_mood AS app.mood CONSTRAINT good_mood_check CHECK (VALUE <> 'sad');
CREATE FUNCTION app.clamp(p app.positive) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT least(p, 100)::integer $$;
CREATE TYPE app.mood_pair AS (a app.mood, b app.mood);
CREATE TABLE app.feelings (
  id int PRIMARY KEY,
  mood app.mood NOT NULL DEFAULT 'ok',
  good app.good_mood,
  pair app.mood_pair,
  rank integer DEFAULT app.mood_rank('happy'),
  CONSTRAINT feelings_not_sad CHECK (mood <> 'sad')
);
CREATE INDEX feelings_rank ON app.feelings (app.mood_rank(mood));
ALTER TABLE app.feelings ENABLE ROW LEVEL SECURITY;
CREATE POLICY feelings_happy ON app.feelings USING (mood = 'happy');
CREATE TRIGGER feelings_changed BEFORE UPDATE ON app.feelings FOR EACH ROW
  WHEN (NEW.mood IS DISTINCT FROM OLD.mood) EXECUTE FUNCTION app.keep();
INSERT INTO app.feelings (id, mood, good, pair) VALUES (1, 'happy', 'ok', '(happy,ok)');
-- A policy and a trigger condition reading columns whose type can change.
CREATE TABLE app.ratings (id int PRIMARY KEY, stars smallint NOT NULL, note varchar(20));
ALTER TABLE app.ratings ENABLE ROW LEVEL SECURITY;
CREATE POLICY ratings_noted ON app.ratings USING (note IS NOT NULL AND length(note) > 2);
CREATE TRIGGER ratings_up BEFORE UPDATE ON app.ratings FOR EACH ROW
  WHEN (NEW.stars > OLD.stars) EXECUTE FUNCTION app.keep();
INSERT INTO app.ratings VALUES (1, 4, 'fine');
"#;

/// Breaks `app.double(x integer)` the hard way: drops everything that calls it, creates
/// `create` instead and everything that called it again, as written in KINDS_SQL.
macro_rules! with_double_replaced {
    ($create:literal) => {
        concat!(
            "DROP VIEW app.doubled; DROP POLICY scores_small ON app.scores; ",
            "DROP TRIGGER scores_touch ON app.scores; DROP INDEX app.scores_doubled; ",
            "ALTER TABLE app.scores DROP CONSTRAINT scores_base_check, ALTER COLUMN base DROP DEFAULT; ",
            "DROP FUNCTION app.double(integer); ",
            $create,
            " ALTER TABLE app.scores ALTER COLUMN base SET DEFAULT app.double(1), ",
            "ADD CONSTRAINT scores_base_check CHECK (app.double(base) < 1000); ",
            "CREATE INDEX scores_doubled ON app.scores (app.double(base)); ",
            "CREATE TRIGGER scores_touch BEFORE UPDATE ON app.scores FOR EACH ROW WHEN (app.double(NEW.base) > 10) EXECUTE FUNCTION app.touch(); ",
            "CREATE POLICY scores_small ON app.scores USING (app.double(base) < 100); ",
            "CREATE VIEW app.doubled AS SELECT id, app.double(base) AS twice FROM app.scores;"
        )
    };
}

/// (case, SQL that breaks the live database, kind, change, name, the fix loses data)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

/// The kinds project on disk with its snapshot (`schema.snapshot.json`, written by
/// `strata snapshot`), and a template database it is applied to: built once per test
/// binary, so every case starts from a copy and compares with the stored expected side.
struct Kinds {
    project: TempProject,
    template: TestDb,
}

fn kinds() -> &'static Kinds {
    static KINDS: std::sync::OnceLock<Kinds> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let project = kinds_project();
        remove_at_exit(project.path());
        let template = TestDb::new("template_kinds");
        Strata::on(&template)
            .project(&project)
            .args(["apply"])
            .run()
            .success();
        template.execute("INSERT INTO app.accounts (email, price) VALUES ('a@x', 5);");
        Strata::on(&template)
            .project(&project)
            .args(["snapshot"])
            .run()
            .success();
        Kinds { project, template }
    })
}

/// Copies the applied kinds project, breaks the copy with each case's SQL, checks the
/// report, applies the `--sql` script and checks that a second diff is clean; the expected
/// side is the snapshot built once (see [`kinds`]).
fn check_cases(tag: &str, cases: &[Case]) {
    let Kinds { project, template } = kinds();
    for (case, break_sql, kind, change, name, loss) in cases {
        let db = TestDb::from_template(&format!("{tag}_{case}"), &template.name);
        db.execute(break_sql);
        let diff = |args: &[&str]| {
            Strata::on(&db)
                .project(project)
                .args(["diff", "--snapshot"])
                .args(args)
                .run()
        };
        let run = diff(&["--json"]);
        assert_eq!(
            run.code, 2,
            "{case}: drift exits 2\n{}\n{}",
            run.stdout, run.stderr
        );
        let diffs = differences(&run);
        assert!(
            has(&diffs, kind, change, name),
            "{case}: expected {change} {kind} {name} in\n{diffs:#?}"
        );
        let script = diff(&["--sql"]);
        assert_eq!(script.code, 2, "{case}: {}", script.stderr);
        assert_eq!(
            script.stdout.contains("-- DATA LOSS:"),
            *loss,
            "{case}: data loss marking\n{}",
            script.stdout
        );
        run_script(&db, &script.stdout);
        let again = diff(&[]);
        assert_eq!(
            again.code, 0,
            "{case}: after the script\n{}\n--- script\n{}",
            again.stdout, script.stdout
        );
    }
}

#[test]
fn schemas_extensions_and_types() {
    check_cases(
        "dk_types",
        &[
            (
                "schema_extra",
                "CREATE SCHEMA extra_s;",
                "schema",
                "extra",
                "extra_s",
                false,
            ),
            (
                "schema_missing",
                "DROP SCHEMA reports;",
                "schema",
                "missing",
                "reports",
                false,
            ),
            (
                "schema_comment",
                "COMMENT ON SCHEMA reports IS NULL;",
                "schema",
                "changed",
                "reports",
                false,
            ),
            (
                "extension_missing",
                "DROP EXTENSION pg_trgm CASCADE;",
                "extension",
                "missing",
                "pg_trgm",
                false,
            ),
            (
                "extension_extra",
                "CREATE EXTENSION \"uuid-ossp\";",
                "extension",
                "extra",
                "\"uuid-ossp\"",
                true,
            ),
            (
                "enum_label_missing",
                "DROP TYPE app.level; CREATE TYPE app.level AS ENUM ('low', 'high');",
                "type",
                "changed",
                "app.level",
                false,
            ),
            (
                "enum_label_extra",
                "ALTER TYPE app.mood ADD VALUE 'meh';",
                "type",
                "changed",
                "app.mood",
                true,
            ),
            (
                "enum_type_missing",
                "DROP TYPE app.level;",
                "type",
                "missing",
                "app.level",
                false,
            ),
            (
                "enum_type_extra",
                "CREATE TYPE app.colour AS ENUM ('red');",
                "type",
                "extra",
                "app.colour",
                false,
            ),
            (
                "domain_default",
                "ALTER DOMAIN app.positive DROP DEFAULT;",
                "type",
                "changed",
                "app.positive",
                false,
            ),
            (
                "domain_check",
                "ALTER DOMAIN app.positive DROP CONSTRAINT positive_check;",
                "type",
                "changed",
                "app.positive",
                false,
            ),
            // The type is created again: the views over its columns (a view over those, a
            // materialized view with its index) are dropped first and rebuilt after it.
            (
                "enum_label_renamed_under_views",
                "ALTER TYPE app.mood RENAME VALUE 'sad' TO 'blue';",
                "type",
                "changed",
                "app.mood",
                true,
            ),
            (
                "domain_base_type_under_views",
                "DROP VIEW app.account_moods CASCADE;
                 ALTER TABLE app.accounts ALTER COLUMN qty TYPE integer;
                 DROP FUNCTION app.clamp(app.positive);
                 DROP DOMAIN app.positive;
                 CREATE DOMAIN app.positive AS bigint NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
                 CREATE FUNCTION app.clamp(p app.positive) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT least(p, 100)::integer $$;
                 ALTER TABLE app.accounts ALTER COLUMN qty TYPE app.positive;
                 CREATE VIEW app.account_moods AS SELECT id, mood, qty FROM app.accounts;
                 COMMENT ON VIEW app.account_moods IS 'moods';
                 CREATE VIEW app.happy_accounts AS SELECT id FROM app.account_moods WHERE mood = 'happy';",
                "type",
                "changed",
                "app.positive",
                true,
            ),
            // The enum loses a label: created again with the function over it (and the
            // index and default calling that), the domain and composite type built on it,
            // the check and policy casting to it and the trigger reading its column.
            (
                "enum_label_extra_with_other_users",
                "ALTER TYPE app.mood ADD VALUE 'meh';",
                "type",
                "changed",
                "app.mood",
                true,
            ),
            (
                "composite_attribute",
                "ALTER TYPE app.pair ADD ATTRIBUTE c date;",
                "type",
                "changed",
                "app.pair",
                true,
            ),
            (
                "sequence_changed",
                "ALTER SEQUENCE app.ticket_seq INCREMENT BY 1;",
                "sequence",
                "changed",
                "app.ticket_seq",
                false,
            ),
            (
                "sequence_extra",
                "CREATE SEQUENCE app.extra_seq;",
                "sequence",
                "extra",
                "app.extra_seq",
                true,
            ),
            (
                "sequence_owned_by",
                "ALTER SEQUENCE app.orders_id_seq OWNED BY NONE;",
                "sequence",
                "changed",
                "app.orders_id_seq",
                false,
            ),
        ],
    );
}

#[test]
fn tables_and_columns() {
    check_cases(
        "dk_tables",
        &[
            ("table_missing", "DROP TABLE app.cache;", "table", "missing", "app.cache", false),
            ("table_extra", "CREATE TABLE app.tmp (x int);", "table", "extra", "app.tmp", true),
            ("table_logged", "ALTER TABLE app.cache SET LOGGED;", "table", "changed", "app.cache", false),
            ("partition_missing", "DROP TABLE app.events_2026;", "table", "missing", "app.events_2026", false),
            ("partition_extra", "CREATE TABLE app.events_2027 PARTITION OF app.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');", "table", "extra", "app.events_2027", true),
            ("partition_key", "DROP TABLE app.events; CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL, payload jsonb) PARTITION BY HASH (id); CREATE TABLE app.events_h0 PARTITION OF app.events FOR VALUES WITH (MODULUS 2, REMAINDER 0); CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES WITH (MODULUS 2, REMAINDER 1); INSERT INTO app.events VALUES (1, '2025-06-01', '{}');", "table", "changed", "app.events", true),
            ("column_missing", "ALTER TABLE app.accounts DROP COLUMN name;", "column", "missing", "app.accounts.name", false),
            ("column_extra", "ALTER TABLE app.accounts ADD COLUMN extra int;", "column", "extra", "app.accounts.extra", true),
            ("column_type_widen", "ALTER TABLE app.accounts ALTER COLUMN name TYPE varchar(10);", "column", "changed", "app.accounts.name", false),
            ("column_type_narrow", "DROP VIEW app.busy_accounts; DROP VIEW app.account_orders; ALTER TABLE app.accounts ALTER COLUMN email TYPE text;", "column", "changed", "app.accounts.email", true),
            ("column_not_null", "ALTER TABLE app.accounts ALTER COLUMN created_at DROP NOT NULL;", "column", "changed", "app.accounts.created_at", false),
            ("column_default", "ALTER TABLE app.accounts ALTER COLUMN mood SET DEFAULT 'happy';", "column", "changed", "app.accounts.mood", false),
            ("column_identity", "ALTER TABLE app.accounts ALTER COLUMN id SET GENERATED BY DEFAULT;", "column", "changed", "app.accounts.id", false),
            ("column_generated", "ALTER TABLE app.accounts DROP COLUMN total; ALTER TABLE app.accounts ADD COLUMN total numeric GENERATED ALWAYS AS (price * 3) STORED;", "column", "changed", "app.accounts.total", false),
            ("column_collation", "ALTER TABLE app.accounts ALTER COLUMN name TYPE text COLLATE \"POSIX\";", "column", "changed", "app.accounts.name", false),
            ("column_comment", "COMMENT ON COLUMN app.accounts.email IS NULL;", "column", "changed", "app.accounts.email", false),
            ("table_comment", "COMMENT ON TABLE app.accounts IS 'changed';", "table", "changed", "app.accounts", false),
            ("identity_options", "ALTER TABLE app.tickets ALTER COLUMN id SET INCREMENT BY 1 SET MAXVALUE 5000 SET CYCLE;", "column", "changed", "app.tickets.id", false),
            ("identity_options_of_a_new_identity", "ALTER TABLE app.tickets ALTER COLUMN id DROP IDENTITY;", "column", "changed", "app.tickets.id", false),
            ("storage_parameters_changed", "ALTER TABLE app.tickets SET (fillfactor = 50, autovacuum_enabled = false);", "table", "changed", "app.tickets", false),
            ("storage_parameters_reset", "ALTER TABLE app.tickets RESET (fillfactor);", "table", "changed", "app.tickets", false),
            ("inheritance_left", "ALTER TABLE app.archived_tickets NO INHERIT app.tickets;", "table", "changed", "app.archived_tickets", false),
            ("inheritance_extra_parent", "CREATE TABLE app.tagged (tag text); ALTER TABLE app.archived_tickets ADD COLUMN tag text; ALTER TABLE app.archived_tickets INHERIT app.tagged;", "table", "changed", "app.archived_tickets", true),
            ("inherited_column_missing", "ALTER TABLE app.tickets DROP COLUMN body;", "column", "missing", "app.tickets.body", false),
            ("inherited_column_extra", "ALTER TABLE app.tickets ADD COLUMN priority int;", "column", "extra", "app.tickets.priority", true),
            ("inheriting_table_missing", "DROP TABLE app.archived_tickets;", "table", "missing", "app.archived_tickets", false),
            // A type change under a policy and a trigger condition reading the column.
            ("column_type_widened_under_a_policy", "DROP POLICY ratings_noted ON app.ratings; ALTER TABLE app.ratings ALTER COLUMN note TYPE varchar(10); CREATE POLICY ratings_noted ON app.ratings USING (note IS NOT NULL AND length(note) > 2);", "column", "changed", "app.ratings.note", false),
            ("column_type_widened_under_a_generated_column", "ALTER TABLE app.accounts DROP COLUMN total; ALTER TABLE app.accounts ALTER COLUMN price TYPE numeric(8,2); ALTER TABLE app.accounts ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED;", "column", "changed", "app.accounts.price", false),
            ("column_type_narrowed_under_a_generated_column", "ALTER TABLE app.accounts DROP COLUMN total; ALTER TABLE app.accounts ALTER COLUMN price TYPE numeric(12,2); ALTER TABLE app.accounts ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED;", "column", "changed", "app.accounts.price", true),
            ("column_type_narrowed_under_a_trigger", "DROP TRIGGER ratings_up ON app.ratings; ALTER TABLE app.ratings ALTER COLUMN stars TYPE integer; CREATE TRIGGER ratings_up BEFORE UPDATE ON app.ratings FOR EACH ROW WHEN (NEW.stars > OLD.stars) EXECUTE FUNCTION app.keep();", "column", "changed", "app.ratings.stars", true),
        ],
    );
}

#[test]
fn constraints_and_indexes() {
    check_cases(
        "dk_constraints",
        &[
            ("primary_key_missing", "ALTER TABLE app.cache DROP CONSTRAINT cache_pkey;", "constraint", "missing", "app.cache.cache_pkey", false),
            ("unique_extra", "ALTER TABLE app.orders ADD CONSTRAINT orders_note_key UNIQUE (note);", "constraint", "extra", "app.orders.orders_note_key", false),
            ("check_changed", "ALTER TABLE app.accounts DROP CONSTRAINT accounts_price_check, ADD CONSTRAINT accounts_price_check CHECK (price >= 0);", "constraint", "changed", "app.accounts.accounts_price_check", false),
            ("foreign_key_actions", "ALTER TABLE app.orders DROP CONSTRAINT orders_account_id_fkey, ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES app.accounts(id);", "constraint", "changed", "app.orders.orders_account_id_fkey", false),
            ("foreign_key_not_valid", "ALTER TABLE app.orders DROP CONSTRAINT orders_account_id_fkey, ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES app.accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;", "constraint", "changed", "app.orders.orders_account_id_fkey", false),
            ("foreign_key_missing", "ALTER TABLE app.orders DROP CONSTRAINT orders_account_id_fkey;", "constraint", "missing", "app.orders.orders_account_id_fkey", false),
            ("exclusion_missing", "ALTER TABLE app.orders DROP CONSTRAINT orders_during_excl;", "constraint", "missing", "app.orders.orders_during_excl", false),
            ("index_missing", "DROP INDEX app.orders_account_idx;", "index", "missing", "app.orders_account_idx", false),
            ("index_changed", "DROP INDEX app.orders_account_idx; CREATE INDEX orders_account_idx ON app.orders (account_id, id);", "index", "changed", "app.orders_account_idx", false),
            ("index_partial_predicate", "DROP INDEX app.orders_note_trgm; CREATE INDEX orders_note_trgm ON app.orders USING gin (note gin_trgm_ops);", "index", "changed", "app.orders_note_trgm", false),
            ("index_invalid", "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'app.orders_account_idx'::regclass;", "index", "changed", "app.orders_account_idx", false),
            ("index_extra", "CREATE INDEX accounts_name_idx ON app.accounts (name);", "index", "extra", "app.accounts_name_idx", false),
            // Index storage parameters are part of its definition.
            ("index_storage_parameters", "ALTER INDEX app.orders_account_idx SET (fillfactor = 50);", "index", "changed", "app.orders_account_idx", false),
            ("partitioned_index_missing", "DROP INDEX app.events_at_idx;", "index", "missing", "app.events_at_idx", false),
            ("matview_index_missing", "DROP INDEX app.order_counts_account;", "index", "missing", "app.order_counts_account", false),
        ],
    );
}

#[test]
fn functions_triggers_views_and_security() {
    check_cases(
        "dk_code",
        &[
            ("function_body", "CREATE OR REPLACE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 3 $$;", "function", "changed", "app.double(x integer)", false),
            ("function_volatility", "ALTER FUNCTION app.double(integer) STABLE;", "function", "changed", "app.double(x integer)", false),
            ("function_security_definer", "ALTER FUNCTION app.double(integer) SECURITY DEFINER;", "function", "changed", "app.double(x integer)", false),
            ("function_extra", "CREATE FUNCTION app.extra() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "function", "extra", "app.extra()", false),
            ("procedure_missing", "DROP PROCEDURE app.reset_cache();", "function", "missing", "app.reset_cache()", false),
            ("function_comment", "COMMENT ON FUNCTION app.double(integer) IS 'twice';", "function", "changed", "app.double(x integer)", false),
            // CREATE OR REPLACE cannot change these: the function is dropped, with its
            // default, check, index, trigger, policy and view, and all come back.
            ("function_result_with_dependents", with_double_replaced!("CREATE FUNCTION app.double(x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;"), "function", "changed", "app.double(x integer)", false),
            ("function_parameter_renamed_with_dependents", with_double_replaced!("CREATE FUNCTION app.double(y integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT y * 2 $$;"), "function", "missing", "app.double(x integer)", false),
            ("function_default_removed_with_dependents", with_double_replaced!("CREATE FUNCTION app.double(x integer DEFAULT 2) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;"), "function", "changed", "app.double(x integer)", false),
            ("trigger_missing", "DROP TRIGGER orders_touch ON app.orders;", "trigger", "missing", "app.orders.orders_touch", false),
            ("trigger_disabled", "ALTER TABLE app.orders DISABLE TRIGGER orders_touch;", "trigger", "changed", "app.orders.orders_touch", false),
            ("trigger_changed", "DROP TRIGGER orders_touch ON app.orders; CREATE TRIGGER orders_touch BEFORE INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();", "trigger", "changed", "app.orders.orders_touch", false),
            ("view_changed", "CREATE OR REPLACE VIEW app.busy_accounts AS SELECT id, email FROM app.account_orders WHERE orders > 20;", "view", "changed", "app.busy_accounts", false),
            ("view_missing", "DROP VIEW app.busy_accounts;", "view", "missing", "app.busy_accounts", false),
            ("view_under_a_view_changed", "CREATE OR REPLACE VIEW app.account_orders AS SELECT a.id, a.email, count(o.id) AS orders FROM app.accounts a LEFT JOIN app.orders o ON o.account_id = a.id WHERE a.id > 0 GROUP BY a.id, a.email;", "view", "changed", "app.account_orders", false),
            ("view_extra", "CREATE VIEW app.extra_v AS SELECT 1 AS one;", "view", "extra", "app.extra_v", false),
            ("matview_changed", "DROP MATERIALIZED VIEW app.order_counts; CREATE MATERIALIZED VIEW app.order_counts AS SELECT account_id, count(*) AS n FROM app.orders WHERE note IS NULL GROUP BY account_id;", "materialized_view", "changed", "app.order_counts", false),
            ("rls_disabled", "ALTER TABLE app.orders DISABLE ROW LEVEL SECURITY;", "table", "changed", "app.orders", false),
            ("rls_forced", "ALTER TABLE app.orders FORCE ROW LEVEL SECURITY;", "table", "changed", "app.orders", false),
            ("policy_changed", "ALTER POLICY orders_own ON app.orders USING (account_id > 1);", "policy", "changed", "app.orders.orders_own", false),
            ("policy_extra", "CREATE POLICY p2 ON app.orders FOR INSERT WITH CHECK (true);", "policy", "extra", "app.orders.p2", false),
            ("policy_missing", "DROP POLICY orders_own ON app.orders;", "policy", "missing", "app.orders.orders_own", false),
        ],
    );
}

/// Applies the kinds project to a new database, breaks it with `break_sql`, and returns the
/// database, the report's differences and the `--sql` script.
fn broken_kinds(
    tag: &str,
    break_sql: &str,
) -> (TestDb, TempProject, Vec<serde_json::Value>, String) {
    let project = kinds_project();
    let db = TestDb::new(tag);
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(break_sql);
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    let script = Strata::on(&db)
        .project(&project)
        .args(["diff", "--sql"])
        .run();
    script.assert_code(2);
    (db, project, diffs, script.stdout.clone())
}

fn changed<'d>(diffs: &'d [serde_json::Value], name: &str, field: &str) -> &'d serde_json::Value {
    diffs
        .iter()
        .find(|d| d["change"] == "changed" && d["name"] == name && d["field"] == field)
        .unwrap_or_else(|| panic!("changed {field} of {name} in {diffs:#?}"))
}

fn position(script: &str, needle: &str) -> usize {
    script
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in\n{script}"))
}

#[test]
fn inheritance_identity_options_and_storage_parameters_are_repaired_in_the_catalog() {
    let (db, project, diffs, script) = broken_kinds(
        "diff_inherit_catalog",
        "ALTER TABLE app.tickets DROP COLUMN body;
         ALTER TABLE app.archived_tickets NO INHERIT app.tickets;
         ALTER TABLE app.tickets ALTER COLUMN id SET INCREMENT BY 3 SET MAXVALUE 999;
         ALTER TABLE app.tickets SET (fillfactor = 40, autovacuum_enabled = off);",
    );
    // A column the parent lacks is the parent's difference only.
    assert!(
        has(&diffs, "column", "missing", "app.tickets.body"),
        "{diffs:#?}"
    );
    assert!(
        !diffs
            .iter()
            .any(|d| d["name"] == "app.archived_tickets.body"
                || d["name"] == "app.archived_tickets.id"
                || d["name"] == "app.archived_tickets.tickets_body_check"),
        "{diffs:#?}"
    );
    let inherits = changed(&diffs, "app.archived_tickets", "inherits");
    assert_eq!(inherits["expected"], "app.tickets");
    assert_eq!(inherits["live"], "(none)");
    let identity = changed(&diffs, "app.tickets.id", "identity_options");
    assert_eq!(
        identity["expected"],
        "START WITH 100 INCREMENT BY 10 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE"
    );
    assert_eq!(
        identity["live"],
        "START WITH 100 INCREMENT BY 3 MINVALUE 1 MAXVALUE 999 CACHE 1 NO CYCLE"
    );
    let options = changed(&diffs, "app.tickets", "options");
    assert_eq!(options["expected"], "fillfactor=80");
    assert_eq!(options["live"], "autovacuum_enabled=off, fillfactor=40");

    assert!(
        script.contains("ALTER TABLE app.tickets RESET (autovacuum_enabled)"),
        "{script}"
    );
    assert!(
        script.contains("ALTER TABLE app.tickets SET (fillfactor = '80')"),
        "{script}"
    );
    // The child joins its parent once the parent has its column back.
    assert!(
        position(&script, "ALTER TABLE app.tickets ADD COLUMN body")
            < position(
                &script,
                "ALTER TABLE app.archived_tickets INHERIT app.tickets"
            )
    );
    assert!(!script.contains("-- DATA LOSS:"), "{script}");
    run_script(&db, &script);
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success()
        .stdout_has("0 differences");
    assert_eq!(
        db.scalar("SELECT reloptions::text FROM pg_class WHERE oid = 'app.tickets'::regclass"),
        "{fillfactor=80}"
    );
    assert_eq!(
        db.scalar(
            "SELECT seqincrement || ' ' || seqmax FROM pg_sequence \
             WHERE seqrelid = pg_get_serial_sequence('app.tickets', 'id')::regclass"
        ),
        "10 2147483647"
    );
    assert_eq!(
        db.scalar("SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'app.archived_tickets'::regclass"),
        "app.tickets"
    );
    assert_eq!(
        db.scalar(
            "SELECT attinhcount FROM pg_attribute \
             WHERE attrelid = 'app.archived_tickets'::regclass AND attname = 'body'"
        ),
        "1"
    );
}

#[test]
fn a_recreated_enum_takes_the_functions_types_checks_and_policies_over_it_along() {
    let (db, project, diffs, script) =
        broken_kinds("diff_enum_users", "ALTER TYPE app.mood ADD VALUE 'meh';");
    assert!(has(&diffs, "type", "changed", "app.mood"), "{diffs:#?}");
    // The function over the type goes before the type is renamed and comes back after the
    // new one is created, and so do the index and default that call it.
    let rename = position(&script, "ALTER TYPE app.mood RENAME TO mood__strata_old");
    assert!(position(&script, "DROP FUNCTION app.mood_rank(m app.mood)") < rename);
    assert!(position(&script, "DROP INDEX IF EXISTS app.feelings_rank") < rename);
    assert!(
        position(
            &script,
            "DROP POLICY IF EXISTS feelings_happy ON app.feelings"
        ) < rename
    );
    assert!(position(&script, "DROP CONSTRAINT IF EXISTS feelings_not_sad") < rename);
    assert!(
        position(
            &script,
            "DROP TRIGGER IF EXISTS feelings_changed ON app.feelings"
        ) < rename
    );
    let created = position(&script, "CREATE TYPE app.mood AS ENUM");
    assert!(position(&script, "CREATE OR REPLACE FUNCTION app.mood_rank") > created);
    assert!(position(&script, "CREATE INDEX feelings_rank") > created);
    assert!(position(&script, "CREATE POLICY feelings_happy") > created);
    assert!(position(&script, "ADD CONSTRAINT feelings_not_sad") > created);
    // The domain and composite type built on it are created again over the new one, and
    // their old versions dropped before the old enum.
    assert!(
        position(
            &script,
            "ALTER DOMAIN app.good_mood RENAME TO good_mood__strata_old"
        ) > created
    );
    assert!(
        position(
            &script,
            "ALTER TYPE app.mood_pair RENAME TO mood_pair__strata_old"
        ) > created
    );
    assert!(
        position(&script, "DROP DOMAIN app.good_mood__strata_old")
            < position(&script, "DROP TYPE app.mood__strata_old")
    );
    run_script(&db, &script);
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success()
        .stdout_has("0 differences");
    assert_eq!(
        db.scalar("SELECT count(*) FROM pg_type WHERE typname LIKE '%strata_old'"),
        "0"
    );
    assert_eq!(
        db.scalar(
            "SELECT typbasetype::regtype::text FROM pg_type WHERE oid = 'app.good_mood'::regtype"
        ),
        "app.mood"
    );
    // The rows kept their values.
    assert_eq!(
        db.scalar("SELECT mood || ' ' || good || ' ' || pair::text || ' ' || app.mood_rank(mood) FROM app.feelings"),
        "happy ok (happy,ok) 2"
    );
}

/// A partitioned table with everything that can hang on it: a sub-partitioned partition, a
/// serial column, constraints, an index, a trigger, a policy, comments, grants, a foreign
/// key from another table and a view.
const EVENTS_SQL: &str = r#"
CREATE TYPE kind AS ENUM ('click', 'view', 'buy');
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.payload := coalesce(NEW.payload, '{}');
  RETURN NEW;
END;
$$;
CREATE TABLE events (
  id serial,
  at date NOT NULL,
  kind kind NOT NULL DEFAULT 'view',
  payload jsonb,
  PRIMARY KEY (id, at, kind),
  CONSTRAINT events_id_check CHECK (id > 0)
) PARTITION BY RANGE (at);
COMMENT ON TABLE events IS 'every event';
COMMENT ON COLUMN events.payload IS 'raw';
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (kind);
CREATE TABLE events_2026_buy PARTITION OF events_2026 FOR VALUES IN ('buy');
CREATE TABLE events_2026_rest PARTITION OF events_2026 DEFAULT;
COMMENT ON TABLE events_2025 IS 'last year';
CREATE INDEX events_kind_idx ON events (kind);
COMMENT ON INDEX events_kind_idx IS 'by kind';
CREATE TRIGGER events_stamp BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION stamp();
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_all ON events USING (true);
CREATE TABLE event_notes (
  id int PRIMARY KEY,
  event_id int, event_at date, event_kind kind,
  note text,
  CONSTRAINT event_notes_event_fkey FOREIGN KEY (event_id, event_at, event_kind) REFERENCES events (id, at, kind)
);
CREATE VIEW recent_events AS SELECT id, at, kind FROM events WHERE at >= '2026-01-01';
GRANT SELECT, INSERT ON events TO pw_user;
GRANT SELECT ON recent_events TO pw_user;
"#;

#[test]
fn a_changed_partition_key_recreates_the_table_with_everything_on_it() {
    let db = TestDb::new("diff_partition_key");
    let project = TempProject::with_phases(&["all"]).migration(
        1,
        1,
        "events",
        EVENTS_SQL,
        "DROP VIEW recent_events; DROP TABLE event_notes; DROP TABLE events; DROP FUNCTION stamp(); DROP TYPE kind;\n",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    // By hand: the same table partitioned by kind, with everything on it made again.
    db.execute(
        "DROP TABLE events CASCADE;
         CREATE TABLE events (
           id serial, at date NOT NULL, kind kind NOT NULL DEFAULT 'view', payload jsonb,
           PRIMARY KEY (id, at, kind), CONSTRAINT events_id_check CHECK (id > 0)
         ) PARTITION BY LIST (kind);
         COMMENT ON TABLE events IS 'every event';
         COMMENT ON COLUMN events.payload IS 'raw';
         CREATE TABLE events_2025 PARTITION OF events FOR VALUES IN ('click', 'view');
         CREATE TABLE events_buy PARTITION OF events FOR VALUES IN ('buy');
         CREATE INDEX events_kind_idx ON events (kind);
         COMMENT ON INDEX events_kind_idx IS 'by kind';
         CREATE TRIGGER events_stamp BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION stamp();
         ALTER TABLE events ENABLE ROW LEVEL SECURITY;
         CREATE POLICY events_all ON events USING (true);
         ALTER TABLE event_notes ADD CONSTRAINT event_notes_event_fkey
           FOREIGN KEY (event_id, event_at, event_kind) REFERENCES events (id, at, kind);
         CREATE VIEW recent_events AS SELECT id, at, kind FROM events WHERE at >= '2026-01-01';
         GRANT SELECT, INSERT ON events TO pw_user;
         GRANT SELECT ON recent_events TO pw_user;
         INSERT INTO events (at, kind) VALUES ('2025-03-01', 'click'), ('2026-02-01', 'buy');
         INSERT INTO event_notes (id, note) VALUES (1, 'kept');",
    );
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    let key = diffs
        .iter()
        .find(|d| d["name"] == "public.events" && d["field"] == "partition_key")
        .unwrap_or_else(|| panic!("{diffs:#?}"));
    assert_eq!(key["kind"], "table");
    assert_eq!(key["change"], "changed");
    assert_eq!(key["expected"], "RANGE (at)");
    assert_eq!(key["live"], "LIST (kind)");
    assert!(
        has(&diffs, "table", "extra", "public.events_buy"),
        "{diffs:#?}"
    );
    assert!(
        has(&diffs, "table", "missing", "public.events_2026_buy"),
        "{diffs:#?}"
    );

    let script = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--sql"])
        .run();
    script.assert_code(2);
    let sql = &script.stdout;
    assert!(!sql.contains("by hand"), "{sql}");
    // The drop is marked and in the data-loss group; the table, its partitions and what
    // hangs on them come back after it.
    let group = sql
        .find("-- ==== statements below can lose data ====")
        .unwrap_or_else(|| panic!("{sql}"));
    let drop = sql
        .find("-- DATA LOSS: recreates table public.events, whose partition key changes (LIST (kind) → RANGE (at))")
        .unwrap_or_else(|| panic!("{sql}"));
    assert!(group < drop, "{sql}");
    assert!(
        sql[drop..]
            .lines()
            .nth(1)
            .is_some_and(|l| l == "DROP TABLE IF EXISTS public.events;"),
        "{sql}"
    );
    for after in [
        "CREATE TABLE public.events (",
        "CREATE TABLE public.events_2026_buy PARTITION OF public.events_2026 FOR VALUES IN ('buy');",
        "ALTER TABLE public.event_notes ADD CONSTRAINT event_notes_event_fkey",
        "CREATE VIEW public.recent_events AS",
        "GRANT SELECT ON TABLE public.recent_events TO pw_user;",
        "GRANT INSERT, SELECT ON TABLE public.events TO pw_user;",
        "ALTER SEQUENCE public.events_id_seq OWNED BY public.events.id;",
    ] {
        let at = sql.find(after).unwrap_or_else(|| panic!("{after}\n{sql}"));
        assert!(at > drop, "{after} comes after the drop\n{sql}");
    }
    run_script(&db, sql);
    let again = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges"])
        .run();
    assert_eq!(again.code, 0, "{}\n--- script\n{sql}", again.stdout);

    // The catalog's own account.
    assert_eq!(
        db.scalar("SELECT pg_get_partkeydef('public.events'::regclass)"),
        "RANGE (at)"
    );
    assert_eq!(
        db.column(
            "SELECT c.oid::regclass || ' ' || pg_get_expr(c.relpartbound, c.oid)
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind IN ('r', 'p')
             ORDER BY c.relname COLLATE \"C\""
        ),
        [
            "events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            "events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "events_2026_buy FOR VALUES IN ('buy')",
            "events_2026_rest DEFAULT",
        ]
    );
    assert_eq!(
        db.scalar("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'event_notes_event_fkey'"),
        "events"
    );
    assert_eq!(
        db.scalar("SELECT obj_description('public.events'::regclass, 'pg_class')"),
        "every event"
    );
    assert_eq!(
        db.scalar("SELECT obj_description('public.events_kind_idx'::regclass, 'pg_class')"),
        "by kind"
    );
    assert_eq!(
        db.scalar(
            "SELECT has_table_privilege('pw_user', 'public.events', 'INSERT')
                AND has_table_privilege('pw_user', 'public.recent_events', 'SELECT')"
        ),
        "t"
    );
    assert_eq!(
        db.scalar("SELECT relrowsecurity FROM pg_class WHERE oid = 'public.events'::regclass"),
        "t"
    );
    assert_eq!(
        db.scalar(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'events_stamp' AND tgparentid = 0
               AND tgrelid = 'public.events'::regclass"
        ),
        "1"
    );
    // The serial column's sequence survived and belongs to the new table.
    assert_eq!(
        db.scalar("SELECT pg_get_serial_sequence('public.events', 'id')"),
        "public.events_id_seq"
    );
    // The rows of the table are gone; those of the table referencing it stay.
    assert_eq!(db.scalar("SELECT count(*) FROM events"), "0");
    assert_eq!(db.scalar("SELECT note FROM event_notes"), "kept");
}

#[test]
fn grants_on_views_rebuilt_after_the_data_loss_group_follow_them() {
    let db = TestDb::new("diff_late_view_grants");
    let project = TempProject::with_phases(&["all"]).migration(
        1,
        1,
        "tickets",
        "CREATE TYPE status AS ENUM ('new', 'open', 'closed');
         CREATE TABLE tickets (id int PRIMARY KEY, status status NOT NULL DEFAULT 'new');
         CREATE VIEW open_tickets AS SELECT id, status FROM tickets WHERE status <> 'closed';
         COMMENT ON VIEW open_tickets IS 'not closed';
         CREATE MATERIALIZED VIEW ticket_counts AS SELECT status, count(*) AS n FROM tickets GROUP BY status;
         CREATE UNIQUE INDEX ticket_counts_status ON ticket_counts (status);
         GRANT SELECT ON open_tickets TO pw_user;
         GRANT SELECT ON ticket_counts TO pw_user;\n",
        "DROP MATERIALIZED VIEW ticket_counts; DROP VIEW open_tickets; DROP TABLE tickets; DROP TYPE status;\n",
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    // A label the migrations do not make: the script must recreate the enum without it.
    db.execute("ALTER TYPE status ADD VALUE 'spam'; INSERT INTO tickets VALUES (1, 'open'), (2, 'closed');");
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    assert!(
        has(&diffs, "type", "changed", "public.status"),
        "{diffs:#?}"
    );
    let script = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--sql"])
        .run();
    script.assert_code(2);
    let sql = &script.stdout;
    assert!(
        sql.contains("-- DATA LOSS: recreates enum public.status"),
        "{sql}"
    );
    let position = |needle: &str| {
        sql.find(needle)
            .unwrap_or_else(|| panic!("{needle}\n{sql}"))
    };
    let converted = position("ALTER TABLE public.tickets ALTER COLUMN status TYPE public.status");
    for (view, grant) in [
        (
            "CREATE VIEW public.open_tickets AS",
            "GRANT SELECT ON TABLE public.open_tickets TO pw_user;",
        ),
        (
            "CREATE MATERIALIZED VIEW public.ticket_counts AS",
            "GRANT SELECT ON TABLE public.ticket_counts TO pw_user;",
        ),
    ] {
        let (created, granted) = (position(view), position(grant));
        assert!(converted < created && created < granted, "{view}\n{sql}");
        assert_eq!(sql.matches(grant).count(), 1, "{sql}");
    }
    run_script(&db, sql);
    Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges"])
        .run()
        .success();
    assert_eq!(
        db.scalar(
            "SELECT has_table_privilege('pw_user', 'public.open_tickets', 'SELECT')
                AND has_table_privilege('pw_user', 'public.ticket_counts', 'SELECT')"
        ),
        "t"
    );
    assert_eq!(
        db.column("SELECT unnest(enum_range(NULL::status))::text"),
        ["new", "open", "closed"]
    );
    assert_eq!(db.scalar("SELECT count(*) FROM open_tickets"), "1");
    assert_eq!(
        db.scalar("SELECT obj_description('public.open_tickets'::regclass, 'pg_class')"),
        "not closed"
    );
}

#[test]
fn a_function_dropped_and_created_again_takes_what_calls_it_along() {
    let db = TestDb::new("diff_function_dependents");
    let project = kinds_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(with_double_replaced!(
        "CREATE FUNCTION app.double(x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;"
    ));
    db.execute("INSERT INTO app.scores (id) VALUES (1);");
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    let returns = diffs
        .iter()
        .find(|d| d["name"] == "app.double(x integer)" && d["field"] == "returns")
        .unwrap_or_else(|| panic!("{diffs:#?}"));
    assert_eq!(returns["expected"], "integer");
    assert_eq!(returns["live"], "bigint");
    let script = Strata::on(&db)
        .project(&project)
        .args(["diff", "--sql"])
        .run();
    script.assert_code(2);
    let sql = &script.stdout;
    assert!(!sql.contains("DATA LOSS:"), "{sql}");
    // Whatever calls it goes before the DROP FUNCTION and comes back after the CREATE.
    let position = |needle: &str| {
        sql.find(needle)
            .unwrap_or_else(|| panic!("{needle}\n{sql}"))
    };
    let dropped = position("DROP FUNCTION app.double(x integer);");
    let created = position("CREATE OR REPLACE FUNCTION app.double(x integer)");
    for (before, after) in [
        (
            "DROP VIEW IF EXISTS app.doubled;",
            "CREATE VIEW app.doubled AS",
        ),
        (
            "DROP TRIGGER IF EXISTS scores_touch ON app.scores;",
            "CREATE TRIGGER scores_touch",
        ),
        (
            "DROP POLICY IF EXISTS scores_small ON app.scores;",
            "CREATE POLICY scores_small",
        ),
        (
            "DROP INDEX IF EXISTS app.scores_doubled;",
            "CREATE INDEX scores_doubled",
        ),
        (
            "DROP CONSTRAINT IF EXISTS scores_base_check;",
            "ADD CONSTRAINT scores_base_check",
        ),
        (
            "ALTER COLUMN base DROP DEFAULT;",
            "ALTER COLUMN base SET DEFAULT app.double(1);",
        ),
    ] {
        assert!(position(before) < dropped, "{before}\n{sql}");
        assert!(position(after) > created, "{after}\n{sql}");
    }
    run_script(&db, sql);
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success();
    assert_eq!(
        db.scalar("SELECT pg_get_function_result('app.double(integer)'::regprocedure)"),
        "integer"
    );
    assert_eq!(
        db.scalar(
            "SELECT count(DISTINCT d.classid) FROM pg_depend d
             WHERE d.refobjid = 'app.double(integer)'::regprocedure AND d.deptype = 'n'"
        ),
        "6",
        "a default, a check, an index, a trigger, a policy and a view call it again"
    );
    // The table kept its rows.
    assert_eq!(db.scalar("SELECT twice FROM app.doubled"), "4");
}

#[test]
fn long_bodies_are_shown_as_a_unified_diff_and_expected_text_is_catalog_text() {
    let db = TestDb::new("diff_unified");
    let project = kinds_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute("CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.note := coalesce(NEW.note, 'x');\n  RETURN NEW;\nEND;\n$$;");
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    let unified = diffs[0]["diff"].as_str().unwrap();
    assert!(unified.contains("--- expected"), "{unified}");
    assert!(
        unified.contains("-  NEW.note := coalesce(NEW.note, '');"),
        "{unified}"
    );
    assert!(
        unified.contains("+  NEW.note := coalesce(NEW.note, 'x');"),
        "{unified}"
    );
    // The text report shows it too, without colours when stdout is not a terminal.
    let text = Strata::on(&db).project(&project).args(["diff"]).run();
    text.assert_code(2)
        .stdout_has("function app.touch()\n  ~ changed function app.touch(): body")
        .stdout_has("+  NEW.note := coalesce(NEW.note, 'x');")
        .stdout_has("1 difference: 0 missing, 0 extra, 1 changed");
    assert!(!text.stdout.contains('\x1b'));
    // The catalog's spelling on both sides: nothing differs in how it was written.
    let all = Strata::on(&db)
        .project(&project)
        .args(["snapshot", "--output", "-"])
        .run();
    all.success();
    let snapshot = all.json();
    let accounts = &snapshot["model"]["tables"]["app.accounts"];
    let email = accounts["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "email")
        .unwrap();
    assert_eq!(email["type"], "character varying(64)");
    assert_eq!(
        accounts["constraints"]["accounts_price_check"]["definition"],
        "CHECK (price > 0::numeric)"
    );
    let trigger = &snapshot["model"]["tables"]["app.orders"]["triggers"]["orders_touch"];
    assert!(trigger["definition"]
        .as_str()
        .unwrap()
        .contains("EXECUTE FUNCTION app.touch()"));
}

#[test]
fn excluded_objects_are_left_out() {
    let db = TestDb::new("diff_exclude");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute("CREATE SCHEMA audit; CREATE TABLE audit.events (id int); CREATE TABLE public.tmp_x (id int);");
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .assert_code(2)
        .stdout_has("extra table audit.events");
    Strata::on(&db)
        .project(&project)
        .args(["diff", "--exclude", "audit", "audit.*", "public.tmp_*"])
        .run()
        .success();
}

#[test]
fn the_scratch_database_is_dropped_when_a_migration_fails() {
    let db = TestDb::new("diff_scratch_fail");
    let project = TempProject::new().migration(
        1,
        1,
        "broken",
        "CREATE TABLE t (id int);\nSELECT 1 / 0;\n",
        "DROP TABLE t;\n",
    );
    let mut cmd = Strata::on(&db).project(&project).args(["diff"]).command();
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("division by zero"), "{stderr}");
    let left = db.scalar(&format!(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'strata\\_shadow\\_{pid}\\_%'"
    ));
    assert_eq!(left, "0", "the scratch database was dropped");
    assert!(db.tables().is_empty(), "the live database is not touched");
}

#[test]
fn the_scratch_database_is_dropped_on_ctrl_c() {
    let db = TestDb::new("diff_scratch_sigint");
    let project = TempProject::new().migration(
        1,
        1,
        "slow",
        "CREATE TABLE t (id int);\nSELECT pg_sleep(30);\n",
        "DROP TABLE t;\n",
    );
    let mut cmd = Strata::on(&db).project(&project).args(["diff"]).command();
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pattern = format!("strata\\_shadow\\_{}\\_%", child.id());
    let query = format!("SELECT count(*) FROM pg_database WHERE datname LIKE '{pattern}'");
    let started = std::time::Instant::now();
    while db.scalar(&query) == "0" {
        assert!(
            started.elapsed().as_secs() < 20,
            "no scratch database appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Let the migration start, then interrupt.
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(db.scalar(&query), "0", "the scratch database was dropped");
}

#[test]
fn the_number_of_catalog_queries_does_not_grow_with_the_schema() {
    let small = TestDb::new("diff_queries_small");
    let large = TestDb::new("diff_queries_large");
    let tables = |n: usize| {
        (0..n)
            .map(|i| {
                format!(
                    "CREATE TABLE t{i} (id int PRIMARY KEY, v text CHECK (v <> ''), p int REFERENCES t0(id));
                     CREATE INDEX t{i}_v ON t{i} (v);"
                )
            })
            .collect::<String>()
    };
    small.execute(&tables(10));
    large.execute(&tables(200));
    let count = |db: &TestDb, sql: bool| {
        let mut args = vec!["diff", "--json", "--from", &db.url, "--to", &db.url];
        if sql {
            args.push("--sql");
        }
        let run = Strata::on(db).args(args).run();
        run.success();
        run.json()["catalog_queries"].as_u64().unwrap()
    };
    let (a, b) = (count(&small, true), count(&large, true));
    assert_eq!(a, b);
    assert_eq!(
        a,
        strata::introspect::CATALOG_QUERIES as u64,
        "{a} catalog queries"
    );
    // Without a script to order, the dependency graph is not read.
    let (a, b) = (count(&small, false), count(&large, false));
    assert_eq!(a, b);
    assert_eq!(a, strata::introspect::CATALOG_QUERIES as u64 - 1);
    // And the two really differ by 190 tables.
    let run = Strata::on(&small)
        .args(["diff", "--json", "--from", &small.url, "--to", &large.url])
        .run();
    run.assert_code(2);
    assert_eq!(
        differences(&run)
            .iter()
            .filter(|d| d["kind"] == "table" && d["change"] == "missing")
            .count(),
        190
    );
}

#[test]
fn the_embedded_snapshot_is_up_to_date_with_the_migrations() {
    let db = TestDb::new("diff_snapshot_fresh");
    let run = Strata::on(&db).args(["snapshot", "--output", "-"]).run();
    run.success();
    let fresh = run.json();
    let stored: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.snapshot.json"),
        )
        .expect("schema.snapshot.json in the repository"),
    )
    .unwrap();
    assert!(
        fresh["model"] == stored["model"] && fresh["migrations"] == stored["migrations"],
        "schema.snapshot.json is out of date with the migrations: run `cargo run -- snapshot --output schema.snapshot.json`"
    );
    Strata::on(&db)
        .args(["snapshot", "--check"])
        .run()
        .success()
        .stdout_has("up to date");
    // Nothing is left on the server, and the live database was not touched.
    assert!(db.tables().is_empty());
}

#[test]
fn diff_against_the_snapshot_needs_no_scratch_database_and_detects_changes() {
    let db = TestDb::vrss("diff_snapshot_live");
    // A role that may not create databases: only --snapshot can work for it.
    let role = format!("nocreate_{}", db.name);
    db.execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'role-pw' NOCREATEDB; GRANT pg_read_all_data TO {role};"
    ));
    let mut url = strata::conn::resolve(Some(&db.url), &std::collections::BTreeMap::new()).unwrap();
    url.user = role.clone();
    url.password = Some("role-pw".into());
    let url = url.to_url();
    let run = Strata::bare()
        .env("DATABASE_URL", &url)
        .args(["diff", "--snapshot"])
        .run();
    run.success().stdout_has("0 differences");
    db.execute("ALTER TABLE users ADD COLUMN nickname text; DROP INDEX idx_posts_user_created;");
    let run = Strata::bare()
        .env("DATABASE_URL", &url)
        .args(["diff", "--snapshot", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    assert!(
        has(&diffs, "column", "extra", "public.users.nickname"),
        "{diffs:#?}"
    );
    assert!(
        has(&diffs, "index", "missing", "public.idx_posts_user_created"),
        "{diffs:#?}"
    );
    db.execute(&format!("DROP OWNED BY {role}; DROP ROLE {role};"));
}

/// One corpus case: `--from A --to B` reports the differences, the `--sql` script turns A
/// into B, and the reverse script turns B into A.
fn corpus_case(case: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/diff_cases")
        .join(case);
    let a_sql = std::fs::read_to_string(dir.join("a.sql")).unwrap();
    let b_sql = std::fs::read_to_string(dir.join("b.sql")).unwrap();
    let a = TestDb::new(&format!("dc_{case}_a"));
    let b = TestDb::new(&format!("dc_{case}_b"));
    let a2 = TestDb::new(&format!("dc_{case}_a2"));
    run_script(&a, &a_sql);
    run_script(&a2, &a_sql);
    run_script(&b, &b_sql);
    let diff = |from: &TestDb, to: &TestDb, extra: &[&str]| {
        Strata::bare()
            .args(["diff", "--from", &from.url, "--to", &to.url])
            .args(extra)
            .run()
    };
    let report = diff(&a, &b, &["--json"]);
    report.assert_code(2);
    assert!(!differences(&report).is_empty());
    let forward = diff(&a, &b, &["--sql"]);
    forward.assert_code(2);
    let backward = diff(&b, &a2, &["--sql"]);
    backward.assert_code(2);
    run_script(&a, &forward.stdout);
    let again = diff(&a, &b, &[]);
    assert_eq!(
        again.code, 0,
        "{case} A→B:\n{}\n--- script\n{}",
        again.stdout, forward.stdout
    );
    run_script(&b, &backward.stdout);
    let again = diff(&b, &a2, &[]);
    assert_eq!(
        again.code, 0,
        "{case} B→A:\n{}\n--- script\n{}",
        again.stdout, backward.stdout
    );
}

macro_rules! corpus {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                corpus_case(stringify!($case));
            }
        )*

        #[test]
        fn every_corpus_case_has_a_test() {
            let listed = [$(stringify!($case)),*];
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_cases");
            for entry in std::fs::read_dir(dir).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "tests/diff_cases/{name} has no test");
            }
        }
    };
}

mod corpus {
    use super::*;
    corpus!(
        schemas_and_extensions,
        types,
        sequences,
        tables_and_columns,
        constraints,
        indexes,
        partitions,
        functions_and_triggers,
        views,
        security_and_comments,
        partition_key_and_enum_views,
        inheritance_identity_and_storage,
    );
}

#[test]
fn bad_urls_are_errors_not_drift() {
    Strata::bare()
        .args([
            "diff",
            "--from",
            "postgres://nobody@127.0.0.1:1/x",
            "--to",
            "postgres://nobody@127.0.0.1:1/y",
        ])
        .run()
        .one_line_error("could not connect");
}

#[test]
fn owners_and_grants_are_compared_with_privileges_only() {
    let db = TestDb::new("diff_privileges");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    db.execute(&format!(
        "GRANT SELECT, UPDATE ON a TO {PW_USER}; GRANT EXECUTE ON FUNCTION touch() TO {PW_USER}; REVOKE EXECUTE ON FUNCTION touch() FROM PUBLIC;"
    ));
    Strata::on(&db)
        .project(&project)
        .args(["diff"])
        .run()
        .success();
    let run = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--json"])
        .run();
    run.assert_code(2);
    let diffs = differences(&run);
    assert!(
        diffs
            .iter()
            .any(|d| d["name"] == "public.a" && d["field"] == "grants"),
        "{diffs:#?}"
    );
    assert!(
        diffs
            .iter()
            .any(|d| d["name"] == "public.touch()" && d["field"] == "grants"),
        "{diffs:#?}"
    );
    let script = Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges", "--sql"])
        .run();
    script.assert_code(2);
    run_script(&db, &script.stdout);
    Strata::on(&db)
        .project(&project)
        .args(["diff", "--privileges"])
        .run()
        .success();
}

#[test]
fn a_role_that_may_not_create_databases_builds_the_scratch_database_on_the_shadow_url() {
    let db = TestDb::new("diff_shadow_url");
    let project = sample_project();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let role = format!("noshadow_{}", db.name);
    db.execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'role-pw' NOCREATEDB; GRANT pg_read_all_data TO {role};"
    ));
    let mut params =
        strata::conn::resolve(Some(&db.url), &std::collections::BTreeMap::new()).unwrap();
    params.user = role.clone();
    params.password = Some("role-pw".into());
    let shadow = server().cluster.params("postgres").to_url();
    let run = Strata::bare()
        .project(&project)
        .env("DATABASE_URL", &params.to_url())
        .args(["diff", "--json", "--shadow-url", &shadow])
        .run();
    run.success();
    let expected = run.json()["expected"].as_str().unwrap().to_string();
    assert!(expected.contains("--shadow-url"), "{expected}");
    db.execute(&format!("DROP OWNED BY {role}; DROP ROLE {role};"));
}

#[test]
fn scratch_databases_of_a_killed_run_are_dropped_by_the_next_run_unless_in_use() {
    // A server of its own: other tests' runs on the shared one would clean up too.
    let dir = open_tempdir();
    let cluster = strata::local::Cluster::at(
        dir.path().join("pg"),
        strata::local::ClusterOptions::default(),
    );
    cluster.start().unwrap();
    struct Destroy<'a>(&'a strata::local::Cluster);
    impl Drop for Destroy<'_> {
        fn drop(&mut self) {
            let _ = self.0.destroy();
        }
    }
    let _guard = Destroy(&cluster);
    let url = cluster.params("postgres").to_url();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let scratch = |admin: &mut postgres::Client| -> Vec<String> {
        admin
            .query(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'strata\\_shadow\\_%' ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    // A run killed with SIGKILL while its scratch database exists cannot clean up.
    let slow = TempProject::new().migration(
        1,
        1,
        "slow",
        "CREATE TABLE t (id int);\nSELECT pg_sleep(30);\n",
        "DROP TABLE t;\n",
    );
    let mut child = Strata::bare()
        .project(&slow)
        .env("DATABASE_URL", &url)
        .args(["diff"])
        .command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while scratch(&mut admin).is_empty() {
        assert!(
            started.elapsed().as_secs() < 20,
            "no scratch database appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = scratch(&mut admin);
    assert_eq!(killed.len(), 1);
    // Its backend goes once the server notices the client is gone (the query is cancelled).
    admin
        .batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
            killed[0]
        ))
        .unwrap();
    // A scratch-like database someone is connected to is left alone.
    admin
        .batch_execute("CREATE DATABASE strata_shadow_1_inuse")
        .unwrap();
    let mut in_use = cluster.params("strata_shadow_1_inuse");
    in_use.application_name = None;
    let _holder = postgres::Client::connect(&in_use.to_url(), postgres::NoTls).unwrap();
    let run = Strata::bare()
        .project(&sample_project())
        .env("DATABASE_URL", &url)
        .args(["diff"])
        .run();
    assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
    run.stderr_has(&format!("dropped the scratch database {}", killed[0]))
        .stderr_has("left by a run that was killed");
    assert_eq!(
        scratch(&mut admin),
        vec!["strata_shadow_1_inuse".to_string()]
    );
}

#[test]
fn diff_falling_back_to_the_local_server_says_so_and_stops_what_it_started() {
    let db = TestDb::new("diff_fallback_local");
    let project = sample_project();
    std::fs::set_permissions(
        project.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    let role = format!("nocreate_fallback_{}", db.name);
    db.execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'role-pw' NOCREATEDB; GRANT pg_read_all_data TO {role};"
    ));
    let mut params =
        strata::conn::resolve(Some(&db.url), &std::collections::BTreeMap::new()).unwrap();
    params.user = role.clone();
    params.password = Some("role-pw".into());
    let run = Strata::bare()
        .project(&project)
        .env("DATABASE_URL", &params.to_url())
        .args(["diff"])
        .run();
    run.success()
        .stderr_has("the scratch database for the migrations is on the local database's server in")
        .stderr_has("the role may not create databases")
        .stderr_has("stopped the local database in");
    let status = Strata::bare()
        .project(&project)
        .args(["local", "status", "--json"])
        .run();
    let json = status.json();
    assert_eq!(json["status"]["running"], false);
    assert_eq!(json["status"]["authentication"], "scram-sha-256");
    Strata::bare()
        .project(&project)
        .args(["local", "destroy", "--yes"])
        .run()
        .success();
}
