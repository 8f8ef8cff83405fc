//! The example projects (examples/pageshare, examples/social-live, examples/token-economy):
//! for each, the catalog after `apply` against the object lists of its document (written out
//! here from the document and the project's OBJECTS.md), `rollback --all` back to an empty
//! catalog, no drift under `diff`, the dev seed passing `check`, one behaviour test per
//! trigger the document describes, and the materialized views refreshing.

use std::sync::RwLock;

use crate::support::*;

const PAGESHARE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pageshare");
const SOCIAL_LIVE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/social-live");
const TOKEN_ECONOMY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/token-economy");

/// A run of the binary on `db` with the example project in `dir`.
fn strata(db: &TestDb, dir: &str) -> Strata {
    Strata::on(db).project_dir(std::path::Path::new(dir))
}

/// A database with every migration of the example applied.
fn applied(dir: &str, tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    strata(&db, dir).args(["apply"]).run().success();
    db
}

fn sorted(items: Vec<String>) -> Vec<String> {
    let mut v = items;
    v.sort();
    v
}

fn strings(items: &[&str]) -> Vec<String> {
    sorted(items.iter().map(|s| s.to_string()).collect())
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.scalar(sql).parse().expect("a number")
}

/// Runs `sql` and returns the server's error (message and constraint); the test fails if
/// it succeeds.
fn rejects(db: &TestDb, sql: &str) -> String {
    match db.client().batch_execute(sql) {
        Ok(()) => panic!("expected an error from: {sql}"),
        Err(e) => match e.as_db_error() {
            Some(d) => format!("{} [{}]", d.message(), d.constraint().unwrap_or_default()),
            None => e.to_string(),
        },
    }
}

/// Tables and partitions (relkind r/p) in `public` and `auth`, history table left out.
fn tables(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'auth') AND c.relname <> 'schema_migrations'
         ORDER BY 1",
    )
}

/// Views (`v`) and materialized views (`m`) in `public`, as "kind name".
fn views(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT c.relkind::text || ' ' || c.relname FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1",
    )
}

/// Indexes created by name: not those behind a PRIMARY KEY or UNIQUE constraint, not the
/// copies PostgreSQL makes on partitions.
fn named_indexes(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'schema_migrations%'
           AND NOT c.relispartition
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ORDER BY 1",
    )
}

/// The `CREATE INDEX` statements PostgreSQL reports for (name, table, definition after
/// USING); a definition starting with "UNIQUE " makes a unique index, a table starting with
/// "ONLY " is a partitioned table.
fn expected_indexes(list: &[(&str, &str, &str)]) -> Vec<String> {
    sorted(
        list.iter()
            .map(|(name, table, def)| {
                let (unique, def) = match def.strip_prefix("UNIQUE ") {
                    Some(rest) => ("UNIQUE ", rest),
                    None => ("", *def),
                };
                let on = match table.strip_prefix("ONLY ") {
                    Some(t) => format!("ONLY public.{t}"),
                    None => format!("public.{table}"),
                };
                format!("CREATE {unique}INDEX {name} ON {on} USING {def}")
            })
            .collect(),
    )
}

/// Triggers declared on tables (not the clones on partitions): "name table function".
fn triggers(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT t.tgname || ' ' || t.tgrelid::regclass || ' ' || p.proname FROM pg_trigger t
         JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND t.tgparentid = 0 ORDER BY 1",
    )
}

fn expected_triggers(list: &[(&str, &str, &str)]) -> Vec<String> {
    sorted(
        list.iter()
            .map(|(t, table, f)| format!("{t} {table} {f}"))
            .collect(),
    )
}

/// Functions of `public` that do not belong to an extension.
fn functions(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
         ORDER BY 1",
    )
}

/// CHECK and UNIQUE constraints as "table.name" (the copies on partitions left out).
fn check_and_unique_constraints(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT conrelid::regclass || '.' || conname FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace AND contype IN ('c', 'u') AND conparentid = 0
           AND conrelid::regclass::text <> 'schema_migrations'
         ORDER BY 1",
    )
}

/// Enum types with their labels in order: "type: a,b,c".
fn enums(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
         FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname ORDER BY 1",
    )
}

/// Tables (not partitions, not history) without a primary key.
fn tables_without_primary_key(db: &TestDb) -> Vec<String> {
    db.column(
        "SELECT c.oid::regclass::text FROM pg_class c
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND c.relnamespace IN ('public'::regnamespace, to_regnamespace('auth'))
           AND c.relname <> 'schema_migrations'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
         ORDER BY 1",
    )
}

/// Every trigger is enabled (as the migrations leave them).
fn assert_triggers_enabled(db: &TestDb) {
    assert_eq!(
        db.column("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"),
        Vec::<String>::new(),
        "every trigger enabled"
    );
}

/// `rollback --all` brings the catalog back to what it was before `apply`.
fn rollback_leaves_nothing(dir: &str, tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    let empty = db.catalog();
    strata(&db, dir).args(["apply"]).run().success();
    assert_ne!(db.catalog(), empty);
    strata(&db, dir)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert_eq!(db.catalog(), empty, "rollback --all leaves nothing behind");
    assert_eq!(db.recorded(), Vec::<i64>::new());
    db
}

/// `diff` against a freshly applied database finds nothing, in text and JSON.
fn no_drift(dir: &str, tag: &str) {
    let db = applied(dir, tag);
    strata(&db, dir)
        .args(["diff"])
        .run()
        .success()
        .stdout_has("0 differences: 0 missing, 0 extra, 0 changed");
    let run = strata(&db, dir).args(["diff", "--json"]).run();
    run.success();
    let report = run.json();
    assert_eq!(report["differences"], serde_json::json!([]));
    assert_eq!(report["migrations"], serde_json::json!([]));
}

/// Seeds the dev profile, then `check` passes (exit 0, no failed check, no check that
/// could not run); returns the JSON report and the names of the checks that warned.
fn seed_dev_and_check(db: &TestDb, dir: &str) -> (serde_json::Value, Vec<String>) {
    strata(db, dir)
        .args(["seed", "--profile", "dev"])
        .run()
        .success();
    strata(db, dir)
        .args(["check"])
        .run()
        .success()
        .stdout_has("0 failed");
    let run = strata(db, dir).args(["check", "--json"]).run();
    run.success();
    let report = run.json();
    assert_eq!(report["summary"]["failed"], 0, "{report:#}");
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    let checks = report["checks"].as_array().expect("checks");
    // Both sources ran: the catalog's constraints and the project's declared invariants.
    assert!(checks.iter().any(|c| c["source"] == "catalog"));
    assert!(checks.iter().any(|c| c["source"] == "declared"));
    let warnings = checks
        .iter()
        .filter(|c| c["status"] == "warning")
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect();
    (report, warnings)
}

