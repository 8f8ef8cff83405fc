//! seed: each profile on a fresh database — counts and mixes, constraints, counters against
//! recounts, determinism, idempotence, refusal, reset.

use crate::support::*;

/// Friendships whose start is not the time of the pair's second follow.
const FRIENDSHIPS_NOT_AT_SECOND_FOLLOW: &str = "SELECT count(*) FROM friendships f
    JOIN user_follows a ON a.follower_id = f.user_id_1 AND a.following_id = f.user_id_2
    JOIN user_follows b ON b.follower_id = f.user_id_2 AND b.following_id = f.user_id_1
    WHERE f.created_at IS DISTINCT FROM greatest(a.created_at, b.created_at)";

fn vrss_db(tag: &str) -> TestDb {
    TestDb::vrss(tag)
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.scalar(sql).parse().expect("a number")
}

/// A checksum over every row of every table in public (history left out), in a fixed order.
fn data_checksum(db: &TestDb) -> String {
    data_checksum_of(db, &db.tables())
}

fn data_checksum_of(db: &TestDb, tables: &[String]) -> String {
    let parts: Vec<String> = tables
        .iter()
        .map(|t| format!("(SELECT coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') FROM {t} x)"))
        .collect();
    db.scalar(&format!("SELECT md5({})", parts.join(" || ")))
}

