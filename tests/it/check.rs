//! check: a seeded database passes; each kind of corruption (made with triggers disabled or
//! constraints added NOT VALID) is caught by the right check with exit 3, and --fix repairs
//! the fixable ones while leaving the others reported.

use crate::support::*;

fn seeded(tag: &str) -> TestDb {
    let db = TestDb::vrss(tag);
    Strata::on(&db)
        .args(["seed", "--profile", "dev"])
        .run()
        .success();
    db
}

fn check_json(db: &TestDb, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--json"];
    all.extend_from_slice(args);
    let run = Strata::on(db).args(all).run();
    assert!(
        run.code == 0 || run.code == 3,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    (run.code, run.json())
}

fn status_of(report: &serde_json::Value, name: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn failed(report: &serde_json::Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_seeded_database_passes_every_check() {
    let db = seeded("check_clean");
    let run = Strata::on(&db).args(["check"]).run();
    run.success().stdout_has("0 failed");
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 0);
    // Text shows the checks that are not ok (none here), --all every one; JSON has all.
    let ok = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "ok")
        .count();
    run.stdout_has(&format!(
        "({ok} ok checks not shown; --all shows every check)"
    ));
    assert!(!run.stdout.contains("fk:public.posts.posts_user_id_fkey"));
    Strata::on(&db)
        .args(["check", "--all"])
        .run()
        .success()
        .stdout_has("fk:public.posts.posts_user_id_fkey");
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    // Both sources, every kind.
    for expected in [
        "check:public.users.users_username_length",
        "fk:public.posts.posts_user_id_fkey",
        "not_null:public.posts",
        "unique:public.users.users_email_unique",
        "unique:public.verification_token_unique",
        "indexes_valid",
        "posts_likes_count",
        "storage_usage_totals",
        "friendships_for_mutual_follows",
        "custom_feeds_algorithm_config",
        "expired_sessions",
    ] {
        assert!(names.contains(&expected), "missing check {expected}");
    }
    assert_eq!(report["summary"]["failed"], 0);
    // The seed's expired sessions are a warning: reported, never failing the run.
    assert_eq!(status_of(&report, "expired_sessions"), "warning");
}

#[test]
fn a_bad_counter_is_found_and_fixed() {
    let db = seeded("check_counter");
    db.execute(
        "ALTER TABLE post_interactions DISABLE TRIGGER USER;
         INSERT INTO post_interactions (user_id, post_id, type)
           SELECT u.id, 50, 'like' FROM users u WHERE NOT EXISTS (SELECT 1 FROM post_interactions WHERE user_id = u.id AND post_id = 50 AND type = 'like') LIMIT 3;
         ALTER TABLE post_interactions ENABLE TRIGGER USER;
         UPDATE comments SET replies_count = replies_count + 5 WHERE id = 1;",
    );
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 3);
    assert_eq!(
        failed(&report),
        vec!["posts_likes_count", "comments_replies_count"]
    );
    let likes = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "posts_likes_count")
        .unwrap()
        .clone();
    assert_eq!(likes["violations"], 1);
    assert!(
        likes["samples"][0].as_str().unwrap().starts_with("(50,"),
        "{likes}"
    );
    let (code, report) = check_json(&db, &["--fix"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(status_of(&report, "posts_likes_count"), "fixed");
    assert_eq!(status_of(&report, "comments_replies_count"), "fixed");
    // The counter now equals the recount.
    assert_eq!(
        db.scalar("SELECT likes_count = (SELECT count(*) FROM post_interactions WHERE post_id = 50 AND type = 'like') FROM posts WHERE id = 50"),
        "t"
    );
    assert_eq!(check_json(&db, &[]).0, 0);
}

#[test]
fn a_storage_mismatch_is_found_and_fixed() {
    let db = seeded("check_storage");
    db.execute(
        "ALTER TABLE post_media DISABLE TRIGGER USER;
         INSERT INTO post_media (post_id, user_id, type, file_url, file_size_bytes, mime_type)
           SELECT id, user_id, 'video', 'x', 777, 'video/mp4' FROM posts WHERE id = 3;
         ALTER TABLE post_media ENABLE TRIGGER USER;",
    );
    let (code, report) = check_json(&db, &["--only", "storage_usage_totals", "posts_*"]);
    assert_eq!(code, 3);
    assert_eq!(failed(&report), vec!["storage_usage_totals"]);
    assert_eq!(
        report["checks"].as_array().unwrap().len(),
        4,
        "--only selects by name and prefix"
    );
    let (code, _) = check_json(&db, &["--fix"]);
    assert_eq!(code, 0);
    assert_eq!(check_json(&db, &["--only", "storage_usage_totals"]).0, 0);
}

#[test]
fn a_missing_friendship_is_found_and_fixed() {
    let db = seeded("check_friendship");
    db.execute(
        "ALTER TABLE user_follows DISABLE TRIGGER USER;
         DELETE FROM user_follows WHERE (follower_id, following_id) IN ((19, 20), (20, 19));
         INSERT INTO user_follows (follower_id, following_id) VALUES (19, 20), (20, 19);
         ALTER TABLE user_follows ENABLE TRIGGER USER;
         DELETE FROM friendships WHERE user_id_1 = 19 AND user_id_2 = 20;",
    );
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 3);
    assert_eq!(failed(&report), vec!["friendships_for_mutual_follows"]);
    assert_eq!(check_json(&db, &["--fix"]).0, 0);
    assert_eq!(
        db.scalar("SELECT count(*) FROM friendships WHERE user_id_1 = 19 AND user_id_2 = 20"),
        "1"
    );
}