/// The declared invariants `check --list` shows for the project (its checks.toml parses).
fn declared_checks(db: &TestDb, dir: &str) -> Vec<String> {
    let run = strata(db, dir).args(["check", "--list", "--json"]).run();
    run.success();
    let report = run.json();
    let list = report
        .as_array()
        .or_else(|| report["checks"].as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter(|c| c["source"] == "declared")
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

// =======================================================================================
// PageShare (001_c4a832ec43fded0e.txt, Supabase)
// =======================================================================================

/// 001 §1-§17, in dependency order, and the auth.users stand-in (migration 1001).
const PAGESHARE_TABLES: &[&str] = &[
    "auth.users",
    "public.users",
    "public.user_interests",
    "public.tickers",
    "public.watchlist_items",
    "public.posts",
    "public.comments",
    "public.post_tickers",
    "public.polls",
    "public.poll_votes",
    "public.reactions",
    "public.reposts",
    "public.bookmarks",
    "public.follows",
    "public.content_filters",
    "public.reports",
    "public.error_logs",
    "public.user_sessions",
];

/// 001's CREATE INDEX statements (65) and the two partial uniques of reactions.
#[rustfmt::skip]
const PAGESHARE_INDEXES: &[(&str, &str, &str)] = &[
    ("idx_users_username", "users", "btree (username)"),
    ("idx_users_created_at", "users", "btree (created_at)"),
    ("idx_users_last_active_at", "users", "btree (last_active_at)"),
    ("idx_users_deleted_at", "users", "btree (deleted_at) WHERE (deleted_at IS NULL)"),
    ("idx_user_interests_user_id", "user_interests", "btree (user_id)"),
    ("idx_user_interests_interest", "user_interests", "btree (interest)"),
    ("idx_tickers_symbol", "tickers", "btree (symbol)"),
    ("idx_tickers_type", "tickers", "btree (type)"),
    ("idx_tickers_created_at", "tickers", "btree (created_at)"),
    ("idx_watchlist_items_user_id", "watchlist_items", "btree (user_id)"),
    ("idx_watchlist_items_ticker_id", "watchlist_items", "btree (ticker_id)"),
    ("idx_watchlist_items_created_at", "watchlist_items", "btree (created_at DESC)"),
    ("idx_posts_user_id", "posts", "btree (user_id)"),
    ("idx_posts_created_at", "posts", "btree (created_at DESC)"),
    ("idx_posts_original_post_id", "posts", "btree (original_post_id)"),
    ("idx_posts_deleted_at", "posts", "btree (deleted_at) WHERE (deleted_at IS NULL)"),
    ("idx_posts_user_created", "posts", "btree (user_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_comments_post_id", "comments", "btree (post_id)"),
    ("idx_comments_user_id", "comments", "btree (user_id)"),
    ("idx_comments_parent_id", "comments", "btree (parent_comment_id)"),
    ("idx_comments_created_at", "comments", "btree (created_at DESC)"),
    ("idx_comments_post_created", "comments", "btree (post_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_post_tickers_post_id", "post_tickers", "btree (post_id)"),
    ("idx_post_tickers_ticker_id", "post_tickers", "btree (ticker_id)"),
    ("idx_post_tickers_created_at", "post_tickers", "btree (created_at DESC)"),
    ("idx_polls_post_id", "polls", "btree (post_id)"),
    ("idx_polls_comment_id", "polls", "btree (comment_id)"),
    ("idx_polls_created_at", "polls", "btree (created_at)"),
    ("idx_poll_votes_poll_id", "poll_votes", "btree (poll_id)"),
    ("idx_poll_votes_user_id", "poll_votes", "btree (user_id)"),
    ("idx_poll_votes_created_at", "poll_votes", "btree (created_at)"),
    ("unique_user_post_reaction", "reactions", "UNIQUE btree (user_id, post_id) WHERE (post_id IS NOT NULL)"),
    ("unique_user_comment_reaction", "reactions", "UNIQUE btree (user_id, comment_id) WHERE (comment_id IS NOT NULL)"),
    ("idx_reactions_user_id", "reactions", "btree (user_id)"),
    ("idx_reactions_post_id", "reactions", "btree (post_id)"),
    ("idx_reactions_comment_id", "reactions", "btree (comment_id)"),
    ("idx_reactions_created_at", "reactions", "btree (created_at)"),
    ("idx_reposts_user_id", "reposts", "btree (user_id)"),
    ("idx_reposts_post_id", "reposts", "btree (post_id)"),
    ("idx_reposts_created_at", "reposts", "btree (created_at DESC)"),
    ("idx_reposts_type", "reposts", "btree (type)"),
    ("idx_bookmarks_user_id", "bookmarks", "btree (user_id)"),
    ("idx_bookmarks_post_id", "bookmarks", "btree (post_id)"),
    ("idx_bookmarks_created_at", "bookmarks", "btree (created_at DESC)"),
    ("idx_follows_follower_id", "follows", "btree (follower_id)"),
    ("idx_follows_following_id", "follows", "btree (following_id)"),
    ("idx_follows_created_at", "follows", "btree (created_at DESC)"),
    ("idx_content_filters_user_id", "content_filters", "btree (user_id)"),
    ("idx_content_filters_filtered_user_id", "content_filters", "btree (filtered_user_id)"),
    ("idx_content_filters_type", "content_filters", "btree (filter_type)"),
    ("idx_reports_reporter_id", "reports", "btree (reporter_id)"),
    ("idx_reports_reported_post_id", "reports", "btree (reported_post_id)"),
    ("idx_reports_reported_comment_id", "reports", "btree (reported_comment_id)"),
    ("idx_reports_reported_user_id", "reports", "btree (reported_user_id)"),
    ("idx_reports_status", "reports", "btree (status)"),
    ("idx_reports_created_at", "reports", "btree (created_at DESC)"),
    ("idx_error_logs_error_type", "error_logs", "btree (error_type)"),
    ("idx_error_logs_user_id", "error_logs", "btree (user_id)"),
    ("idx_error_logs_severity", "error_logs", "btree (severity)"),
    ("idx_error_logs_created_at", "error_logs", "btree (created_at DESC)"),
    ("idx_error_logs_resolved", "error_logs", "btree (resolved) WHERE (resolved = false)"),
    ("idx_error_logs_environment", "error_logs", "btree (environment)"),
    ("idx_user_sessions_user_id", "user_sessions", "btree (user_id)"),
    ("idx_user_sessions_session_start", "user_sessions", "btree (session_start DESC)"),
    ("idx_user_sessions_user_start", "user_sessions", "btree (user_id, session_start DESC)"),
    ("idx_trending_tickers_ticker_id", "trending_tickers", "UNIQUE btree (ticker_id)"),
    ("idx_daily_metrics_date", "daily_metrics", "UNIQUE btree (metric_date)"),
];

/// 001 "Functions & Triggers".
#[rustfmt::skip]
const PAGESHARE_TRIGGERS: &[(&str, &str, &str)] = &[
    ("users_updated_at", "users", "update_updated_at"),
    ("posts_updated_at", "posts", "update_updated_at"),
    ("comments_updated_at", "comments", "update_updated_at"),
];

/// 001's named constraints, and those PostgreSQL names for its unnamed CHECKs and UNIQUEs.
const PAGESHARE_CONSTRAINTS: &[&str] = &[
    "users.username_format",
    "users.username_lowercase",
    "users.users_badge_check",
    "users.users_username_key",
    "posts.content_not_empty",
    "posts.max_content_length",
    "posts.posts_repost_type_check",
    "comments.content_not_empty",
    "comments.max_content_length",
    "tickers.symbol_uppercase",
    "tickers.tickers_symbol_key",
    "tickers.tickers_type_check",
    "reactions.reaction_target",
    "reposts.reposts_type_check",
    "reposts.unique_user_post_repost",
    "follows.no_self_follow",
    "bookmarks.unique_user_post_bookmark",
    "polls.poll_target",
    "polls.min_options",
    "polls.max_options",
    "polls.min_duration",
    "poll_votes.unique_user_poll_vote",
    "poll_votes.valid_option_index",
    "content_filters.content_filters_filter_type_check",
    "content_filters.unique_user_filter",
    "content_filters.no_self_filter",
    "reports.report_target",
    "reports.reports_status_check",
    "error_logs.error_logs_severity_check",
    "watchlist_items.unique_user_ticker_watchlist",
];

#[test]
fn pageshare_apply_creates_exactly_the_documented_objects() {
    let db = applied(PAGESHARE, "ex_pageshare_catalog");
    assert_eq!(tables(&db), strings(PAGESHARE_TABLES));
    assert_eq!(
        views(&db),
        vec![
            "m daily_metrics",
            "m engagement_metrics",
            "m trending_tickers",
            "v post_stats"
        ]
    );
    assert_eq!(named_indexes(&db), expected_indexes(PAGESHARE_INDEXES));
    assert_eq!(PAGESHARE_INDEXES.len(), 67);
    assert_eq!(triggers(&db), expected_triggers(PAGESHARE_TRIGGERS));
    assert_triggers_enabled(&db);
    assert_eq!(functions(&db), vec!["update_updated_at()"]);
    assert_eq!(
        check_and_unique_constraints(&db),
        strings(PAGESHARE_CONSTRAINTS)
    );
    assert_eq!(tables_without_primary_key(&db), Vec::<String>::new());
    // No enum types (001 uses VARCHAR + CHECK), no extension, no policy.
    assert_eq!(enums(&db), Vec::<String>::new());
    assert_eq!(
        db.column("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"),
        Vec::<String>::new()
    );
    assert_eq!(count(&db, "SELECT count(*) FROM pg_policy"), 0);
    // The auth.users stand-in: the id its foreign key needs, nothing else, marked as strata's.
    assert_eq!(
        db.column(
            "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute
             WHERE attrelid = 'auth.users'::regclass AND attnum > 0 AND NOT attisdropped"
        ),
        vec!["id uuid"]
    );
    assert!(db
        .scalar("SELECT obj_description('auth.users'::regclass, 'pg_class')")
        .starts_with("strata:pageshare:1001_auth_users_stub"));
    assert_eq!(
        db.scalar(
            "SELECT confrelid::regclass || ' ' || confdeltype::text FROM pg_constraint WHERE conname = 'users_id_fkey'"
        ),
        "auth.users c"
    );
    // The materialized views are populated, so they can be read and refreshed at once.
    assert_eq!(
        db.column("SELECT matviewname FROM pg_matviews WHERE NOT ispopulated"),
        Vec::<String>::new()
    );
    // Every table has its comment (001's COMMENT ON TABLE).
    assert_eq!(
        db.column(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
               AND c.relkind = 'r' AND c.relname <> 'schema_migrations'
               AND obj_description(c.oid, 'pg_class') IS NULL"
        ),
        Vec::<String>::new()
    );
    strata(&db, PAGESHARE)
        .args(["status"])
        .run()
        .success()
        .stdout_has("28 applied, 0 pending, 0 modified, 0 unknown");
    // checks.toml parses and declares 001's invariants.
    let declared = declared_checks(&db, PAGESHARE);
    assert_eq!(declared.len(), 16, "{declared:?}");
    for name in [
        "poll_vote_option_in_range",
        "comment_parent_valid",
        "quote_repost_has_post",
        "follow_despite_block",
        "report_target_deleted",
        "daily_metrics_dates_fresh",
    ] {
        assert!(declared.iter().any(|d| d == name), "missing {name}");
    }
}

#[test]
fn pageshare_rollback_all_leaves_nothing_and_never_touches_a_real_auth_schema() {
    // Plain PostgreSQL: the auth schema is strata's stand-in and goes too.
    let db = rollback_leaves_nothing(PAGESHARE, "ex_pageshare_rollback");
    assert_eq!(db.scalar("SELECT to_regnamespace('auth') IS NULL"), "t");

    // Supabase-like: auth.users exists (with rows and its own comment) before the project is
    // applied; migration 1001 leaves it alone and rolling back keeps it with its rows.
    let supa = TestDb::new("ex_pageshare_supabase");
    supa.execute(
        "CREATE SCHEMA auth;
         CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
         COMMENT ON TABLE auth.users IS 'Supabase auth users';
         INSERT INTO auth.users VALUES ('11111111-1111-4111-8111-111111111111', 'a@example.com');",
    );
    let before = supa.catalog();
    strata(&supa, PAGESHARE).args(["apply"]).run().success();
    assert_eq!(
        supa.scalar("SELECT obj_description('auth.users'::regclass, 'pg_class')"),
        "Supabase auth users"
    );
    strata(&supa, PAGESHARE)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert_eq!(supa.catalog(), before);
    assert_eq!(count(&supa, "SELECT count(*) FROM auth.users"), 1);
}

#[test]
fn pageshare_diff_finds_no_drift_after_apply() {
    no_drift(PAGESHARE, "ex_pageshare_diff");
}

#[test]
fn pageshare_dev_seed_passes_check() {
    let db = applied(PAGESHARE, "ex_pageshare_seed");
    let (_, warnings) = seed_dev_and_check(&db, PAGESHARE);
    assert_eq!(warnings, Vec::<String>::new());
    // The sizes of seeds.toml, and what dev_after.sql adds.
    assert_eq!(count(&db, "SELECT count(*) FROM auth.users"), 30);
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 30);
    assert_eq!(count(&db, "SELECT count(*) FROM tickers"), 20);
    assert_eq!(count(&db, "SELECT count(*) FROM comments"), 90);
    assert_eq!(count(&db, "SELECT count(*) FROM reactions"), 220);
    // One quote post per quote repost.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM posts WHERE repost_type = 'quote'"
        ),
        count(&db, "SELECT count(*) FROM reposts WHERE type = 'quote'")
    );
    assert!(
        count(
            &db,
            "SELECT count(*) FROM posts WHERE repost_type = 'quote'"
        ) > 0
    );
    assert!(count(&db, "SELECT count(*) FROM polls") > 0);
    assert!(count(&db, "SELECT count(*) FROM poll_votes") > 0);
    // Ticker mentions are distinct and the caches were refreshed with the data.
    assert_eq!(
        count(&db, "SELECT count(*) FROM trending_tickers"),
        count(&db, "SELECT count(DISTINCT ticker_id) FROM post_tickers pt JOIN posts p ON p.id = pt.post_id AND p.deleted_at IS NULL")
    );
    assert_eq!(
        count(&db, "SELECT total_posts FROM engagement_metrics"),
        count(&db, "SELECT count(*) FROM posts WHERE deleted_at IS NULL")
    );
    assert!(count(&db, "SELECT count(*) FROM daily_metrics") > 0);
}