/// Every FOREIGN KEY and CHECK constraint re-evaluated over all rows: the number of rows
/// that break each, for those broken.
fn broken_constraints(db: &TestDb) -> Vec<String> {
    let mut broken = Vec::new();
    let checks = db.column(
        "SELECT conrelid::regclass || '|' || conname || '|' || substr(pg_get_constraintdef(oid), 7)
         FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace
           AND conrelid::regclass::text <> 'schema_migrations'",
    );
    for c in checks {
        let mut parts = c.splitn(3, '|');
        let (table, name, expr) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let n = count(
            db,
            &format!("SELECT count(*) FROM {table} WHERE NOT {expr}"),
        );
        if n > 0 {
            broken.push(format!("{name}: {n}"));
        }
    }
    let fks = db.column(
        "SELECT c.conrelid::regclass || '|' || c.conname || '|' || c.confrelid::regclass || '|' ||
                (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || '|' ||
                (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace",
    );
    for f in fks {
        let p: Vec<&str> = f.split('|').collect();
        let (table, name, parent, cols, pcols) = (p[0], p[1], p[2], p[3], p[4]);
        let cols: Vec<&str> = cols.split(',').collect();
        let pcols: Vec<&str> = pcols.split(',').collect();
        let join: Vec<String> = cols
            .iter()
            .zip(&pcols)
            .map(|(c, pc)| format!("p.{pc} = t.{c}"))
            .collect();
        let not_null: Vec<String> = cols.iter().map(|c| format!("t.{c} IS NOT NULL")).collect();
        let n = count(
            db,
            &format!(
                "SELECT count(*) FROM {table} t WHERE {} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {})",
                not_null.join(" AND "),
                join.join(" AND ")
            ),
        );
        if n > 0 {
            broken.push(format!("{name}: {n}"));
        }
    }
    broken
}

/// Denormalised counters that differ from recounts of the base tables.
fn counter_mismatches(db: &TestDb) -> Vec<String> {
    let checks = [
        ("posts counters", "SELECT count(*) FROM posts p JOIN post_engagement_counts c ON c.post_id = p.id
          WHERE (p.likes_count, p.comments_count, p.reposts_count) IS DISTINCT FROM (c.likes_count, c.comments_count, c.reposts_count)"),
        ("replies", "SELECT count(*) FROM comments c JOIN comment_reply_counts r ON r.comment_id = c.id WHERE c.replies_count <> r.replies_count"),
        ("storage", "SELECT count(*) FROM (
            SELECT u.id, coalesce(s.used_bytes, 0) AS used, coalesce(s.images_bytes, 0) AS img, coalesce(s.videos_bytes, 0) AS vid,
                   coalesce(s.audio_bytes, 0) AS aud, coalesce(s.other_bytes, 0) AS oth,
                   coalesce(sum(m.file_size_bytes), 0) AS m_used,
                   coalesce(sum(m.file_size_bytes) FILTER (WHERE m.type = 'image'), 0) AS m_img,
                   coalesce(sum(m.file_size_bytes) FILTER (WHERE m.type = 'video'), 0) AS m_vid,
                   coalesce(sum(m.file_size_bytes) FILTER (WHERE m.type = 'audio'), 0) AS m_aud,
                   coalesce(sum(m.file_size_bytes) FILTER (WHERE m.type NOT IN ('image','video','audio')), 0) AS m_oth
            FROM users u LEFT JOIN storage_usage s ON s.user_id = u.id LEFT JOIN post_media m ON m.user_id = u.id
            GROUP BY u.id, s.used_bytes, s.images_bytes, s.videos_bytes, s.audio_bytes, s.other_bytes) x
          WHERE (used, img, vid, aud, oth) IS DISTINCT FROM (m_used, m_img, m_vid, m_aud, m_oth)"),
        ("friendships", "SELECT count(*) FROM (
            (SELECT least(a.follower_id, a.following_id), greatest(a.follower_id, a.following_id) FROM user_follows a
               JOIN user_follows b ON b.follower_id = a.following_id AND b.following_id = a.follower_id)
            EXCEPT ALL (SELECT user_id_1, user_id_2 FROM friendships UNION ALL SELECT user_id_1, user_id_2 FROM friendships)) d"),
        ("friendships without mutual follow", "SELECT count(*) FROM friendships f WHERE NOT EXISTS (SELECT 1 FROM user_follows a JOIN user_follows b
            ON b.follower_id = a.following_id AND b.following_id = a.follower_id WHERE a.follower_id = f.user_id_1 AND a.following_id = f.user_id_2)"),
    ];
    checks
        .iter()
        .filter_map(|(name, sql)| {
            let n = count(db, sql);
            (n > 0).then(|| format!("{name}: {n}"))
        })
        .collect()
}

#[test]
fn reference_profile_is_idempotent_and_default() {
    let db = vrss_db("seed_reference");
    let run = Strata::on(&db).args(["seed", "--json"]).run();
    run.success();
    assert_eq!(run.json()["profile"], "reference");
    assert_eq!(
        db.column("SELECT name FROM subscription_tiers ORDER BY storage_bytes"),
        vec!["Free", "Basic", "Pro", "Premium"]
    );
    Strata::on(&db)
        .args(["seed", "--profile", "reference"])
        .run()
        .success();
    assert_eq!(count(&db, "SELECT count(*) FROM subscription_tiers"), 4);
    assert_eq!(
        count(&db, "SELECT count(*) FROM users"),
        0,
        "reference seeds nothing else"
    );
}

#[test]
fn dev_profile_has_the_strategys_sizes_and_mixes() {
    let db = vrss_db("seed_dev");
    let run = Strata::on(&db)
        .args(["seed", "--profile", "dev", "--json"])
        .run();
    run.success().stderr_has("rng seed");
    let json = run.json();
    assert_eq!(
        json["rng_seed"], 42,
        "the default seed is fixed and reported"
    );
    let users_row = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "users")
        .unwrap()
        .clone();
    assert_eq!(users_row["rows"], 20);

    // Users: 20; 5 popular with many followers, 3 new, 2 suspended.
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 20);
    assert_eq!(
        count(&db, "SELECT count(*) FROM users WHERE status = 'suspended'"),
        2
    );
    assert_eq!(count(&db, "SELECT count(*) FROM users WHERE created_at > '2026-01-01'::timestamptz - interval '7 days'"), 3);
    let top5_followers = count(&db, "SELECT sum(n) FROM (SELECT count(*) n FROM user_follows GROUP BY following_id ORDER BY n DESC LIMIT 5) t");
    let all_follows = count(&db, "SELECT count(*) FROM user_follows");
    assert!(
        top5_followers * 2 > all_follows,
        "5 popular users have most followers: {top5_followers} of {all_follows}"
    );
    // Profiles: 10 custom backgrounds, 5 with music, 15 with bio and display name, every visibility.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM user_profiles WHERE background_config <> '{}'"
        ),
        10
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM user_profiles WHERE music_config IS NOT NULL"
        ),
        5
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM user_profiles WHERE bio IS NOT NULL AND display_name IS NOT NULL"
        ),
        15
    );
    assert_eq!(
        db.column("SELECT DISTINCT visibility FROM user_profiles ORDER BY 1"),
        vec!["followers", "private", "public"]
    );
    // Posts: 100+ over every type in the strategy's proportions, 60 % from the popular users.
    assert_eq!(
        db.column("SELECT type || ':' || count(*) FROM posts GROUP BY type ORDER BY type"),
        vec![
            "text_short:20",
            "text_long:20",
            "image:20",
            "image_gallery:10",
            "gif:5",
            "video_short:15",
            "video_long:5",
            "song:5",
            "album:5"
        ]
    );
    let from_popular = count(&db, "SELECT count(*) FROM posts WHERE user_id IN (SELECT following_id FROM user_follows GROUP BY following_id ORDER BY count(*) DESC LIMIT 5)");
    let by_first_five = count(&db, "SELECT count(*) FROM posts WHERE user_id <= 5");
    assert!(
        by_first_five >= 55 && from_popular >= 40,
        "{by_first_five} posts by the popular users"
    );
    // Follows: 50+, at least 10 mutual pairs, each a friendship made by the trigger.
    assert!(all_follows >= 50);
    let mutual = count(&db, "SELECT count(*) FROM user_follows a JOIN user_follows b ON b.follower_id = a.following_id AND b.following_id = a.follower_id WHERE a.follower_id < a.following_id");
    assert!(mutual >= 10, "{mutual} mutual pairs");
    assert_eq!(count(&db, "SELECT count(*) FROM friendships"), mutual);
    // The trigger stamped each friendship with now(); pinned to the pair's second follow.
    assert_eq!(count(&db, FRIENDSHIPS_NOT_AT_SECOND_FOLLOW), 0);
    // Interactions.
    assert!(
        count(
            &db,
            "SELECT count(*) FROM post_interactions WHERE type = 'like'"
        ) >= 200
    );
    assert!(
        count(&db, "SELECT count(*) FROM posts WHERE likes_count >= 20") >= 1,
        "popular posts have 20+ likes"
    );
    assert!(count(&db, "SELECT count(*) FROM comments") >= 100);
    assert!(count(&db, "SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_comment_id WHERE p.post_id = c.post_id") >= 10, "nested replies on the same post");
    assert_eq!(count(&db, "SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_comment_id WHERE p.post_id <> c.post_id"), 0);
    assert!(count(&db, "SELECT count(*) FROM reposts") >= 20);
    // Media: 50 rows of 100 KB to 10 MB; 2 users near their quota.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM post_media WHERE file_size_bytes BETWEEN 100000 AND 10000000"
        ),
        50
    );
    assert_eq!(count(&db, "SELECT count(*) FROM post_media m JOIN posts p ON p.id = m.post_id WHERE p.user_id <> m.user_id"), 0);
    assert_eq!(
        count(&db, "SELECT count(*) FROM users_near_storage_quota"),
        2
    );
    // Feeds: 10, with filter rows, configs following 002's JSONB rules.
    assert_eq!(count(&db, "SELECT count(*) FROM custom_feeds"), 10);
    assert!(count(&db, "SELECT count(DISTINCT feed_id) FROM feed_filters") >= 5);
    assert_eq!(
        count(&db, "SELECT count(*) FROM custom_feeds WHERE NOT (
            jsonb_typeof(algorithm_config->'filters') = 'array'
            AND algorithm_config->>'logic' IN ('AND', 'OR')
            AND algorithm_config->>'sort' IN ('recent', 'popular', 'engagement')
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(algorithm_config->'filters') f
                 WHERE f->>'type' NOT IN ('post_type','author','tag','date_range','engagement')
                    OR f->>'operator' NOT IN ('equals','not_equals','contains','greater_than','less_than','in_range')))"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM user_profiles WHERE NOT (
            (background_config = '{}' OR background_config->>'type' IN ('color','image','video'))
            AND (music_config IS NULL OR (music_config ? 'url' AND (music_config->>'volume')::int BETWEEN 0 AND 100))
            AND coalesce(style_config->>'secondaryColor', '#000000') ~ '^#[0-9A-Fa-f]{6}$'
            AND jsonb_typeof(layout_config->'sections') = 'array')"),
        0
    );
    // Profile sections with content, conversations with messages, notifications.
    assert_eq!(count(&db, "SELECT count(*) FROM profile_sections"), 15);
    assert!(
        count(
            &db,
            "SELECT count(DISTINCT section_id) FROM section_content"
        ) >= 10
    );
    assert_eq!(count(&db, "SELECT count(*) FROM conversations"), 10);
    assert!(count(&db, "SELECT count(DISTINCT conversation_id) FROM messages") >= 8);
    assert!(count(&db, "SELECT count(*) FROM notifications") >= 20);
    // bcrypt-shaped hashes.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM users WHERE password_hash !~ '^\\$2b\\$10\\$[./A-Za-z0-9]{53}$'"
        ),
        0
    );

    assert_eq!(broken_constraints(&db), Vec::<String>::new());
    assert_eq!(counter_mismatches(&db), Vec::<String>::new());
}