#[test]
fn an_orphan_behind_a_not_valid_foreign_key_is_found_and_repaired_as_the_schema_says() {
    let db = seeded("check_fk");
    db.execute(
        "ALTER TABLE reposts DROP CONSTRAINT reposts_post_id_fkey;
         INSERT INTO reposts (user_id, post_id) VALUES (1, 999999);
         ALTER TABLE reposts ADD CONSTRAINT reposts_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE NOT VALID;
         ALTER TABLE user_subscriptions DROP CONSTRAINT user_subscriptions_tier_id_fkey;
         UPDATE user_subscriptions SET tier_id = 424242 WHERE id = 1;
         ALTER TABLE user_subscriptions ADD CONSTRAINT user_subscriptions_tier_id_fkey FOREIGN KEY (tier_id) REFERENCES subscription_tiers(id) NOT VALID;",
    );
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 3);
    assert_eq!(
        failed(&report),
        vec![
            "fk:public.reposts.reposts_post_id_fkey",
            "fk:public.user_subscriptions.user_subscriptions_tier_id_fkey"
        ]
    );
    // ON DELETE CASCADE: the orphan goes, as it would have with its parent. NO ACTION: a
    // person decides; it stays reported and the run still fails.
    let (code, report) = check_json(&db, &["--fix"]);
    assert_eq!(code, 3);
    assert_eq!(
        status_of(&report, "fk:public.reposts.reposts_post_id_fkey"),
        "fixed"
    );
    let tier = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "fk:public.user_subscriptions.user_subscriptions_tier_id_fkey")
        .unwrap()
        .clone();
    assert_eq!(tier["status"], "failed");
    assert_eq!(tier["needs_person"], true);
    assert_eq!(
        db.scalar("SELECT count(*) FROM reposts WHERE post_id = 999999"),
        "0"
    );
}

#[test]
fn a_violated_not_valid_check_and_malformed_jsonb_need_a_person() {
    let db = seeded("check_check");
    db.execute(
        "ALTER TABLE users DROP CONSTRAINT users_username_length;
         UPDATE users SET username = 'ab' WHERE id = 7;
         ALTER TABLE users ADD CONSTRAINT users_username_length CHECK (length(username) >= 3 AND length(username) <= 30) NOT VALID;
         UPDATE custom_feeds SET algorithm_config = '{\"filters\": [{\"type\": \"mood\", \"operator\": \"equals\", \"value\": 1}], \"logic\": \"XOR\", \"sort\": \"recent\"}' WHERE id = 2;
         UPDATE user_profiles SET style_config = '{\"primaryColor\": \"#112233\", \"accentColor\": \"red\"}', music_config = '{\"url\": \"not a url\", \"volume\": 400}' WHERE user_id = 3;",
    );
    let (code, report) = check_json(&db, &["--fix"]);
    assert_eq!(code, 3);
    assert_eq!(
        failed(&report),
        vec![
            "check:public.users.users_username_length",
            "profiles_music_config",
            "profiles_style_config",
            "custom_feeds_algorithm_config"
        ]
    );
    let text = Strata::on(&db).args(["check"]).run();
    text.assert_code(3)
        .stdout_has("FAILED (needs a person)")
        .stdout_has("(7)");
}

#[test]
fn an_invalid_index_is_found_and_rebuilt() {
    let db = seeded("check_index");
    // The state a failed CREATE INDEX CONCURRENTLY leaves behind: the index exists, invalid.
    db.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_posts_user_created'::regclass");
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 3);
    assert_eq!(failed(&report), vec!["indexes_valid"]);
    let sample = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "indexes_valid")
        .unwrap()["samples"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sample.contains("idx_posts_user_created"), "{sample}");
    assert_eq!(check_json(&db, &["--fix"]).0, 0);
    assert_eq!(
        db.scalar(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_posts_user_created'::regclass"
        ),
        "t"
    );
}