#[test]
fn pageshare_updated_at_triggers_stamp_users_posts_and_comments() {
    let db = applied(PAGESHARE, "ex_pageshare_updated_at");
    db.execute(
        "INSERT INTO auth.users (id) VALUES ('00000000-0000-4000-8000-000000000001');
         INSERT INTO users (id, username, display_name, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'alice', 'Alice', '2020-01-01', '2020-01-01');
         INSERT INTO posts (id, user_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'hello $AAPL', '2020-01-01', '2020-01-01');
         INSERT INTO comments (id, post_id, user_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002',
                 '00000000-0000-4000-8000-000000000001', 'nice', '2020-01-01', '2020-01-01');",
    );
    // Inserts keep the given stamps: the triggers fire on UPDATE only.
    assert_eq!(
        count(&db, "SELECT count(*) FROM (SELECT updated_at FROM users UNION ALL SELECT updated_at FROM posts UNION ALL SELECT updated_at FROM comments) t WHERE updated_at = '2020-01-01'"),
        3
    );
    for (table, change) in [
        ("users", "bio = 'investor'"),
        ("posts", "content = 'edited'"),
        // An explicit old stamp is overridden: the trigger sets NOW().
        ("comments", "content = 'edited', updated_at = '2019-01-01'"),
    ] {
        let row = db.client().query_one(
            &format!(
                "WITH u AS (UPDATE {table} SET {change} RETURNING updated_at, created_at)
                 SELECT updated_at = now(), created_at = '2020-01-01'::timestamptz FROM u"
            ),
            &[],
        );
        let row = row.expect("update");
        assert!(row.get::<_, bool>(0), "{table}.updated_at = now()");
        assert!(row.get::<_, bool>(1), "{table}.created_at unchanged");
    }
}