#[test]
fn the_same_rng_seed_gives_byte_identical_data() {
    let a = vrss_db("seed_det_a");
    let b = vrss_db("seed_det_b");
    let c = vrss_db("seed_det_c");
    Strata::on(&a)
        .args(["seed", "--profile", "dev", "--rng-seed", "7"])
        .run()
        .success();
    Strata::on(&b)
        .args(["seed", "--profile", "dev", "--rng-seed", "7"])
        .run()
        .success();
    Strata::on(&c)
        .args(["seed", "--profile", "dev", "--rng-seed", "8"])
        .run()
        .success();
    assert_eq!(data_checksum(&a), data_checksum(&b));
    assert_ne!(data_checksum(&a), data_checksum(&c));
    // And for load: the bulk path too.
    for db in [&a, &b] {
        Strata::on(db)
            .args([
                "seed",
                "--profile",
                "load",
                "--scale",
                "0.002",
                "--reset",
                "--yes",
            ])
            .run()
            .success();
    }
    assert_eq!(data_checksum(&a), data_checksum(&b));
}

#[test]
fn rerunning_a_profile_neither_duplicates_nor_fails_and_reset_replaces() {
    let db = vrss_db("seed_rerun");
    Strata::on(&db)
        .args(["seed", "--profile", "dev"])
        .run()
        .success();
    let checksum = data_checksum(&db);
    Strata::on(&db)
        .args(["seed", "--profile", "dev"])
        .run()
        .success()
        .stdout_has("Already seeded");
    assert_eq!(data_checksum(&db), checksum);
    // --reset needs confirmation without a terminal, and changes nothing without it.
    Strata::on(&db)
        .args(["seed", "--profile", "dev", "--reset"])
        .run()
        .one_line_error("pass --yes");
    assert_eq!(data_checksum(&db), checksum);
    Strata::on(&db)
        .args(["seed", "--profile", "dev", "--reset", "--yes"])
        .run()
        .success();
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 20);
    assert_eq!(
        data_checksum(&db),
        checksum,
        "reset then seed gives the same data again"
    );
}

