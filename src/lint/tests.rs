//! Unit tests of the pure parts: grading by live size, project-wide allowances, the fix
//! plan's text edits, the SQL-only entry point `generate` uses.

use super::*;

fn covered() -> LintOptions {
    LintOptions {
        covered: analyze::Covered {
            lock_timeout: true,
            statement_timeout: true,
        },
        ..LintOptions::default()
    }
}

fn run_with(files: &[(&str, &str)], options: &LintOptions) -> LintReport {
    let sources: Vec<SqlSource> = files.iter().map(|(p, s)| SqlSource::text(p, s)).collect();
    lint(&sources, options).0
}

fn rules_of(report: &LintReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

const TABLE: (&str, &str) = ("a.sql", "CREATE TABLE t (id bigint PRIMARY KEY, a text);");
const INDEX: (&str, &str) = ("b.sql", "CREATE INDEX t_a ON t (a);");

#[test]
fn index_on_existing_table_fires_and_on_new_table_does_not() {
    let r = run_with(&[TABLE, INDEX], &covered());
    assert_eq!(rules_of(&r), vec!["index-not-concurrent"]);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert_eq!((r.findings[0].line, r.findings[0].column), (1, 1));
    let r = run_with(
        &[(
            "a.sql",
            "CREATE TABLE t (id bigint PRIMARY KEY, a text);\nCREATE INDEX t_a ON t (a);",
        )],
        &covered(),
    );
    assert!(rules_of(&r).is_empty(), "{:?}", r.findings);
}

fn sizes(bytes: u64, rows: u64) -> LiveSizes {
    let mut s = LiveSizes {
        from: "postgres://x@h/db".into(),
        ..LiveSizes::default()
    };
    s.tables.insert(
        "public.t".into(),
        TableStats {
            bytes,
            rows,
            scans_per_s: 1.0,
            writes_per_s: 2.0,
        },
    );
    s
}

#[test]
fn lock_findings_are_graded_by_the_live_table_size() {
    let mut options = covered();
    options.sizes = Some(sizes(8192, 100));
    let small = run_with(&[TABLE, INDEX], &options);
    assert_eq!(small.findings[0].severity, Severity::Info);
    options.sizes = Some(sizes(50 * 1024 * 1024, 400_000));
    let big = run_with(&[TABLE, INDEX], &options);
    let f = &big.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("50 MB"), "{}", f.message);
    assert!(f.message.contains("400000 rows"), "{}", f.message);
    // 50 MB scanned at the configured 300 MB/s.
    assert_eq!(f.estimated_ms, Some(167));
    assert!(big.has_errors());
    // Rows alone cross the threshold too.
    options.sizes = Some(sizes(1024, 200_000));
    assert_eq!(
        run_with(&[TABLE, INDEX], &options).findings[0].severity,
        Severity::Error
    );
    // A table the target does not have yet is created empty by an earlier migration.
    options.sizes = Some(LiveSizes::default());
    let f = &run_with(&[TABLE, INDEX], &options).findings[0];
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("not in the target database yet"));
}

#[test]
fn breaking_findings_are_errors_whatever_the_size() {
    let mut options = covered();
    options.sizes = Some(sizes(10, 1));
    let r = run_with(
        &[TABLE, ("b.sql", "ALTER TABLE t DROP COLUMN a;")],
        &options,
    );
    assert_eq!(rules_of(&r), vec!["drop-column"]);
    assert_eq!(r.findings[0].severity, Severity::Error);
}

#[test]
fn project_allowances_need_a_matching_rule_and_file() {
    let mut options = covered();
    options.config.allow.push(config::ConfigAllow {
        rule: "index-not-concurrent".into(),
        reason: "built before release".into(),
        files: Some("b*.sql".into()),
    });
    let r = run_with(&[TABLE, INDEX], &options);
    assert!(r.findings.is_empty());
    assert_eq!(r.summary.allowed, 1);
    assert!(r.allowed[0]
        .allowed
        .as_deref()
        .is_some_and(|a| a.contains("built before release")));
    options.config.allow[0].files = Some("c*.sql".into());
    assert_eq!(run_with(&[TABLE, INDEX], &options).findings.len(), 1);
}

#[test]
fn glob_matches_stars_and_marks() {
    assert!(glob(
        "migrations/*/4006_*.up.sql",
        "migrations/4_x/4006_indexes.up.sql"
    ));
    assert!(glob("a?c", "abc"));
    assert!(!glob("a?c", "ac"));
    assert!(!glob("*.down.sql", "x.up.sql"));
}