#[test]
fn pageshare_materialized_views_refresh_daily_metrics_concurrently() {
    let db = applied(PAGESHARE, "ex_pageshare_refresh");
    db.execute(
        "SET TIME ZONE 'UTC';
         INSERT INTO auth.users (id) VALUES ('00000000-0000-4000-8000-000000000001');
         INSERT INTO users (id, username, display_name) VALUES ('00000000-0000-4000-8000-000000000001', 'alice', 'Alice');
         INSERT INTO tickers (id, symbol, name, type) VALUES ('00000000-0000-4000-8000-0000000000a1', 'AAPL', 'Apple Inc.', 'stock');
         INSERT INTO posts (id, user_id, content, created_at) VALUES
           ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', '$AAPL up', now()),
           ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001', '$AAPL down', now() - interval '3 days');
         INSERT INTO post_tickers (post_id, ticker_id) VALUES
           ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1'),
           ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000a1');",
    );
    // Created WITH DATA on an empty schema: empty until refreshed.
    assert_eq!(count(&db, "SELECT count(*) FROM trending_tickers"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM daily_metrics"), 0);
    assert_eq!(count(&db, "SELECT total_posts FROM engagement_metrics"), 0);

    db.execute("REFRESH MATERIALIZED VIEW trending_tickers");
    assert_eq!(
        db.column(
            "SELECT symbol || ' ' || mention_count || ' ' || mentions_24h FROM trending_tickers"
        ),
        vec!["AAPL 2 1"]
    );
    // 001's refresh command for daily_metrics, on a populated view and after new posts.
    db.execute("SET TIME ZONE 'UTC'; REFRESH MATERIALIZED VIEW CONCURRENTLY daily_metrics");
    assert_eq!(count(&db, "SELECT count(*) FROM daily_metrics"), 2);
    assert_eq!(
        count(&db, "SELECT posts_today FROM daily_metrics WHERE metric_date = (now() AT TIME ZONE 'UTC')::date"),
        1
    );
    db.execute(
        "INSERT INTO posts (user_id, content) VALUES ('00000000-0000-4000-8000-000000000001', 'more');
         UPDATE posts SET deleted_at = now() WHERE id = '00000000-0000-4000-8000-0000000000b2';",
    );
    db.execute("SET TIME ZONE 'UTC'; REFRESH MATERIALIZED VIEW CONCURRENTLY daily_metrics");
    assert_eq!(
        db.column("SELECT posts_today || ' ' || dau FROM daily_metrics"),
        vec!["2 1"],
        "the soft-deleted post's day is gone, today's new post counted"
    );
    db.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY trending_tickers");
    assert_eq!(
        db.column("SELECT symbol || ' ' || mention_count FROM trending_tickers"),
        vec!["AAPL 1"]
    );
    db.execute("REFRESH MATERIALIZED VIEW engagement_metrics");
    assert_eq!(count(&db, "SELECT total_posts FROM engagement_metrics"), 2);
    // engagement_metrics has no unique index (001 gives none): only the plain refresh.
    assert!(rejects(
        &db,
        "REFRESH MATERIALIZED VIEW CONCURRENTLY engagement_metrics"
    )
    .contains("cannot refresh materialized view"));
}

// =======================================================================================
// Social Live (003_6c161d45fa2cbe88.txt)
// =======================================================================================

/// The role `authenticated_users` is cluster-wide: tests that apply social-live share it
/// (read), the rollback test needs it to itself (write) to see it dropped.
static SOCIAL_LIVE_ROLE: RwLock<()> = RwLock::new(());

fn social_live_shared() -> std::sync::RwLockReadGuard<'static, ()> {
    SOCIAL_LIVE_ROLE.read().unwrap_or_else(|e| e.into_inner())
}

/// 003's 13 tables, the added archive, and the partitions of user_engagement (003's two,
/// the default, and the window of create_user_engagement_partitions(3) checked separately).
const SOCIAL_LIVE_TABLES: &[&str] = &[
    "public.users",
    "public.user_sessions",
    "public.password_reset_tokens",
    "public.posts",
    "public.comments",
    "public.user_followers",
    "public.media_files",
    "public.user_engagement",
    "public.user_engagement_2024_01",
    "public.user_engagement_2024_02",
    "public.user_engagement_default",
    "public.user_engagement_archive",
    "public.feed_items",
    "public.content_moderation",
    "public.user_analytics",
    "public.system_metrics",
    "public.audit_log",
];

/// 003's CREATE INDEX statements (44) and the archive's three.
#[rustfmt::skip]
const SOCIAL_LIVE_INDEXES: &[(&str, &str, &str)] = &[
    ("idx_users_email", "users", "btree (email)"),
    ("idx_users_username", "users", "btree (username)"),
    ("idx_users_role", "users", "btree (role)"),
    ("idx_users_created_at", "users", "btree (created_at)"),
    ("idx_users_active", "users", "btree (is_active) WHERE (is_active = true)"),
    ("idx_sessions_user_id", "user_sessions", "btree (user_id)"),
    ("idx_sessions_token_hash", "user_sessions", "btree (refresh_token_hash)"),
    ("idx_sessions_expires_at", "user_sessions", "btree (expires_at)"),
    ("idx_sessions_active", "user_sessions", "btree (is_active) WHERE (is_active = true)"),
    ("idx_reset_tokens_user_id", "password_reset_tokens", "btree (user_id)"),
    ("idx_reset_tokens_hash", "password_reset_tokens", "btree (token_hash)"),
    ("idx_reset_tokens_expires", "password_reset_tokens", "btree (expires_at)"),
    ("idx_posts_user_id", "posts", "btree (user_id)"),
    ("idx_posts_created_at", "posts", "btree (created_at DESC)"),
    ("idx_posts_engagement", "posts", "btree (engagement_score DESC)"),
    ("idx_posts_visibility", "posts", "btree (visibility)"),
    ("idx_posts_featured", "posts", "btree (is_featured) WHERE (is_featured = true)"),
    ("idx_posts_tags", "posts", "gin (tags)"),
    ("idx_comments_post_id", "comments", "btree (post_id)"),
    ("idx_comments_user_id", "comments", "btree (user_id)"),
    ("idx_comments_parent_id", "comments", "btree (parent_id)"),
    ("idx_comments_created_at", "comments", "btree (created_at DESC)"),
    ("idx_followers_follower_id", "user_followers", "btree (follower_id)"),
    ("idx_followers_following_id", "user_followers", "btree (following_id)"),
    ("idx_followers_unique", "user_followers", "UNIQUE btree (follower_id, following_id)"),
    ("idx_media_user_id", "media_files", "btree (user_id)"),
    ("idx_media_status", "media_files", "btree (processing_status)"),
    ("idx_media_created_at", "media_files", "btree (created_at DESC)"),
    ("idx_engagement_user_id", "ONLY user_engagement", "btree (user_id)"),
    ("idx_engagement_post_id", "ONLY user_engagement", "btree (post_id)"),
    ("idx_engagement_type", "ONLY user_engagement", "btree (engagement_type)"),
    ("idx_engagement_created_at", "ONLY user_engagement", "btree (created_at)"),
    ("idx_engagement_metadata", "ONLY user_engagement", "gin (metadata)"),
    ("idx_engagement_archive_user_id", "user_engagement_archive", "btree (user_id)"),
    ("idx_engagement_archive_post_id", "user_engagement_archive", "btree (post_id)"),
    ("idx_engagement_archive_created_at", "user_engagement_archive", "btree (created_at)"),
    ("idx_feed_user_score", "feed_items", "btree (user_id, score DESC)"),
    ("idx_feed_created_at", "feed_items", "btree (created_at DESC)"),
    ("idx_feed_expires_at", "feed_items", "btree (expires_at)"),
    ("idx_moderation_content", "content_moderation", "btree (content_type, content_id)"),
    ("idx_moderation_status", "content_moderation", "btree (status)"),
    ("idx_moderation_moderator", "content_moderation", "btree (moderator_id)"),
    ("idx_analytics_user_date", "user_analytics", "btree (user_id, date DESC)"),
    ("idx_analytics_date", "user_analytics", "btree (date)"),
    ("idx_metrics_name_time", "system_metrics", "btree (metric_name, \"timestamp\" DESC)"),
    ("idx_metrics_tags", "system_metrics", "gin (tags)"),
    ("idx_popular_posts_score", "popular_posts", "btree (engagement_score DESC)"),
];

/// 003's triggers, the partition uniqueness trigger and the audit triggers (added).
#[rustfmt::skip]
const SOCIAL_LIVE_TRIGGERS: &[(&str, &str, &str)] = &[
    ("update_users_updated_at", "users", "update_updated_at_column"),
    ("update_posts_updated_at", "posts", "update_updated_at_column"),
    ("posts_count_trigger", "posts", "update_user_posts_count"),
    ("follower_count_trigger", "user_followers", "update_follower_counts"),
    ("user_engagement_unique_trigger", "user_engagement", "enforce_user_engagement_unique"),
    ("audit_users_trigger", "users", "audit_log_changes"),
    ("audit_posts_trigger", "posts", "audit_log_changes"),
    ("audit_comments_trigger", "comments", "audit_log_changes"),
    ("audit_user_followers_trigger", "user_followers", "audit_log_changes"),
    ("audit_content_moderation_trigger", "content_moderation", "audit_log_changes"),
];

/// 003 "Enums and Custom Types", labels in the DDL's order.
const SOCIAL_LIVE_ENUMS: &[&str] = &[
    "content_type_enum: POST,COMMENT,USER_PROFILE,MEDIA",
    "engagement_type_enum: LIKE,SHARE,COMMENT,VIEW,CLICK,SAVE",
    "media_type_enum: IMAGE,VIDEO,AUDIO,DOCUMENT",
    "moderation_status_enum: PENDING,APPROVED,REJECTED,FLAGGED",
    "processing_status_enum: PENDING,PROCESSING,COMPLETED,FAILED",
    "user_role: USER,CREATOR,MODERATOR,ADMIN",
    "visibility_enum: PUBLIC,PRIVATE,FOLLOWERS_ONLY,UNLISTED",
];

/// 003's inline UNIQUEs and CHECK, as PostgreSQL names them; user_engagement's UNIQUE
/// carries the partition key.
const SOCIAL_LIVE_CONSTRAINTS: &[&str] = &[
    "users.users_email_key",
    "users.users_username_key",
    "user_followers.user_followers_check",
    "user_followers.user_followers_follower_id_following_id_key",
    "user_engagement.user_engagement_user_id_post_id_engagement_type_key",
    "feed_items.feed_items_user_id_post_id_key",
    "user_analytics.user_analytics_user_id_date_key",
];

#[test]
fn social_live_apply_creates_exactly_the_documented_objects() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_catalog");
    // The rolling window: the current UTC month and the 3 following (decision 5).
    let window = db.column(
        "SELECT 'public.user_engagement_' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i), 'YYYY_MM')
         FROM generate_series(0, 3) i",
    );
    let mut expected: Vec<String> = SOCIAL_LIVE_TABLES.iter().map(|s| s.to_string()).collect();
    expected.extend(window.iter().cloned());
    assert_eq!(tables(&db), sorted(expected));
    assert_eq!(
        db.column(
            "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_class c
             WHERE c.relispartition AND c.relname IN ('user_engagement_2024_01', 'user_engagement_2024_02', 'user_engagement_default')
             ORDER BY 1"
        ),
        vec![
            "user_engagement_2024_01 FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')",
            "user_engagement_2024_02 FOR VALUES FROM ('2024-02-01 00:00:00') TO ('2024-03-01 00:00:00')",
            "user_engagement_default DEFAULT",
        ]
    );
    assert_eq!(
        db.scalar("SELECT pg_get_partkeydef('user_engagement'::regclass)"),
        "RANGE (created_at)"
    );
    assert_eq!(
        db.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'user_engagement_pkey'"),
        "PRIMARY KEY (id, created_at)"
    );
    assert_eq!(views(&db), vec!["m popular_posts"]);
    assert_eq!(named_indexes(&db), expected_indexes(SOCIAL_LIVE_INDEXES));
    assert_eq!(SOCIAL_LIVE_INDEXES.len(), 47);
    // Parent indexes cascade to every partition (7 partitions here).
    assert_eq!(
        count(&db, "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'i' AND i.inhparent = 'idx_engagement_metadata'::regclass"),
        7
    );
    assert_eq!(triggers(&db), expected_triggers(SOCIAL_LIVE_TRIGGERS));
    // The uniqueness trigger is cloned onto every partition.
    assert_eq!(
        count(&db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'user_engagement_unique_trigger' AND tgparentid <> 0"),
        7
    );
    assert_triggers_enabled(&db);
    assert_eq!(
        functions(&db),
        vec![
            "audit_log_changes()",
            "create_user_engagement_partitions(months_ahead integer)",
            "current_user_id()",
            "enforce_user_engagement_unique()",
            "update_follower_counts()",
            "update_updated_at_column()",
            "update_user_posts_count()",
        ]
    );
    assert_eq!(enums(&db), strings(SOCIAL_LIVE_ENUMS));
    assert_eq!(
        check_and_unique_constraints(&db),
        strings(SOCIAL_LIVE_CONSTRAINTS)
    );
    assert_eq!(tables_without_primary_key(&db), Vec::<String>::new());
    // Row level security on user_sessions, with 003's policy for the added role.
    assert_eq!(
        db.column(
            "SELECT relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity FROM pg_class
             WHERE relrowsecurity ORDER BY 1"
        ),
        vec!["user_sessions true false"]
    );
    assert_eq!(
        db.column(
            "SELECT policyname || ' ' || tablename || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' ' || qual
             FROM pg_policies"
        ),
        vec!["user_sessions_policy user_sessions ALL authenticated_users (user_id = current_user_id())"]
    );
    assert_eq!(
        db.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'authenticated_users'"),
        "f"
    );
    assert_eq!(
        db.column(
            "SELECT privilege_type FROM information_schema.role_table_grants
             WHERE grantee = 'authenticated_users' ORDER BY 1"
        ),
        vec!["DELETE", "INSERT", "SELECT", "UPDATE"]
    );
    assert_eq!(
        db.scalar(
            "SELECT has_function_privilege('authenticated_users', 'current_user_id()', 'EXECUTE')"
        ),
        "t"
    );
    strata(&db, SOCIAL_LIVE)
        .args(["status"])
        .run()
        .success()
        .stdout_has("31 applied, 0 pending, 0 modified, 0 unknown");
    let declared = declared_checks(&db, SOCIAL_LIVE);
    assert_eq!(declared.len(), 15, "{declared:?}");
    for name in [
        "user_engagement_unique_engagement",
        "users_posts_count",
        "users_follower_counts",
        "popular_posts_stale_rows",
    ] {
        assert!(declared.iter().any(|d| d == name), "missing {name}");
    }
}

#[test]
fn social_live_rollback_all_leaves_nothing_and_the_last_database_drops_the_role() {
    let _role = SOCIAL_LIVE_ROLE.write().unwrap_or_else(|e| e.into_inner());
    let role_exists = |db: &TestDb| {
        db.scalar("SELECT count(*) FROM pg_roles WHERE rolname = 'authenticated_users'") == "1"
    };
    // Alone in the cluster, the rollback drops the role it created. (Databases that other
    // tests left behind when they failed may still use it: then it must be kept.)
    let db = rollback_leaves_nothing(SOCIAL_LIVE, "ex_social_rollback");
    let used_elsewhere = db.scalar(
        "SELECT count(*) > 0 FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
         WHERE r.rolname = 'authenticated_users' AND d.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database())",
    ) == "t";
    assert_eq!(
        role_exists(&db),
        used_elsewhere,
        "the role goes with the last database that uses it"
    );

    // Two databases: the role stays while the other one still uses it.
    let a = applied(SOCIAL_LIVE, "ex_social_rollback_a");
    let b = applied(SOCIAL_LIVE, "ex_social_rollback_b");
    strata(&a, SOCIAL_LIVE)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(role_exists(&a), "kept: b still uses it");
    // b's policy still works for the role.
    b.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'a', 'x');
         INSERT INTO user_sessions (user_id, refresh_token_hash, expires_at) VALUES ('00000000-0000-4000-8000-000000000001', 'h', now() + interval '1 day');",
    );
    assert_eq!(
        b.scalar(
            "BEGIN; SET LOCAL ROLE authenticated_users;
             SET LOCAL app.current_user_id = '00000000-0000-4000-8000-000000000001';
             SELECT count(*) FROM user_sessions"
        ),
        "1"
    );
    strata(&b, SOCIAL_LIVE)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(
        !role_exists(&b),
        "dropped by the last database to roll back"
    );

    // A role an administrator made is never dropped.
    let admin = TestDb::new("ex_social_rollback_admin");
    admin.execute("CREATE ROLE authenticated_users NOLOGIN");
    strata(&admin, SOCIAL_LIVE).args(["apply"]).run().success();
    strata(&admin, SOCIAL_LIVE)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert!(role_exists(&admin));
    admin.execute("DROP ROLE authenticated_users");
}