#[test]
fn seed_refuses_a_partially_applied_or_modified_schema() {
    let db = TestDb::new("seed_refuse");
    Strata::on(&db)
        .args(["apply", "--phase", "2"])
        .run()
        .success();
    let catalog = db.catalog();
    Strata::on(&db)
        .args(["seed", "--profile", "dev"])
        .run()
        .one_line_error("the schema is not fully applied (");
    assert_eq!(db.catalog(), catalog);
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 0);
    Strata::on(&db).args(["apply"]).run().success();
    db.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2002");
    Strata::on(&db)
        .args(["seed"])
        .run()
        .one_line_error("1 modified");
    assert_eq!(count(&db, "SELECT count(*) FROM subscription_tiers"), 0);
}

/// Every key, index and constraint of public with what a bulk load takes off and must put
/// back the same: definition, deferrability, validation, backing or referenced index,
/// index flags and storage options, CLUSTER mark, tablespace and comments.
const KEYS_AND_INDEXES: &str = r#"
SELECT item FROM (
  SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || c.contype::text || ' ' || pg_get_constraintdef(c.oid)
         || ' deferrable=' || c.condeferrable || ' deferred=' || c.condeferred || ' valid=' || c.convalidated
         || ' index=' || c.conindid::regclass || ' comment=' || coalesce(obj_description(c.oid, 'pg_constraint'), '-') AS item
  FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'index ' || i.indexrelid::regclass || ' ' || pg_get_indexdef(i.indexrelid)
         || ' unique=' || i.indisunique || ' primary=' || i.indisprimary || ' immediate=' || i.indimmediate
         || ' clustered=' || i.indisclustered || ' replident=' || i.indisreplident || ' valid=' || i.indisvalid
         || ' options=' || coalesce(array_to_string(ic.reloptions, ','), '-') || ' tablespace=' || ic.reltablespace
         || ' comment=' || coalesce(obj_description(i.indexrelid, 'pg_class'), '-')
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE ic.relnamespace = 'public'::regnamespace
) items ORDER BY 1
"#;

