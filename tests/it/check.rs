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