#[test]
fn social_live_diff_finds_no_drift_after_apply() {
    let _role = social_live_shared();
    no_drift(SOCIAL_LIVE, "ex_social_diff");
}

#[test]
fn social_live_dev_seed_passes_check() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_seed");
    let (_, warnings) = seed_dev_and_check(&db, SOCIAL_LIVE);
    // The seed's engagement is from early 2024 (in 003's partitions), older than a year by
    // now: 003's retention job has not archived it, and check says so.
    assert!(
        warnings.iter().all(|w| w == "user_engagement_retention"),
        "{warnings:?}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 30);
    assert_eq!(count(&db, "SELECT count(*) FROM posts"), 80);
    // Every engagement row was routed into 003's two monthly partitions.
    assert_eq!(
        count(&db, "SELECT count(*) FROM user_engagement_default"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM user_engagement"),
        count(&db, "SELECT (SELECT count(*) FROM user_engagement_2024_01) + (SELECT count(*) FROM user_engagement_2024_02)")
    );
    assert!(count(&db, "SELECT count(*) FROM user_engagement_2024_01") > 0);
    assert!(count(&db, "SELECT count(*) FROM user_engagement_2024_02") > 0);
    // The counters came from the triggers, row by row.
    assert_eq!(
        count(&db, "SELECT sum(posts_count) FROM users"),
        count(&db, "SELECT count(*) FROM posts")
    );
    assert_eq!(
        count(&db, "SELECT sum(followers_count) FROM users"),
        count(&db, "SELECT count(*) FROM user_followers")
    );
    // The seed's own inserts are not audited; the triggers are back on for the application.
    assert_eq!(count(&db, "SELECT count(*) FROM audit_log"), 0);
    assert_triggers_enabled(&db);
}

#[test]
fn social_live_updated_at_triggers_stamp_users_and_posts_only() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_updated_at");
    db.execute(
        "INSERT INTO users (id, email, username, password_hash, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'x', '2020-01-01', '2020-01-01');
         INSERT INTO posts (id, user_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'hi', '2020-01-01', '2020-01-01');
         INSERT INTO comments (post_id, user_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'yo', '2020-01-01', '2020-01-01');
         UPDATE users SET bio = 'hello';
         UPDATE posts SET content = 'edited';
         UPDATE comments SET content = 'edited';",
    );
    assert_eq!(
        db.scalar("SELECT updated_at > '2020-01-01' FROM users"),
        "t"
    );
    assert_eq!(
        db.scalar("SELECT updated_at > '2020-01-01' FROM posts"),
        "t"
    );
    // 003 gives comments no updated_at trigger (decision 13).
    assert_eq!(
        db.scalar("SELECT updated_at = '2020-01-01' FROM comments"),
        "t"
    );
}

#[test]
fn social_live_counter_triggers_follow_posts_and_followers() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_counters");
    db.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES
           ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'x'),
           ('00000000-0000-4000-8000-000000000002', 'b@x.com', 'bob', 'x'),
           ('00000000-0000-4000-8000-000000000003', 'c@x.com', 'carol', 'x');
         INSERT INTO posts (id, user_id, content) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'one'),
           ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001', 'two'),
           ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-000000000002', 'three');
         INSERT INTO user_followers (follower_id, following_id) VALUES
           ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001'),
           ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001'),
           ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002');",
    );
    let counters = |db: &TestDb| {
        db.column(
            "SELECT username || ' ' || posts_count || ' ' || followers_count || ' ' || following_count FROM users ORDER BY username",
        )
    };
    assert_eq!(
        counters(&db),
        vec!["alice 2 2 1", "bob 1 1 1", "carol 0 0 1"]
    );
    db.execute(
        "DELETE FROM posts WHERE id = '00000000-0000-4000-8000-0000000000a1';
         DELETE FROM user_followers WHERE follower_id = '00000000-0000-4000-8000-000000000003';
         UPDATE posts SET deleted_at = now() WHERE id = '00000000-0000-4000-8000-0000000000a2';",
    );
    // A hard delete decrements; a soft delete does not (decision 12: rows are counted).
    assert_eq!(
        counters(&db),
        vec!["alice 1 1 1", "bob 1 1 1", "carol 0 0 0"]
    );
    // A self-follow and a duplicate follow are refused.
    assert!(rejects(&db, "INSERT INTO user_followers (follower_id, following_id) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001')").contains("user_followers_check"));
    assert!(rejects(&db, "INSERT INTO user_followers (follower_id, following_id) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002')").contains("duplicate key"));
    strata(&db, SOCIAL_LIVE)
        .args([
            "check",
            "--only",
            "users_posts_count",
            "users_follower_counts",
        ])
        .run()
        .success();
}