#[test]
fn load_profile_at_small_scale_keeps_every_counter_exact() {
    let db = vrss_db("seed_load");
    // What a bulk load must put back as it was, beyond the migrations' plain keys: comments
    // on keys, their indexes and a foreign key; index storage options; a deferrable unique
    // constraint; CLUSTER marks; a covering unique index that backs no constraint; and a
    // key a view depends on (GROUP BY users.id), which has to stay in place.
    db.execute(
        "COMMENT ON CONSTRAINT posts_pkey ON posts IS 'posts key';
         COMMENT ON INDEX posts_pkey IS 'index of the posts key';
         COMMENT ON CONSTRAINT user_follows_unique ON user_follows IS 'one follow per pair';
         COMMENT ON INDEX verification_token_unique IS 'a unique index, no constraint';
         COMMENT ON CONSTRAINT comments_post_id_fkey ON comments IS 'a foreign key';
         ALTER INDEX post_interactions_pkey SET (fillfactor = 80);
         ALTER TABLE reposts DROP CONSTRAINT reposts_unique;
         ALTER TABLE reposts ADD CONSTRAINT reposts_unique UNIQUE (user_id, post_id) DEFERRABLE INITIALLY DEFERRED;
         ALTER TABLE comments CLUSTER ON comments_pkey;
         ALTER TABLE posts CLUSTER ON idx_posts_user_status;
         CREATE UNIQUE INDEX sessions_token_user ON sessions (token) INCLUDE (user_id) WITH (fillfactor = 70);
         COMMENT ON INDEX sessions_token_user IS 'covering';
         CREATE VIEW user_post_totals AS
             SELECT u.id, u.username, count(p.id) AS posts FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id;",
    );
    let catalog = db.catalog();
    let constraints = "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1";
    let before = db.column(constraints);
    let keys_and_indexes = db.column(KEYS_AND_INDEXES);
    // Posts and comments are kept in a temporary file until their counts are known.
    let tmp = tempfile::tempdir().unwrap();
    let run = Strata::on(&db)
        .env("TMPDIR", tmp.path().to_str().unwrap())
        .args(["seed", "--profile", "load", "--scale", "0.01", "--json"])
        .run();
    run.success();
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "temporary files left"
    );
    let json = run.json();
    assert_eq!(json["triggers"], false);
    let rows = |table: &str| -> i64 {
        json["tables"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["table"].as_str().unwrap().starts_with(table))
            .map(|t| t["rows"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(rows("users"), 1000);
    assert_eq!(rows("posts"), 5000);
    assert_eq!(rows("user_follows"), 10000);
    assert_eq!(rows("post_interactions"), 20000);
    assert_eq!(rows("comments"), 10000);
    assert_eq!(rows("post_media"), 2000);
    assert_eq!(count(&db, "SELECT count(*) FROM post_interactions"), 20000);
    // The report says where the time went, step by step, in order.
    let phases: Vec<&str> = json["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "seeds/reference.sql",
            "take off keys, indexes and foreign keys",
            "generate and COPY",
            "primary keys and unique constraints",
            "seeds/recompute.sql",
            "indexes",
            "foreign keys",
            "triggers on",
            "seeds/pin_timestamps.sql",
            "commit"
        ]
    );
    // The keys, indexes and foreign keys taken off for the bulk load are back exactly as
    // they were.
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.column(constraints), before);
    assert_eq!(db.column(KEYS_AND_INDEXES), keys_and_indexes);
    // Triggers are back on after the load.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ),
        0
    );
    assert_eq!(broken_constraints(&db), Vec::<String>::new());
    assert_eq!(counter_mismatches(&db), Vec::<String>::new());
    assert!(count(&db, "SELECT count(*) FROM friendships") > 100);
    assert_eq!(count(&db, FRIENDSHIPS_NOT_AT_SECOND_FOLLOW), 0);
    // The id sequences were moved past the generated ids: new rows get the next ones.
    for table in [
        "users",
        "posts",
        "comments",
        "user_profiles",
        "notifications",
    ] {
        assert_eq!(
            db.scalar(&format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) = (SELECT max(id) + 1 FROM {table})"
            )),
            "t",
            "{table}"
        );
    }
    // The keys taken off are enforced again (users_pkey, which the view needs, stayed).
    let mut client = db.client();
    for (insert, key) in [
        ("INSERT INTO posts SELECT * FROM posts WHERE id = 1", "posts_pkey"),
        (
            "INSERT INTO user_follows (follower_id, following_id) SELECT follower_id, following_id FROM user_follows LIMIT 1",
            "user_follows_unique",
        ),
        (
            "INSERT INTO verification_tokens (identifier, token, expires) SELECT identifier || 'x', token, expires FROM verification_tokens LIMIT 1",
            "verification_tokens_token_key",
        ),
    ] {
        let e = client.batch_execute(insert).unwrap_err();
        assert_eq!(e.as_db_error().unwrap().constraint(), Some(key), "{e}");
    }
}