#[test]
fn fix_plan_rewrites_each_fixable_form() {
    let up = "CREATE INDEX t_a ON t (a);\nALTER TABLE t ADD CONSTRAINT t_pos CHECK (id > 0),\n  ALTER COLUMN a SET NOT NULL;\n";
    let sources = vec![
        SqlSource::text("/p/migrations/1_x/1_a.up.sql", TABLE.1),
        SqlSource::text("/p/migrations/1_x/2_b.up.sql", up),
    ];
    let (report, _) = lint(&sources, &covered());
    assert_eq!(
        rules_of(&report),
        vec!["index-not-concurrent", "check-validates", "set-not-null"]
    );
    let targets = vec![fix::Target {
        source: 1,
        version: 2,
        name: "b".into(),
        up: "/p/migrations/1_x/2_b.up.sql".into(),
        down: "/p/migrations/1_x/2_b.down.sql".into(),
        down_sql: "DROP INDEX t_a;\n".into(),
    }];
    let mut versions = fix::Versions {
        used: vec![
            (1, "/p/migrations/1_x".into()),
            (2, "/p/migrations/1_x".into()),
        ],
    };
    let plan = fix::plan(&sources, &targets, &report.findings, &mut versions);
    assert_eq!(plan.fixed.len(), 3, "{:?}", plan.skipped);
    let text = |suffix: &str| {
        plan.edits
            .iter()
            .find(|e| e.path.to_string_lossy().ends_with(suffix))
            .map(|e| e.after.clone())
            .unwrap_or_else(|| panic!("no {suffix} in {:?}", plan.edits))
    };
    assert!(text("3_b_index_t_a.up.sql").starts_with("-- strata:no-transaction\n"));
    assert!(text("3_b_index_t_a.up.sql")
        .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);"));
    assert!(
        text("3_b_index_t_a.down.sql").contains("DROP INDEX CONCURRENTLY IF EXISTS public.t_a;")
    );
    let up_after = text("2_b.up.sql");
    assert!(!up_after.contains("CREATE INDEX t_a"));
    assert!(up_after.contains("CHECK (id > 0) NOT VALID"));
    assert!(up_after.contains("ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID"));
    let validate = text("4_b_validate.up.sql");
    assert!(validate.contains("VALIDATE CONSTRAINT t_pos;"));
    assert!(validate.contains("ALTER COLUMN a SET NOT NULL, DROP CONSTRAINT t_a_not_null;"));
    assert!(text("2_b.down.sql").contains("DROP INDEX IF EXISTS t_a;"));
    // The fixed set lints clean.
    let mut fixed = vec![sources[0].clone()];
    fixed.push(SqlSource::text("2.sql", &up_after));
    let mut index = SqlSource::text("3.sql", &text("3_b_index_t_a.up.sql"));
    index.no_transaction = true;
    fixed.push(index);
    fixed.push(SqlSource::text("4.sql", &validate));
    let (after, _) = lint(&fixed, &covered());
    assert!(after.findings.is_empty(), "{:?}", after.findings);
}

#[test]
fn lint_sql_is_the_entry_point_for_generated_sql() {
    let r = lint_sql(
        &[
            (
                "gen/1.sql",
                "CREATE TABLE g (id bigint PRIMARY KEY, n int);",
            ),
            ("gen/2.sql", "ALTER TABLE g ALTER COLUMN n TYPE bigint;"),
        ],
        None,
    );
    assert_eq!(
        rules_of(&r),
        vec!["missing-statement-timeout", "column-type-rewrite"]
    );
}

#[test]
fn the_statement_splitter_and_the_parser_agree_on_statements() {
    // --trace runs statements as strata's splitter cuts them and matches them with the
    // parser's by position: both must see the same statements.
    let project = crate::project::Project::load(None).expect("embedded project");
    for m in &project.migrations.migrations {
        for sql in [&m.up_sql, &m.down_sql] {
            let parsed = squawk_syntax::SourceFile::parse(sql).tree().stmts().count();
            assert_eq!(crate::sql_split::split(sql).len(), parsed, "{}", m.up_path);
        }
    }
}

#[test]
fn trace_runs_the_statements_split_at_load() {
    // --trace takes a migration's statements from `Migration::up_statements`, never a second
    // split: the sources carry them, and what is traced is exactly them.
    let project = crate::project::Project::load(None).expect("embedded project");
    let sources = super::sources::project_sources(&project, None);
    assert_eq!(sources.len(), project.migrations.migrations.len());
    for (src, m) in sources.iter().zip(&project.migrations.migrations) {
        assert_eq!(src.statements, m.up_statements, "{}", m.up_path);
        let traced: Vec<String> = super::trace::to_trace(src, 0, &[])
            .into_iter()
            .map(|t| t.sql)
            .collect();
        let loaded: Vec<String> = m.up_statements.iter().map(|s| s.sql.clone()).collect();
        assert_eq!(traced, loaded, "{}", m.up_path);
    }
}