#[test]
fn social_live_audit_trigger_records_changes_without_password_hashes() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_audit");
    let mut c = db.client();
    c.batch_execute(
        "SET app.current_user_id = '00000000-0000-4000-8000-0000000000ff';
         INSERT INTO users (id, email, username, password_hash) VALUES ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'secret-hash');
         UPDATE users SET password_hash = 'other-hash';
         UPDATE users SET bio = 'hello';
         INSERT INTO posts (id, user_id, content) VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'hi');
         INSERT INTO user_sessions (user_id, refresh_token_hash, expires_at) VALUES ('00000000-0000-4000-8000-000000000001', 'h', now());
         RESET app.current_user_id;
         DELETE FROM posts;",
    )
    .expect("changes");
    let rows: Vec<String> = c
        .query(
            "SELECT table_name || ' ' || operation || ' ' || coalesce(user_id::text, '-') || ' '
                    || coalesce(new_values->>'bio', old_values->>'content', new_values->>'content', '-') || ' '
                    || coalesce(new_values->>'posts_count', '-')
             FROM audit_log ORDER BY timestamp, table_name DESC, operation",
            &[],
        )
        .expect("audit rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected = vec![
        // The INSERT; the password-only UPDATE writes nothing; the bio UPDATE.
        "users INSERT 00000000-0000-4000-8000-0000000000ff - 0",
        "users UPDATE 00000000-0000-4000-8000-0000000000ff hello 0",
        // The post, and the counter trigger's update of its author.
        "posts INSERT 00000000-0000-4000-8000-0000000000ff hi -",
        "users UPDATE 00000000-0000-4000-8000-0000000000ff hello 1",
        // After RESET: no application user.
        "posts DELETE - hi -",
        "users UPDATE - hello 0",
    ];
    // Within one transaction the timestamps tie; compare as sets.
    expected.sort();
    let mut got = rows.clone();
    got.sort();
    assert_eq!(got, expected, "{rows:#?}");
    // Password hashes never reach the audit log; sessions are not audited.
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_log WHERE old_values ? 'password_hash' OR new_values ? 'password_hash'"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE table_name = 'user_sessions'"
        ),
        0
    );
}

#[test]
fn social_live_engagement_is_routed_by_month_and_unique_across_partitions() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_partitions");
    db.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'x');
         INSERT INTO posts (id, user_id, content) VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'hi');
         INSERT INTO user_engagement (user_id, post_id, engagement_type, created_at) VALUES
           ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'LIKE', '2024-01-15'),
           ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'VIEW', '2024-02-10'),
           ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'SHARE', '2023-06-01'),
           ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'SAVE', now() AT TIME ZONE 'UTC');",
    );
    let current =
        db.scalar("SELECT 'user_engagement_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')");
    assert_eq!(
        db.column(
            "SELECT engagement_type || ' ' || tableoid::regclass FROM user_engagement ORDER BY 1"
        ),
        vec![
            "LIKE user_engagement_2024_01".to_string(),
            format!("SAVE {current}"),
            "SHARE user_engagement_default".to_string(),
            "VIEW user_engagement_2024_02".to_string(),
        ]
    );
    // 003's UNIQUE(user_id, post_id, engagement_type) holds across partitions.
    let dup = rejects(
        &db,
        "INSERT INTO user_engagement (user_id, post_id, engagement_type, created_at)
         VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'LIKE', '2024-02-20')",
    );
    assert!(
        dup.contains("[user_engagement_user_id_post_id_engagement_type_key]"),
        "{dup}"
    );
    assert!(rejects(
        &db,
        "UPDATE user_engagement SET engagement_type = 'LIKE' WHERE engagement_type = 'VIEW'"
    )
    .contains("duplicate key"));
    // Moving a row to another month is allowed (it is the same row).
    db.execute(
        "UPDATE user_engagement SET created_at = '2024-02-05' WHERE engagement_type = 'LIKE'",
    );
    assert_eq!(
        db.scalar("SELECT tableoid::regclass FROM user_engagement WHERE engagement_type = 'LIKE'"),
        "user_engagement_2024_02"
    );
    // Extending the window moves rows parked in the default partition into their month.
    db.execute(
        "INSERT INTO user_engagement (user_id, post_id, engagement_type, created_at)
         VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'CLICK',
                 date_trunc('month', now() AT TIME ZONE 'UTC') + interval '5 months' + interval '3 days')",
    );
    assert_eq!(
        db.scalar("SELECT tableoid::regclass FROM user_engagement WHERE engagement_type = 'CLICK'"),
        "user_engagement_default"
    );
    assert_eq!(
        db.scalar("SELECT create_user_engagement_partitions(5)"),
        "2"
    );
    assert_eq!(
        db.scalar("SELECT tableoid::regclass::text = 'user_engagement_' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '5 months', 'YYYY_MM') FROM user_engagement WHERE engagement_type = 'CLICK'"),
        "t"
    );
    assert_eq!(
        db.scalar("SELECT create_user_engagement_partitions(5)"),
        "0"
    );
}