/// A copy of the VRSS project (schema.toml, migrations, seeds) to edit.
pub(crate) fn vrss_project_copy() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
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
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("schema.toml"), dir.path().join("schema.toml")).unwrap();
    std::fs::copy(root.join("checks.toml"), dir.path().join("checks.toml")).unwrap();
    copy(&root.join("migrations"), &dir.path().join("migrations"));
    copy(&root.join("seeds"), &dir.path().join("seeds"));
    dir
}

/// A copy of the VRSS project whose seed gives every user the same username: the unique
/// key fails when it is put back after the load.
fn project_with_duplicate_usernames() -> tempfile::TempDir {
    let project = vrss_project_copy();
    let spec = project.path().join("seeds/seeds.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let unique_username =
        r#"username = { gen = "fake", kind = "username", unique = true, max_len = 30 }"#;
    assert!(text.contains(unique_username));
    std::fs::write(
        &spec,
        text.replace(
            unique_username,
            r#"username = { gen = "const", value = "same_name" }"#,
        ),
    )
    .unwrap();
    project
}

#[test]
fn load_that_generates_a_duplicate_key_fails_and_changes_nothing() {
    // Keys are off during the COPY: a generator that repeats a key value is caught when the
    // key is put back, and the whole seed (reference rows, COPY, DDL) rolls back.
    let project = project_with_duplicate_usernames();
    let db = vrss_db("seed_dup_key");
    let catalog = db.catalog();
    let keys_and_indexes = db.column(KEYS_AND_INDEXES);
    let tmp = tempfile::tempdir().unwrap();
    let run = Strata::on(&db)
        .project_dir(project.path())
        .env("TMPDIR", tmp.path().to_str().unwrap())
        .args(["seed", "--profile", "load", "--scale", "0.002"])
        .run();
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "temporary files left"
    );
    run.one_line_error("adding the primary keys and unique constraints back after the load")
        .stderr_has("users_username_key")
        .stderr_has("(username)=(same_name)");
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.column(KEYS_AND_INDEXES), keys_and_indexes);
    for table in [
        "users",
        "posts",
        "comments",
        "subscription_tiers",
        "friendships",
    ] {
        assert_eq!(
            count(&db, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ),
        0
    );
}