#[test]
fn unknown_only_names_and_bad_invariants_are_errors() {
    let db = seeded("check_bad");
    Strata::on(&db)
        .args(["check", "--only", "no_such_check"])
        .run()
        .one_line_error("--only no_such_check");
    let project = sample_project();
    project.write("schema.toml", "invariants_file = \"inv.toml\"\n[project]\nname = \"it\"\n[[phases]]\nname = \"one\"\ndescription = \"\"\n[[phases]]\nname = \"two\"\ndescription = \"\"\n[[phases]]\nname = \"three\"\ndescription = \"\"\n");
    project.write(
        "inv.toml",
        "[[invariant]]\nname = \"x\"\nsql = \"SELECT 1\"\nseverity = \"fatal\"\n",
    );
    let db2 = TestDb::new("check_bad2");
    Strata::on(&db2)
        .project(&project)
        .args(["apply"])
        .run()
        .success();
    Strata::on(&db2)
        .project(&project)
        .args(["check"])
        .run()
        .one_line_error("inv.toml");
    // A declared query that fails is an error (exit 1), not a pass.
    project.write(
        "inv.toml",
        "[[invariant]]\nname = \"broken\"\nsql = \"SELECT * FROM nowhere\"\n",
    );
    let run = Strata::on(&db2)
        .project(&project)
        .args(["check", "--json"])
        .run();
    run.assert_code(1);
    assert_eq!(run.json()["summary"]["errors"], 1);
}

/// The two faster ways a check runs — a foreign key counted in key order from two indexes
/// (its column leads an index and both tables are vacuumed) and the row conditions of one
/// table counted in one shared scan — find exactly the rows the catalog's own queries find,
/// and nothing on the tables that are clean.
#[test]
fn checks_in_key_order_and_in_a_shared_scan_find_what_plain_queries_find() {
    let db = seeded("check_paths");
    db.execute(
        "ALTER TABLE post_interactions DROP CONSTRAINT post_interactions_post_id_fkey;
         INSERT INTO post_interactions (user_id, post_id, type)
             SELECT 1, 900000 + g, 'like' FROM generate_series(1, 3) g;
         ALTER TABLE post_interactions ADD CONSTRAINT post_interactions_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE NOT VALID;
         ALTER TABLE users DROP CONSTRAINT users_username_length, DROP CONSTRAINT users_username_format, DROP CONSTRAINT users_status_valid;
         UPDATE users SET username = 'a-' WHERE id = 7;
         UPDATE users SET status = 'gone' WHERE id IN (8, 9);
         ALTER TABLE users ADD CONSTRAINT users_username_length CHECK (length(username) >= 3 AND length(username) <= 30) NOT VALID,
             ADD CONSTRAINT users_username_format CHECK (username ~ '^[a-zA-Z0-9_]+$') NOT VALID,
             ADD CONSTRAINT users_status_valid CHECK (status IN ('active', 'suspended', 'deleted')) NOT VALID;",
    );
    db.execute("VACUUM ANALYZE users");
    // The key-order path applies once post_id leads an index (it does) and both visibility
    // maps are set. Other tests' transactions on the server can hold back what VACUUM may
    // mark all-visible for a moment: vacuum again until it has.
    let unsettled = "SELECT relname || ' ' || relpages || ' ' || relallvisible FROM pg_class \
                     WHERE relname IN ('posts', 'post_interactions') AND relallvisible < 0.9 * relpages";
    let mut left = Vec::new();
    for _ in 0..60 {
        db.execute("VACUUM ANALYZE posts");
        db.execute("VACUUM ANALYZE post_interactions");
        left = db.column(unsettled);
        if left.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(
        left,
        Vec::<String>::new(),
        "the visibility maps were never set"
    );
    let expected = [
        (
            "fk:public.post_interactions.post_interactions_post_id_fkey",
            "SELECT count(*) FROM post_interactions t WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = t.post_id)",
        ),
        (
            "check:public.users.users_username_length",
            "SELECT count(*) FROM users WHERE NOT (length(username) >= 3 AND length(username) <= 30)",
        ),
        (
            "check:public.users.users_username_format",
            "SELECT count(*) FROM users WHERE NOT (username ~ '^[a-zA-Z0-9_]+$')",
        ),
        (
            "check:public.users.users_status_valid",
            "SELECT count(*) FROM users WHERE NOT (status IN ('active', 'suspended', 'deleted'))",
        ),
    ];
    let (code, report) = check_json(&db, &[]);
    assert_eq!(code, 3);
    let mut names: Vec<&str> = expected.iter().map(|e| e.0).collect();
    names.sort_unstable();
    let mut got = failed(&report);
    got.sort_unstable();
    assert_eq!(got, names);
    for (name, oracle) in expected {
        let row = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap();
        let want: u64 = db.scalar(oracle).parse().unwrap();
        assert!(want > 0, "{name}: the test made no violation");
        assert_eq!(row["violations"].as_u64(), Some(want), "{name}");
        assert_eq!(
            row["samples"].as_array().map(Vec::len),
            Some(want.min(5) as usize),
            "{name}: samples"
        );
    }
    // NOT NULL of users shares the scan with the three checks and stays clean.
    assert_eq!(status_of(&report, "not_null:public.users"), "ok");
}