#[test]
fn social_live_rls_shows_each_user_only_their_sessions() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_rls");
    db.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES
           ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'x'),
           ('00000000-0000-4000-8000-000000000002', 'b@x.com', 'bob', 'x');
         INSERT INTO user_sessions (user_id, refresh_token_hash, expires_at) VALUES
           ('00000000-0000-4000-8000-000000000001', 'a1', now() + interval '1 day'),
           ('00000000-0000-4000-8000-000000000001', 'a2', now() + interval '1 day'),
           ('00000000-0000-4000-8000-000000000002', 'b1', now() + interval '1 day');",
    );
    let as_user = |user: Option<&str>, sql: &str| -> Result<Vec<String>, String> {
        let mut c = db.client();
        let setting = match user {
            Some(u) => format!("SET app.current_user_id = '{u}';"),
            None => String::new(),
        };
        c.batch_execute(&format!("SET ROLE authenticated_users; {setting}"))
            .map_err(|e| e.to_string())?;
        c.simple_query(sql)
            .map(|msgs| {
                msgs.into_iter()
                    .filter_map(|m| match m {
                        postgres::SimpleQueryMessage::Row(r) => r.get(0).map(|v| v.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .map_err(|e| {
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_else(|| e.to_string())
            })
    };
    let alice = Some("00000000-0000-4000-8000-000000000001");
    assert_eq!(
        as_user(
            alice,
            "SELECT refresh_token_hash FROM user_sessions ORDER BY 1"
        ),
        Ok(vec!["a1".to_string(), "a2".to_string()])
    );
    assert_eq!(
        as_user(
            Some("00000000-0000-4000-8000-000000000002"),
            "SELECT refresh_token_hash FROM user_sessions"
        ),
        Ok(vec!["b1".to_string()])
    );
    // No user id set: nothing.
    assert_eq!(
        as_user(None, "SELECT refresh_token_hash FROM user_sessions"),
        Ok(vec![])
    );
    // Updates reach only the user's own rows; writing another user's session is refused.
    assert_eq!(
        as_user(
            alice,
            "UPDATE user_sessions SET is_active = false RETURNING refresh_token_hash"
        )
        .map(sorted),
        Ok(vec!["a1".to_string(), "a2".to_string()])
    );
    assert_eq!(
        db.scalar("SELECT is_active FROM user_sessions WHERE refresh_token_hash = 'b1'"),
        "t"
    );
    let refused = as_user(
        alice,
        "INSERT INTO user_sessions (user_id, refresh_token_hash, expires_at)
         VALUES ('00000000-0000-4000-8000-000000000002', 'x', now())",
    );
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.contains("row-level security")),
        "{refused:?}"
    );
    // The role has no other table.
    assert!(as_user(alice, "SELECT count(*) FROM users")
        .is_err_and(|e| e.contains("permission denied")));
}

#[test]
fn social_live_popular_posts_refreshes() {
    let _role = social_live_shared();
    let db = applied(SOCIAL_LIVE, "ex_social_refresh");
    db.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES ('00000000-0000-4000-8000-000000000001', 'a@x.com', 'alice', 'x');
         INSERT INTO posts (user_id, content, visibility, engagement_score, created_at) VALUES
           ('00000000-0000-4000-8000-000000000001', 'public and recent', 'PUBLIC', 10, now()),
           ('00000000-0000-4000-8000-000000000001', 'public, higher', 'PUBLIC', 20, now()),
           ('00000000-0000-4000-8000-000000000001', 'private', 'PRIVATE', 99, now()),
           ('00000000-0000-4000-8000-000000000001', 'old', 'PUBLIC', 99, now() - interval '30 days');",
    );
    assert_eq!(count(&db, "SELECT count(*) FROM popular_posts"), 0);
    db.execute("REFRESH MATERIALIZED VIEW popular_posts");
    assert_eq!(
        db.column(
            "SELECT content || ' ' || username FROM popular_posts ORDER BY engagement_score DESC"
        ),
        vec!["public, higher alice", "public and recent alice"]
    );
    db.execute(
        "UPDATE posts SET deleted_at = now() WHERE content = 'public, higher';
         REFRESH MATERIALIZED VIEW popular_posts;",
    );
    assert_eq!(
        db.column("SELECT content FROM popular_posts"),
        vec!["public and recent"]
    );
}

// =======================================================================================
// Token economy (000_eea879c1ded0f11f.sql)
// =======================================================================================

const TOKEN_ECONOMY_TABLES: &[&str] = &[
    "public.accounts",
    "public.pages",
    "public.follows",
    "public.phone_verifications",
    "public.posts",
    "public.comments",
    "public.token_transactions",
    "public.tax_collections",
    "public.stipend_distributions",
    "public.decay_events",
    "public.system_state",
    "public.notifications",
    "public.audit_logs",
];

/// 000's CREATE INDEX statements.
#[rustfmt::skip]
const TOKEN_ECONOMY_INDEXES: &[(&str, &str, &str)] = &[
    ("idx_accounts_phone", "accounts", "btree (phone_number)"),
    ("idx_accounts_balance", "accounts", "btree (token_balance DESC) WHERE (token_balance > (0)::numeric)"),
    ("idx_accounts_tax", "accounts", "btree (last_tax_collected_at, token_balance) WHERE (token_balance > (200)::numeric)"),
    ("idx_accounts_stipend", "accounts", "btree (last_stipend_received_at, last_active_at)"),
    ("idx_accounts_active", "accounts", "btree (last_active_at DESC)"),
    ("idx_pages_username", "pages", "UNIQUE btree (lower((username)::text))"),
    ("idx_pages_account", "pages", "btree (account_id)"),
    ("idx_pages_created", "pages", "btree (created_at DESC)"),
    ("idx_follows_follower", "follows", "btree (follower_account_id)"),
    ("idx_follows_following", "follows", "btree (following_page_id)"),
    ("idx_verifications_phone", "phone_verifications", "btree (phone_number, created_at DESC)"),
    ("idx_verifications_expiry", "phone_verifications", "btree (expires_at) WHERE (verified_at IS NULL)"),
    ("idx_posts_page", "posts", "btree (page_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_posts_account", "posts", "btree (account_id, created_at DESC)"),
    ("idx_posts_created", "posts", "btree (created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_posts_hot_feed", "posts", "btree (queue_level, visibility_score DESC, created_at DESC) WHERE ((deleted_at IS NULL) AND (queue_level = ANY (ARRAY[0, 1])))"),
    ("idx_posts_tokens", "posts", "btree (total_tokens_received DESC) WHERE (deleted_at IS NULL)"),
    ("idx_posts_decay", "posts", "btree (last_decay_applied_at, total_tokens_received) WHERE ((deleted_at IS NULL) AND (total_tokens_received > (0)::numeric))"),
    ("idx_posts_queue", "posts", "btree (queue_level, queue_entered_at) WHERE (deleted_at IS NULL)"),
    ("idx_comments_post", "comments", "btree (post_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_comments_page", "comments", "btree (page_id, created_at DESC)"),
    ("idx_comments_account", "comments", "btree (account_id, created_at DESC)"),
    ("idx_comments_parent", "comments", "btree (parent_comment_id) WHERE (parent_comment_id IS NOT NULL)"),
    ("idx_transactions_spender", "token_transactions", "btree (spender_account_id, created_at DESC)"),
    ("idx_transactions_recipient", "token_transactions", "btree (recipient_account_id, created_at DESC) WHERE (recipient_account_id IS NOT NULL)"),
    ("idx_transactions_target", "token_transactions", "btree (target_type, target_id, created_at DESC)"),
    ("idx_transactions_unlikeable", "token_transactions", "btree (spender_account_id, can_unlike_until) WHERE (unliked_at IS NULL)"),
    ("idx_tax_account", "tax_collections", "btree (account_id, collected_at DESC)"),
    ("idx_tax_collected", "tax_collections", "btree (collected_at DESC)"),
    ("idx_stipend_account", "stipend_distributions", "btree (account_id, distributed_at DESC)"),
    ("idx_stipend_distributed", "stipend_distributions", "btree (distributed_at DESC)"),
    ("idx_decay_post", "decay_events", "btree (post_id, applied_at DESC)"),
    ("idx_decay_applied", "decay_events", "btree (applied_at DESC)"),
    ("idx_notifications_account", "notifications", "btree (account_id, is_read, created_at DESC)"),
    ("idx_notifications_unread", "notifications", "btree (account_id, created_at DESC) WHERE (is_read = false)"),
    ("idx_audit_account", "audit_logs", "btree (account_id, created_at DESC)"),
    ("idx_audit_action", "audit_logs", "btree (action, created_at DESC)"),
    ("idx_audit_entity", "audit_logs", "btree (entity_type, entity_id, created_at DESC)"),
    ("idx_audit_created", "audit_logs", "btree (created_at DESC)"),
];

/// 000's three commented-out triggers, enabled.
#[rustfmt::skip]
const TOKEN_ECONOMY_TRIGGERS: &[(&str, &str, &str)] = &[
    ("update_accounts_updated_at", "accounts", "update_updated_at_column"),
    ("update_pages_updated_at", "pages", "update_updated_at_column"),
    ("update_posts_updated_at", "posts", "update_updated_at_column"),
    ("reset_free_comments_on_update", "accounts", "reset_daily_free_comments"),
    ("maintain_comment_count", "comments", "update_post_comment_count"),
];

/// 000's named constraints, and those PostgreSQL names for its unnamed ones.
const TOKEN_ECONOMY_CONSTRAINTS: &[&str] = &[
    "accounts.chk_phone_format",
    "accounts.accounts_token_balance_check",
    "accounts.accounts_phone_number_key",
    "pages.chk_username_format",
    "pages.chk_bio_length",
    "pages.pages_username_key",
    "posts.chk_content_length",
    "posts.posts_queue_level_check",
    "comments.chk_comment_length",
    "comments.comments_thread_depth_check",
    "token_transactions.chk_amounts_sum",
    "token_transactions.chk_not_self_spend",
    "token_transactions.token_transactions_target_type_check",
    "token_transactions.token_transactions_tokens_spent_check",
    "token_transactions.token_transactions_tokens_to_creator_check",
    "token_transactions.token_transactions_tokens_to_government_check",
    "token_transactions.token_transactions_tokens_burned_check",
    "tax_collections.chk_tax_math",
    "tax_collections.tax_collections_tax_rate_check",
    "tax_collections.tax_collections_tokens_taxed_check",
    "stipend_distributions.chk_stipend_sum",
    "stipend_distributions.stipend_distributions_base_stipend_check",
    "stipend_distributions.stipend_distributions_engagement_bonus_check",
    "stipend_distributions.stipend_distributions_new_user_bonus_check",
    "decay_events.chk_decay_math",
    "decay_events.decay_events_tokens_decayed_check",
    "phone_verifications.chk_code_format",
    "notifications.chk_notification_type",
    "system_state.system_state_id_check",
    "system_state.system_state_total_tokens_in_circulation_check",
];

#[test]
fn token_economy_apply_creates_exactly_the_documented_objects() {
    let db = applied(TOKEN_ECONOMY, "ex_token_catalog");
    assert_eq!(tables(&db), strings(TOKEN_ECONOMY_TABLES));
    assert_eq!(views(&db), vec!["v v_account_wealth", "v v_hot_feed"]);
    assert_eq!(named_indexes(&db), expected_indexes(TOKEN_ECONOMY_INDEXES));
    assert_eq!(TOKEN_ECONOMY_INDEXES.len(), 39);
    assert_eq!(triggers(&db), expected_triggers(TOKEN_ECONOMY_TRIGGERS));
    assert_triggers_enabled(&db);
    assert_eq!(
        functions(&db),
        vec![
            "reset_daily_free_comments()",
            "update_post_comment_count()",
            "update_updated_at_column()",
        ]
    );
    assert_eq!(
        check_and_unique_constraints(&db),
        strings(TOKEN_ECONOMY_CONSTRAINTS)
    );
    assert_eq!(tables_without_primary_key(&db), Vec::<String>::new());
    assert_eq!(enums(&db), Vec::<String>::new());
    // Both extensions, created (and marked) by 1001.
    assert_eq!(
        db.column(
            "SELECT extname || ' ' || (obj_description(oid, 'pg_extension') LIKE '%[strata:token-economy:1001_extensions]')
             FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1"
        ),
        vec!["pg_trgm true", "uuid-ossp true"]
    );
    assert_eq!(
        db.scalar("SELECT pg_get_serial_sequence('audit_logs', 'log_id')"),
        "public.audit_logs_log_id_seq"
    );
    // system_state is a singleton without its row: that is seed data.
    assert_eq!(count(&db, "SELECT count(*) FROM system_state"), 0);
    assert!(
        rejects(&db, "INSERT INTO system_state (id) VALUES (2)").contains("system_state_id_check")
    );
    strata(&db, TOKEN_ECONOMY)
        .args(["status"])
        .run()
        .success()
        .stdout_has("24 applied, 0 pending, 0 modified, 0 unknown");
    let declared = declared_checks(&db, TOKEN_ECONOMY);
    assert_eq!(declared.len(), 28, "{declared:?}");
    for name in [
        "token_transaction_amounts_add_up",
        "token_transaction_not_self_spend",
        "tax_collection_math",
        "decay_event_math",
        "posts_comments_count",
        "system_state_singleton_present",
    ] {
        assert!(declared.iter().any(|d| d == name), "missing {name}");
    }
}

#[test]
fn token_economy_rollback_all_leaves_nothing() {
    let db = rollback_leaves_nothing(TOKEN_ECONOMY, "ex_token_rollback");
    assert_eq!(
        db.column("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"),
        Vec::<String>::new()
    );
    // An extension that was there before is kept (1001 did not create it).
    let pre = TestDb::new("ex_token_rollback_pre");
    pre.execute("CREATE EXTENSION pg_trgm");
    let before = pre.catalog();
    strata(&pre, TOKEN_ECONOMY).args(["apply"]).run().success();
    strata(&pre, TOKEN_ECONOMY)
        .args(["rollback", "--all", "--yes"])
        .run()
        .success();
    assert_eq!(pre.catalog(), before);
}

#[test]
fn token_economy_diff_finds_no_drift_after_apply() {
    no_drift(TOKEN_ECONOMY, "ex_token_diff");
}

#[test]
fn token_economy_reference_and_dev_seeds_pass_check() {
    let db = applied(TOKEN_ECONOMY, "ex_token_seed");
    // The reference profile is the singleton row, idempotently.
    for _ in 0..2 {
        strata(&db, TOKEN_ECONOMY)
            .args(["seed", "--profile", "reference"])
            .run()
            .success();
    }
    assert_eq!(db.column("SELECT id::text FROM system_state"), vec!["1"]);
    let (_, warnings) = seed_dev_and_check(&db, TOKEN_ECONOMY);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(count(&db, "SELECT count(*) FROM accounts"), 30);
    assert_eq!(count(&db, "SELECT count(*) FROM posts"), 90);
    assert_eq!(count(&db, "SELECT count(*) FROM token_transactions"), 100);
    // Every transaction pays the author of its target, never the spender.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM token_transactions t
             JOIN (SELECT post_id AS id, account_id FROM posts UNION ALL SELECT comment_id, account_id FROM comments) x
               ON x.id = t.target_id
             WHERE x.account_id = t.recipient_account_id AND t.spender_account_id <> t.recipient_account_id"
        ),
        100
    );
    // comments_count came from the trigger, row by row.
    assert_eq!(
        count(&db, "SELECT sum(comments_count) FROM posts"),
        count(
            &db,
            "SELECT count(*) FROM comments WHERE deleted_at IS NULL"
        )
    );
    assert_eq!(
        db.scalar("SELECT total_accounts || ' ' || updated_at FROM system_state"),
        "30 2026-01-01 00:00:00"
    );
    // The views read the seeded data.
    assert!(count(&db, "SELECT count(*) FROM v_hot_feed") > 0);
    assert_eq!(count(&db, "SELECT count(*) FROM v_account_wealth"), 30);
    assert_triggers_enabled(&db);
}