#[test]
fn a_generator_error_midway_stops_the_load_and_changes_nothing() {
    // Rows are generated on a thread ahead of the COPY: an error in a later table (here a
    // column reading one listed after it) ends the run with that error, and the tables
    // already loaded are rolled back with the rest.
    let project = vrss_project_copy();
    let spec = project.path().join("seeds/seeds.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let comments_id = "name = \"comments\"\nrows = 120\nload_rows = 1000000\n[table.columns]\nid = { gen = \"row_id\" }\n";
    assert!(text.contains(comments_id));
    std::fs::write(
        &spec,
        text.replace(
            comments_id,
            &format!("{comments_id}_early = {{ gen = \"copy\", column = \"content\" }}\n"),
        ),
    )
    .unwrap();
    let db = vrss_db("seed_gen_error");
    let catalog = db.catalog();
    // Posts wait in a temporary file for their counts when the error comes: removed too.
    let tmp = tempfile::tempdir().unwrap();
    let run = Strata::on(&db)
        .project_dir(project.path())
        .env("TMPDIR", tmp.path().to_str().unwrap())
        .args(["seed", "--profile", "load", "--scale", "0.002"])
        .run();
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "temporary files left"
    );
    run.one_line_error(
        "seeds.toml: table comments: column _early: reads column 'content', which must be listed before it",
    );
    // The tables before comments had been loaded: gone with the rollback.
    run.stderr_has("seeded post_interactions");
    assert_eq!(db.catalog(), catalog);
    for table in ["users", "posts", "post_interactions", "subscription_tiers"] {
        assert_eq!(
            count(&db, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
}

#[test]
fn count_columns_must_count_generated_columns_and_cannot_be_read() {
    let project = vrss_project_copy();
    let spec = project.path().join("seeds/seeds.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let likes = r#"likes_count = { gen = "count", table = "post_interactions", column = "post_id", where = { type = "like" } }"#;
    assert!(text.contains(likes));
    let db = vrss_db("seed_count_errors");
    let catalog = db.catalog();
    let cases = [
        (
            r#"likes_count = { gen = "count", table = "post_likes", column = "post_id" }"#,
            "seeds.toml: table posts: column likes_count: counts rows of 'post_likes', which is not generated",
        ),
        (
            r#"likes_count = { gen = "count", table = "post_interactions", column = "post", where = { type = "like" } }"#,
            "seeds.toml: table post_interactions (likes): posts.likes_count counts its rows by column 'post', which it does not generate",
        ),
        (
            r#"likes_count = { gen = "maybe", p = 0.5, value = { gen = "count", table = "comments", column = "post_id" } }"#,
            "seeds.toml: table posts: column likes_count: a count must be the column's generator, not inside another",
        ),
        (
            &format!("{likes}\n_likes = {{ gen = \"copy\", column = \"likes_count\" }}"),
            "seeds.toml: table posts: column _likes: reads 'likes_count', a count, which is only known at the end",
        ),
    ];
    for (column, error) in cases {
        std::fs::write(&spec, text.replace(likes, column)).unwrap();
        Strata::on(&db)
            .project_dir(project.path())
            .args(["seed", "--profile", "load", "--scale", "0.002"])
            .run()
            .one_line_error(error);
        assert_eq!(db.catalog(), catalog);
        assert_eq!(count(&db, "SELECT count(*) FROM users"), 0);
    }
}

#[test]
fn load_with_triggers_on_gives_the_same_counters() {
    let db = vrss_db("seed_load_trig");
    let run = Strata::on(&db)
        .args([
            "seed",
            "--profile",
            "load",
            "--scale",
            "0.005",
            "--triggers",
            "on",
            "--json",
        ])
        .run();
    run.success();
    assert_eq!(run.json()["triggers"], true);
    assert_eq!(counter_mismatches(&db), Vec::<String>::new());
    let bulk = vrss_db("seed_load_bulk");
    Strata::on(&bulk)
        .args(["seed", "--profile", "load", "--scale", "0.005"])
        .run()
        .success();
    // Both ways give the same data. Only the surrogate ids of friendships may differ: the
    // trigger numbers them in whatever order COPY fires its AFTER ROW triggers.
    let others: Vec<String> = db
        .tables()
        .into_iter()
        .filter(|t| t != "friendships")
        .collect();
    assert_eq!(
        data_checksum_of(&db, &others),
        data_checksum_of(&bulk, &others)
    );
    let pairs =
        "SELECT user_id_1 || ',' || user_id_2 || ',' || created_at FROM friendships ORDER BY 1";
    assert_eq!(db.column(pairs), bulk.column(pairs));
}

#[test]
fn a_scale_too_small_for_valid_data_is_refused_with_the_minimum_that_works() {
    let db = vrss_db("seed_tiny_scale");
    let before = data_checksum(&db);
    Strata::on(&db)
        .args(["seed", "--profile", "load", "--scale", "0.00001"])
        .run()
        .one_line_error("--scale 0.00001 is below this project's minimum of 0.0008");
    assert_eq!(data_checksum(&db), before);
    // At the minimum every row passes the schema's own constraints (COPY would refuse it),
    // and each generated table has at least its dev-profile rows.
    Strata::on(&db)
        .args(["seed", "--profile", "load", "--scale", "0.0008"])
        .run()
        .success();
    assert!(count(&db, "SELECT count(*) FROM conversations") >= 10);
    assert!(count(&db, "SELECT count(*) FROM users") >= 20);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM conversations WHERE cardinality(participant_ids) < 2"
        ),
        0
    );
}

#[test]
fn seed_jobs_loads_the_same_rows_and_puts_every_key_back() {
    // --jobs 2: the same rows as one transaction (checksummed by the test over every table),
    // every key, index and foreign key back as it was (definition, validation, flags),
    // constraints and counters holding over all rows, and the report saying 2 connections.
    let one = vrss_db("seed_jobs_one");
    let two = vrss_db("seed_jobs_two");
    two.execute(
        "COMMENT ON CONSTRAINT posts_pkey ON posts IS 'posts key';
         ALTER INDEX post_interactions_pkey SET (fillfactor = 80);
         ALTER TABLE comments CLUSTER ON comments_pkey;",
    );
    let keys_and_indexes = two.column(KEYS_AND_INDEXES);
    let catalog = two.catalog();
    let args = ["seed", "--profile", "load", "--scale", "0.004", "--json"];
    Strata::on(&one).args(args).run().success();
    let run = Strata::on(&two).args(args).args(["--jobs", "2"]).run();
    run.success();
    assert_eq!(run.json()["jobs"], 2);
    assert_eq!(data_checksum(&one), data_checksum(&two));
    assert_eq!(two.catalog(), catalog);
    assert_eq!(two.column(KEYS_AND_INDEXES), keys_and_indexes);
    assert_eq!(broken_constraints(&two), Vec::<String>::new());
    assert_eq!(counter_mismatches(&two), Vec::<String>::new());
    assert_eq!(
        count(
            &two,
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ),
        0
    );
}

#[test]
fn seed_jobs_that_fails_puts_the_database_back_as_it_was() {
    // A duplicate key found when the keys go back, with --jobs 2 (steps committed one by
    // one): the tables are emptied and every key, index, foreign key and trigger restored.
    let project = project_with_duplicate_usernames();
    let db = vrss_db("seed_jobs_dup_key");
    let catalog = db.catalog();
    let keys_and_indexes = db.column(KEYS_AND_INDEXES);
    let run = Strata::on(&db)
        .project_dir(project.path())
        .args([
            "seed",
            "--profile",
            "load",
            "--scale",
            "0.002",
            "--jobs",
            "2",
        ])
        .run();
    run.one_line_error("users_username_key");
    assert_eq!(db.catalog(), catalog);
    assert_eq!(db.column(KEYS_AND_INDEXES), keys_and_indexes);
    for table in [
        "users",
        "posts",
        "comments",
        "post_interactions",
        "friendships",
    ] {
        assert_eq!(
            count(&db, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ),
        0
    );
}