#[test]
fn token_economy_updated_at_triggers_stamp_accounts_pages_and_posts() {
    let db = applied(TOKEN_ECONOMY, "ex_token_updated_at");
    db.execute(
        "INSERT INTO accounts (account_id, phone_number, phone_verified_at, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000001', '+15550100', now(), '2020-01-01', '2020-01-01');
         INSERT INTO pages (page_id, account_id, username, display_name, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'alice', 'Alice', '2020-01-01', '2020-01-01');
         INSERT INTO posts (post_id, page_id, account_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002',
                 '00000000-0000-4000-8000-000000000001', 'hello', '2020-01-01', '2020-01-01');
         INSERT INTO comments (post_id, page_id, account_id, content, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002',
                 '00000000-0000-4000-8000-000000000001', 'first', '2020-01-01', '2020-01-01');
         UPDATE posts SET updated_at = '2020-01-01';
         UPDATE accounts SET token_balance = 50;
         UPDATE pages SET bio = 'hi';
         UPDATE posts SET content = 'edited';
         UPDATE comments SET content = 'edited';",
    );
    for table in ["accounts", "pages", "posts"] {
        assert_eq!(
            db.scalar(&format!("SELECT updated_at > '2020-01-01' FROM {table}")),
            "t",
            "{table}"
        );
    }
    // 000's trigger list has no comments trigger (decision 8).
    assert_eq!(
        db.scalar("SELECT updated_at = '2020-01-01' FROM comments"),
        "t"
    );
}

#[test]
fn token_economy_free_comments_reset_on_the_first_update_of_a_day() {
    let db = applied(TOKEN_ECONOMY, "ex_token_free_comments");
    db.execute(
        "INSERT INTO accounts (account_id, phone_number, phone_verified_at, daily_comments_free_remaining, daily_comments_reset_at)
         VALUES ('00000000-0000-4000-8000-000000000001', '+15550101', now(), 0, CURRENT_DATE - 1),
                ('00000000-0000-4000-8000-000000000002', '+15550102', now(), 0, CURRENT_DATE - 3);",
    );
    let state = |db: &TestDb, id: &str| {
        db.scalar(&format!(
            "SELECT daily_comments_free_remaining || ' ' || (daily_comments_reset_at = CURRENT_DATE)
             FROM accounts WHERE account_id = '00000000-0000-4000-8000-00000000000{id}'"
        ))
    };
    // Touching the account on a new day resets the allowance; later updates that day spend it.
    db.execute("UPDATE accounts SET last_active_at = now() WHERE account_id = '00000000-0000-4000-8000-000000000001'");
    assert_eq!(state(&db, "1"), "2 true");
    db.execute(
        "UPDATE accounts SET daily_comments_free_remaining = daily_comments_free_remaining - 1
         WHERE account_id = '00000000-0000-4000-8000-000000000001'",
    );
    assert_eq!(state(&db, "1"), "1 true");
    // Decision 4, as written: a decrement in the day's first update is overwritten.
    db.execute(
        "UPDATE accounts SET daily_comments_free_remaining = 1
         WHERE account_id = '00000000-0000-4000-8000-000000000002'",
    );
    assert_eq!(state(&db, "2"), "2 true");
}

#[test]
fn token_economy_comment_count_follows_inserts_deletes_and_moves() {
    let db = applied(TOKEN_ECONOMY, "ex_token_comment_count");
    db.execute(
        "INSERT INTO accounts (account_id, phone_number, phone_verified_at) VALUES ('00000000-0000-4000-8000-000000000001', '+15550100', now());
         INSERT INTO pages (page_id, account_id, username, display_name) VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'alice', 'Alice');
         INSERT INTO posts (post_id, page_id, account_id, content) VALUES
           ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'one'),
           ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'two');
         INSERT INTO comments (comment_id, post_id, page_id, account_id, content) VALUES
           ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'c1'),
           ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'c2');
         INSERT INTO comments (comment_id, post_id, page_id, account_id, content, parent_comment_id, thread_depth) VALUES
           ('00000000-0000-4000-8000-0000000000c3', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'reply', '00000000-0000-4000-8000-0000000000c1', 1);",
    );
    let counts = |db: &TestDb| {
        db.column("SELECT content || ' ' || comments_count FROM posts ORDER BY content")
    };
    assert_eq!(counts(&db), vec!["one 3", "two 0"], "insert: +1 each");
    db.execute("UPDATE comments SET deleted_at = now() WHERE comment_id = '00000000-0000-4000-8000-0000000000c2'");
    assert_eq!(counts(&db), vec!["one 2", "two 0"], "soft delete: -1");
    db.execute("UPDATE comments SET deleted_at = NULL WHERE comment_id = '00000000-0000-4000-8000-0000000000c2'");
    assert_eq!(counts(&db), vec!["one 3", "two 0"], "undelete: +1");
    db.execute("UPDATE comments SET content = 'edited' WHERE comment_id = '00000000-0000-4000-8000-0000000000c2'");
    assert_eq!(
        counts(&db),
        vec!["one 3", "two 0"],
        "an edit changes nothing"
    );
    db.execute("UPDATE comments SET post_id = '00000000-0000-4000-8000-0000000000a2' WHERE comment_id = '00000000-0000-4000-8000-0000000000c2'");
    assert_eq!(counts(&db), vec!["one 2", "two 1"], "moved between posts");
    // A hard delete of a comment with a reply removes both (ON DELETE CASCADE): -2.
    db.execute("DELETE FROM comments WHERE comment_id = '00000000-0000-4000-8000-0000000000c1'");
    assert_eq!(
        counts(&db),
        vec!["one 0", "two 1"],
        "hard delete with its cascaded reply"
    );
    strata(&db, TOKEN_ECONOMY)
        .args(["check", "--only", "posts_comments_count"])
        .run()
        .success();
}
