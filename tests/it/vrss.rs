//! The default project (VRSS): the catalog after `apply` against the object lists of the
//! design documents (004 schema design, 002 implementation strategy), the behaviours the
//! strategy's validation sections describe, and phase-by-phase and migration-by-migration
//! rollback.

use crate::support::*;

/// A database with the whole embedded VRSS project applied.
fn vrss_db(tag: &str) -> TestDb {
    TestDb::vrss(tag)
}

/// Runs `sql` and returns the server's error message (the test fails if it succeeds).
fn rejects(db: &TestDb, sql: &str) -> String {
    match db.client().batch_execute(sql) {
        Ok(()) => panic!("expected an error from: {sql}"),
        Err(e) => e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string()),
    }
}

// --- the object lists, written out from 004 and 002 -------------------------------------

const TABLES: &[&str] = &[
    // phase 1 (002 "Phase 1: Foundation Tables"; sessions and verification_tokens: 004 §1)
    "users",
    "subscription_tiers",
    "user_profiles",
    "storage_usage",
    "sessions",
    "verification_tokens",
    // phase 2 (002 "Phase 2"; pending_uploads: 004 §2)
    "posts",
    "post_media",
    "pending_uploads",
    "user_follows",
    "friendships",
    "post_interactions",
    "comments",
    "reposts",
    // phase 3 (002 "Phase 3"; lists: 004 §9)
    "profile_sections",
    "section_content",
    "custom_feeds",
    "feed_filters",
    "user_lists",
    "list_members",
    // phase 4 (002 "Phase 4"; user_subscriptions: 004 §8)
    "conversations",
    "messages",
    "notifications",
    "user_subscriptions",
];

/// (index, table, definition after USING) from the index strategy and appendix.
const INDEXES: &[(&str, &str, &str)] = &[
    ("idx_users_email", "users", "btree (email)"),
    ("idx_users_status", "users", "btree (status) WHERE ((status)::text = 'active'::text)"),
    ("idx_user_profiles_visibility", "user_profiles", "btree (visibility) WHERE ((visibility)::text <> 'private'::text)"),
    ("idx_user_profiles_style_config_gin", "user_profiles", "gin (style_config)"),
    ("idx_sessions_user", "sessions", "btree (user_id)"),
    ("idx_sessions_token", "sessions", "btree (token)"),
    ("idx_sessions_expires_at", "sessions", "btree (expires_at)"),
    ("idx_verification_tokens_token", "verification_tokens", "btree (token)"),
    ("verification_token_unique", "verification_tokens", "btree (identifier, token)"),
    ("idx_posts_user_created", "posts", "btree (user_id, created_at DESC, status) WHERE (deleted_at IS NULL)"),
    ("idx_posts_user_status", "posts", "btree (user_id, status, created_at DESC)"),
    ("idx_posts_type_created", "posts", "btree (type, created_at DESC) WHERE ((status = 'published'::post_status) AND (deleted_at IS NULL))"),
    ("idx_posts_engagement_created", "posts", "btree (likes_count DESC, created_at DESC) WHERE ((status = 'published'::post_status) AND (deleted_at IS NULL))"),
    ("idx_posts_media_urls_gin", "posts", "gin (media_urls)"),
    ("idx_post_media_post", "post_media", "btree (post_id, display_order)"),
    ("idx_post_media_user_size", "post_media", "btree (user_id, created_at DESC)"),
    ("idx_pending_uploads_user_expires", "pending_uploads", "btree (user_id, expires_at)"),
    ("idx_user_follows_follower", "user_follows", "btree (follower_id, created_at DESC)"),
    ("idx_user_follows_following", "user_follows", "btree (following_id, created_at DESC)"),
    ("idx_user_follows_both", "user_follows", "btree (follower_id, following_id)"),
    ("idx_friendships_user1", "friendships", "btree (user_id_1, created_at DESC)"),
    ("idx_friendships_user2", "friendships", "btree (user_id_2, created_at DESC)"),
    ("idx_post_interactions_post_type", "post_interactions", "btree (post_id, type, created_at DESC)"),
    ("idx_post_interactions_user_post", "post_interactions", "btree (user_id, post_id, type)"),
    ("idx_comments_post_created", "comments", "btree (post_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_comments_parent", "comments", "btree (parent_comment_id, created_at DESC) WHERE ((parent_comment_id IS NOT NULL) AND (deleted_at IS NULL))"),
    ("idx_reposts_user", "reposts", "btree (user_id, created_at DESC)"),
    ("idx_reposts_post", "reposts", "btree (post_id, created_at DESC)"),
    ("idx_profile_sections_user_order", "profile_sections", "btree (user_id, display_order) WHERE (is_visible = true)"),
    ("idx_section_content_section_order", "section_content", "btree (section_id, display_order)"),
    ("idx_custom_feeds_user", "custom_feeds", "btree (user_id, display_order)"),
    ("idx_feed_filters_feed", "feed_filters", "btree (feed_id, group_id, display_order)"),
    ("idx_feed_filters_type", "feed_filters", "btree (type, feed_id)"),
    ("idx_conversations_participants", "conversations", "gin (participant_ids)"),
    ("idx_messages_conversation_created", "messages", "btree (conversation_id, created_at DESC) WHERE (deleted_at IS NULL)"),
    ("idx_messages_unread", "messages", "gin (read_by) WHERE (deleted_at IS NULL)"),
    ("idx_notifications_user_created", "notifications", "btree (user_id, created_at DESC)"),
    ("idx_notifications_user_unread", "notifications", "btree (user_id, created_at DESC) WHERE (is_read = false)"),
];

/// (trigger, table, function): 002 "Database Trigger Strategy" and 004 §7/appendix, plus
/// updated_at on every table that has the column and the reposts/replies counters.
const TRIGGERS: &[(&str, &str, &str)] = &[
    (
        "update_users_updated_at",
        "users",
        "update_updated_at_column",
    ),
    (
        "update_user_profiles_updated_at",
        "user_profiles",
        "update_updated_at_column",
    ),
    (
        "update_subscription_tiers_updated_at",
        "subscription_tiers",
        "update_updated_at_column",
    ),
    (
        "update_storage_usage_updated_at",
        "storage_usage",
        "update_updated_at_column",
    ),
    (
        "update_sessions_updated_at",
        "sessions",
        "update_updated_at_column",
    ),
    (
        "update_posts_updated_at",
        "posts",
        "update_updated_at_column",
    ),
    (
        "update_comments_updated_at",
        "comments",
        "update_updated_at_column",
    ),
    (
        "update_profile_sections_updated_at",
        "profile_sections",
        "update_updated_at_column",
    ),
    (
        "update_section_content_updated_at",
        "section_content",
        "update_updated_at_column",
    ),
    (
        "update_custom_feeds_updated_at",
        "custom_feeds",
        "update_updated_at_column",
    ),
    (
        "update_user_lists_updated_at",
        "user_lists",
        "update_updated_at_column",
    ),
    (
        "update_messages_updated_at",
        "messages",
        "update_updated_at_column",
    ),
    (
        "update_user_subscriptions_updated_at",
        "user_subscriptions",
        "update_updated_at_column",
    ),
    (
        "trigger_update_post_likes_count",
        "post_interactions",
        "update_post_likes_count",
    ),
    (
        "trigger_update_post_comments_count",
        "comments",
        "update_post_comments_count",
    ),
    (
        "trigger_update_post_reposts_count",
        "reposts",
        "update_post_reposts_count",
    ),
    (
        "trigger_update_comment_replies_count",
        "comments",
        "update_comment_replies_count",
    ),
    (
        "trigger_create_friendship",
        "user_follows",
        "create_friendship_on_mutual_follow",
    ),
    (
        "trigger_update_storage_insert",
        "post_media",
        "update_storage_on_media_insert",
    ),
    (
        "trigger_update_storage_delete",
        "post_media",
        "update_storage_on_media_delete",
    ),
];

const ENUMS: &[(&str, &str)] = &[
    ("filter_operator", "equals,not_equals,contains,greater_than,less_than,in_range"),
    ("filter_type", "post_type,author,tag,date_range,engagement"),
    ("interaction_type", "like,bookmark,share"),
    ("media_type", "image,gif,video,audio,document"),
    ("notification_type", "follow,like,comment,repost,mention,message,friend_request,system"),
    ("post_status", "draft,published,scheduled,deleted"),
    ("post_type", "text_short,text_long,image,image_gallery,gif,video_short,video_long,song,album"),
    ("profile_visibility", "public,followers,private"),
    ("section_type", "feed,gallery,links,static_text,static_image,video,reposts,friends,followers,following,list"),
    ("subscription_status", "active,canceled,expired,suspended"),
];

const VIEWS: &[&str] = &[
    "comment_reply_counts",
    "home_feed",
    "post_engagement_counts",
    "user_friends",
    "users_near_storage_quota",
];

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort();
    v
}

#[test]
fn apply_creates_exactly_the_objects_the_documents_name() {
    let db = vrss_db("vrss_catalog");
    assert_eq!(
        db.tables(),
        sorted(&TABLES.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    );

    let expected_indexes: Vec<String> = sorted(
        &INDEXES
            .iter()
            .map(|(name, table, def)| {
                let unique = if *name == "verification_token_unique" {
                    "UNIQUE "
                } else {
                    ""
                };
                format!("CREATE {unique}INDEX {name} ON public.{table} USING {def}")
            })
            .collect::<Vec<_>>(),
    );
    // Indexes created explicitly (not those behind PRIMARY KEY / UNIQUE constraints).
    let live_indexes = db.column(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'schema_migrations%'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ORDER BY 1",
    );
    assert_eq!(live_indexes, expected_indexes);

    let expected_triggers: Vec<String> = sorted(
        &TRIGGERS
            .iter()
            .map(|(t, tab, f)| format!("{t} {tab} {f}"))
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        db.column(
            "SELECT t.tgname || ' ' || t.tgrelid::regclass || ' ' || p.proname FROM pg_trigger t
             JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal ORDER BY 1"
        ),
        expected_triggers
    );
    assert_eq!(
        db.column("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"),
        Vec::<String>::new(),
        "every trigger enabled"
    );

    let expected_enums: Vec<String> = ENUMS.iter().map(|(t, l)| format!("{t}: {l}")).collect();
    assert_eq!(
        db.column(
            "SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
             FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname ORDER BY 1"
        ),
        expected_enums
    );
    assert_eq!(
        db.column("SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1"),
        VIEWS
    );
    assert_eq!(
        db.column("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1"),
        vec!["pg_trgm", "uuid-ossp"]
    );
    // posts.visibility uses the profile_visibility type that no document creates.
    assert_eq!(
        db.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'posts'::regclass AND attname = 'visibility'"),
        "profile_visibility"
    );
    // The fuller posts definition of 004 §2 wins: both CHECKs the appendix drops are there.
    assert_eq!(
        db.column("SELECT conname FROM pg_constraint WHERE conrelid = 'posts'::regclass AND contype = 'c' ORDER BY 1"),
        vec!["posts_content_required", "posts_published_at_check", "posts_title_length"]
    );
    // Table comments are kept (every table has one).
    assert_eq!(
        db.column(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
               AND c.relname <> 'schema_migrations' AND obj_description(c.oid, 'pg_class') IS NULL"
        ),
        Vec::<String>::new()
    );
    // Every phase is recorded and status is clean.
    Strata::on(&db)
        .args(["status"])
        .run()
        .success()
        .stdout_has("49 applied, 0 pending, 0 modified, 0 unknown");
}

// --- behaviours from the strategy's validation sections --------------------------------

const TWO_USERS: &str = "
INSERT INTO users (id, username, email, password_hash) VALUES
  (1, 'alice', 'alice@example.com', 'x'), (2, 'bob_2', 'bob@example.com', 'x'), (3, 'carol', 'carol@example.com', 'x');
INSERT INTO posts (id, user_id, type, content, published_at) VALUES (1, 1, 'text_short', 'hello', now());
SELECT setval('users_id_seq', 100), setval('posts_id_seq', 100);
";

#[test]
fn constraints_reject_what_the_schema_forbids() {
    let db = vrss_db("vrss_constraints");
    db.execute(TWO_USERS);
    for (sql, constraint) in [
        ("INSERT INTO users (username, email, password_hash) VALUES ('ab', 'ab@x.com', 'x')", "users_username_length"),
        ("INSERT INTO users (username, email, password_hash) VALUES ('bad name!', 'bn@x.com', 'x')", "users_username_format"),
        ("INSERT INTO users (username, email, password_hash) VALUES ('alice2', 'alice@example.com', 'x')", "users_email_unique"),
        ("INSERT INTO user_profiles (user_id, age) VALUES (1, 12)", "user_profiles_age_valid"),
        ("INSERT INTO user_profiles (user_id, age) VALUES (1, 121)", "user_profiles_age_valid"),
        ("INSERT INTO user_follows (follower_id, following_id) VALUES (1, 1)", "user_follows_no_self_follow"),
        ("INSERT INTO friendships (user_id_1, user_id_2) VALUES (2, 1)", "friendships_ordered"),
        ("INSERT INTO comments (post_id, user_id, content) VALUES (1, 2, '   ')", "comments_content_not_empty"),
        ("INSERT INTO posts (user_id, type, published_at) VALUES (1, 'text_short', now())", "posts_content_required"),
        ("INSERT INTO posts (user_id, type, content) VALUES (1, 'text_short', 'x')", "posts_published_at_check"),
        ("INSERT INTO post_media (post_id, user_id, type, file_url, file_size_bytes, mime_type) VALUES (1, 1, 'image', 'u', 0, 'image/png')", "post_media_file_size_positive"),
        ("INSERT INTO user_profiles (user_id) VALUES (999)", "user_profiles_user_id_fkey"),
        ("INSERT INTO conversations (participant_ids) VALUES ('{1}')", "conversations_min_participants"),
    ] {
        let message = rejects(&db, sql);
        assert!(message.contains(constraint), "{sql}: expected {constraint}, got: {message}");
    }
    // Valid rows go in.
    db.execute("INSERT INTO user_profiles (user_id, age) VALUES (1, 13); INSERT INTO friendships (user_id_1, user_id_2) VALUES (1, 2);");
}

#[test]
fn deleting_a_user_cascades_to_what_they_own() {
    let db = vrss_db("vrss_cascade");
    db.execute(TWO_USERS);
    db.execute(
        "INSERT INTO user_profiles (user_id) VALUES (1);
         INSERT INTO user_follows (follower_id, following_id) VALUES (1, 2), (2, 1);
         INSERT INTO post_interactions (user_id, post_id, type) VALUES (2, 1, 'like');
         INSERT INTO comments (post_id, user_id, content) VALUES (1, 2, 'nice');
         INSERT INTO reposts (user_id, post_id) VALUES (2, 1);
         INSERT INTO post_media (post_id, user_id, type, file_url, file_size_bytes, mime_type) VALUES (1, 1, 'image', 'u', 10, 'image/png');
         INSERT INTO sessions (user_id, token, expires_at) VALUES (1, 't1', now() + interval '1 day');
         INSERT INTO profile_sections (user_id, type, title) VALUES (1, 'feed', 'Feed');
         INSERT INTO custom_feeds (user_id, name, algorithm_config) VALUES (1, 'mine', '{}');
         INSERT INTO user_lists (user_id, name) VALUES (1, 'friends');
         INSERT INTO notifications (user_id, type, title) VALUES (1, 'follow', 'hi');",
    );
    db.execute("DELETE FROM users WHERE id = 1");
    for table in [
        "user_profiles",
        "posts",
        "post_media",
        "post_interactions",
        "comments",
        "reposts",
        "sessions",
        "profile_sections",
        "custom_feeds",
        "user_lists",
        "notifications",
        "friendships",
        "storage_usage",
    ] {
        assert_eq!(
            db.scalar(&format!("SELECT count(*) FROM {table}")),
            "0",
            "{table} after deleting the user"
        );
    }
    assert_eq!(db.scalar("SELECT count(*) FROM user_follows"), "0");
    assert_eq!(db.scalar("SELECT count(*) FROM users"), "2");
}

#[test]
fn updated_at_moves_on_every_table_that_has_it() {
    let db = vrss_db("vrss_updated_at");
    db.execute(TWO_USERS);
    db.execute(
        "INSERT INTO user_profiles (user_id) VALUES (1);
         INSERT INTO subscription_tiers (id, name, storage_bytes, price_monthly_cents) VALUES (10, 'test-tier', 1000, 0);
         INSERT INTO storage_usage (user_id) VALUES (2);
         INSERT INTO sessions (user_id, token, expires_at) VALUES (1, 't1', now() + interval '1 day');
         INSERT INTO comments (id, post_id, user_id, content) VALUES (1, 1, 2, 'c');
         INSERT INTO profile_sections (id, user_id, type, title) VALUES (1, 1, 'feed', 'Feed');
         INSERT INTO section_content (section_id, content_type) VALUES (1, 'text');
         INSERT INTO custom_feeds (user_id, name, algorithm_config) VALUES (1, 'f', '{}');
         INSERT INTO user_lists (user_id, name) VALUES (1, 'l');
         INSERT INTO conversations (id, participant_ids) VALUES (1, '{1,2}');
         INSERT INTO messages (conversation_id, sender_id, content) VALUES (1, 1, 'm');
         INSERT INTO user_subscriptions (user_id, tier_id, current_period_start, current_period_end) VALUES (1, 10, now(), now() + interval '30 days');",
    );
    let tables = [
        "users",
        "user_profiles",
        "subscription_tiers",
        "storage_usage",
        "sessions",
        "posts",
        "comments",
        "profile_sections",
        "section_content",
        "custom_feeds",
        "user_lists",
        "messages",
        "user_subscriptions",
    ];
    let with_column = db.column(
        "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE a.attname = 'updated_at' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1",
    );
    assert_eq!(
        with_column,
        sorted(&tables.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    );
    for table in tables {
        db.execute(&format!(
            "ALTER TABLE {table} DISABLE TRIGGER USER; UPDATE {table} SET updated_at = '2000-01-01'; ALTER TABLE {table} ENABLE TRIGGER USER;"
        ));
        // Touch a column that is not updated_at: the trigger must move it.
        let col = db.scalar(&format!(
            "SELECT attname FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped
               AND attname NOT IN ('updated_at') ORDER BY attnum LIMIT 1"
        ));
        db.execute(&format!("UPDATE {table} SET {col} = {col}"));
        assert_eq!(
            db.scalar(&format!(
                "SELECT count(*) FROM {table} WHERE updated_at <= '2000-01-01'"
            )),
            "0",
            "updated_at did not move on {table}"
        );
    }
}

#[test]
fn likes_comments_reposts_and_replies_counters_follow_the_rows() {
    let db = vrss_db("vrss_counters");
    db.execute(TWO_USERS);
    let counts = || {
        db.scalar("SELECT likes_count || ' ' || comments_count || ' ' || reposts_count FROM posts WHERE id = 1")
    };
    db.execute("INSERT INTO post_interactions (user_id, post_id, type) VALUES (2, 1, 'like'), (3, 1, 'like'), (2, 1, 'bookmark')");
    assert_eq!(counts(), "2 0 0", "two likes; a bookmark is not a like");
    db.execute("DELETE FROM post_interactions WHERE user_id = 2 AND type = 'like'");
    assert_eq!(counts(), "1 0 0");
    // Never below zero, even when the counter was already wrong.
    db.execute("UPDATE posts SET likes_count = 0 WHERE id = 1; DELETE FROM post_interactions WHERE type = 'like';");
    assert_eq!(counts(), "0 0 0");

    db.execute("INSERT INTO comments (id, post_id, user_id, content) VALUES (1, 1, 2, 'top'), (2, 1, 3, 'top 2')");
    db.execute("INSERT INTO comments (id, post_id, user_id, content, parent_comment_id) VALUES (3, 1, 1, 'reply', 1), (4, 1, 2, 'reply 2', 1)");
    assert_eq!(counts(), "0 4 0");
    assert_eq!(
        db.scalar("SELECT replies_count FROM comments WHERE id = 1"),
        "2"
    );
    db.execute("DELETE FROM comments WHERE id = 4");
    assert_eq!(
        db.scalar("SELECT replies_count FROM comments WHERE id = 1"),
        "1"
    );
    assert_eq!(counts(), "0 3 0");

    db.execute("INSERT INTO reposts (user_id, post_id) VALUES (2, 1), (3, 1)");
    assert_eq!(counts(), "0 3 2");
    db.execute("DELETE FROM reposts WHERE user_id = 3");
    assert_eq!(counts(), "0 3 1");
    // The recount view agrees with the counters.
    assert_eq!(
        db.scalar("SELECT likes_count || ' ' || comments_count || ' ' || reposts_count FROM post_engagement_counts WHERE post_id = 1"),
        counts()
    );
}

#[test]
fn a_mutual_follow_creates_one_ordered_friendship_kept_after_unfollow() {
    let db = vrss_db("vrss_friendship");
    db.execute(TWO_USERS);
    db.execute("INSERT INTO user_follows (follower_id, following_id) VALUES (2, 1)");
    assert_eq!(
        db.scalar("SELECT count(*) FROM friendships"),
        "0",
        "one-way follow is not friendship"
    );
    db.execute("INSERT INTO user_follows (follower_id, following_id) VALUES (1, 2)");
    assert_eq!(
        db.column("SELECT user_id_1 || ',' || user_id_2 FROM friendships"),
        vec!["1,2"]
    );
    db.execute("DELETE FROM user_follows WHERE follower_id = 1 AND following_id = 2");
    assert_eq!(
        db.column("SELECT user_id_1 || ',' || user_id_2 FROM friendships"),
        vec!["1,2"]
    );
    // Both directions show in the friends view.
    assert_eq!(
        db.column("SELECT user_id || '>' || friend_id FROM user_friends ORDER BY 1"),
        vec!["1>2", "2>1"]
    );
}

#[test]
fn storage_usage_tracks_media_per_type() {
    let db = vrss_db("vrss_storage");
    db.execute(TWO_USERS);
    assert_eq!(
        db.scalar("SELECT count(*) FROM storage_usage WHERE user_id = 1"),
        "0"
    );
    let usage = || {
        db.scalar("SELECT used_bytes || ' ' || images_bytes || ' ' || videos_bytes || ' ' || audio_bytes || ' ' || other_bytes FROM storage_usage WHERE user_id = 1")
    };
    db.execute("INSERT INTO post_media (id, post_id, user_id, type, file_url, file_size_bytes, mime_type) VALUES (1, 1, 1, 'image', 'a', 1024000, 'image/png')");
    assert_eq!(
        usage(),
        "1024000 1024000 0 0 0",
        "row created on first upload (upsert)"
    );
    db.execute(
        "INSERT INTO post_media (id, post_id, user_id, type, file_url, file_size_bytes, mime_type) VALUES
           (2, 1, 1, 'video', 'b', 5000, 'video/mp4'), (3, 1, 1, 'audio', 'c', 300, 'audio/mpeg'), (4, 1, 1, 'document', 'd', 20, 'application/pdf')",
    );
    assert_eq!(usage(), "1029320 1024000 5000 300 20");
    db.execute("DELETE FROM post_media WHERE id IN (1, 3)");
    assert_eq!(usage(), "5020 0 5000 0 20");
}

#[test]
fn the_corrected_feed_query_uses_idx_posts_user_created() {
    let db = vrss_db("vrss_feed");
    db.execute(
        "INSERT INTO users (username, email, password_hash) SELECT 'user' || g, 'u' || g || '@example.com', 'x' FROM generate_series(1, 200) g;
         INSERT INTO user_profiles (user_id, display_name) SELECT id, 'User ' || id FROM users;
         INSERT INTO user_follows (follower_id, following_id) SELECT 1, id FROM users WHERE id BETWEEN 2 AND 21;
         INSERT INTO posts (user_id, type, status, content, published_at, created_at, deleted_at)
           SELECT u.id, 'text_short', 'published', 'post ' || g, now(), now() - (g || ' minutes')::interval,
                  CASE WHEN g % 2 = 0 THEN now() END
           FROM users u, generate_series(1, 20) g;
         ANALYZE;",
    );
    // 004's feed query with u.display_name and up.avatar_url (which do not exist) corrected
    // to up.display_name.
    let plan = db
        .column(
            "EXPLAIN SELECT p.id, p.user_id, p.type, p.title, p.content, p.thumbnail_url,
                p.likes_count, p.comments_count, p.created_at, u.username, up.display_name
         FROM posts p
         INNER JOIN users u ON p.user_id = u.id
         INNER JOIN user_profiles up ON u.id = up.user_id
         WHERE p.user_id IN (SELECT following_id FROM user_follows WHERE follower_id = 1)
           AND p.status = 'published' AND p.deleted_at IS NULL
         ORDER BY p.created_at DESC LIMIT 20 OFFSET 0",
        )
        .join("\n");
    assert!(plan.contains("idx_posts_user_created"), "{plan}");
    assert!(!plan.contains("Seq Scan on posts"), "{plan}");
    // The home_feed view answers the same question.
    assert_eq!(
        db.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM home_feed WHERE follower_id = 1 LIMIT 20) f"
        ),
        "20"
    );
}

// --- phases and rollback ------------------------------------------------------------------

#[test]
fn each_phase_applies_and_rolls_back_on_its_own() {
    let db = TestDb::new("vrss_phases");
    let mut snapshots = vec![db.catalog()];
    let phase_tables: [&[&str]; 4] = [&TABLES[..6], &TABLES[6..14], &TABLES[14..20], &TABLES[20..]];
    let mut expected: Vec<String> = Vec::new();
    for (i, tables) in phase_tables.iter().enumerate() {
        let phase = (i + 1).to_string();
        Strata::on(&db)
            .args(["apply", "--phase", &phase])
            .run()
            .success();
        expected.extend(tables.iter().map(|t| t.to_string()));
        assert_eq!(db.tables(), sorted(&expected), "after phase {phase}");
        snapshots.push(db.catalog());
    }
    for phase in (1..=4).rev() {
        Strata::on(&db)
            .args(["rollback", "--phase", &phase.to_string(), "--yes"])
            .run()
            .success();
        assert_eq!(
            db.catalog(),
            snapshots[phase - 1],
            "rolling back phase {phase}"
        );
    }
    assert!(db.catalog().is_empty());
}

#[test]
fn rolling_back_each_migration_restores_the_catalog_before_it() {
    let db = TestDb::new("vrss_each");
    let project = strata::project::Project::load(None).expect("embedded project");
    let versions: Vec<i64> = project
        .migrations
        .migrations
        .iter()
        .map(|m| m.version)
        .collect();
    assert_eq!(versions.len(), 49);
    let mut snapshots = vec![db.catalog()];
    for v in &versions {
        Strata::on(&db)
            .args(["apply", "--to", &v.to_string()])
            .run()
            .success();
        snapshots.push(db.catalog());
    }
    for (i, v) in versions.iter().enumerate().rev() {
        Strata::on(&db).args(["rollback", "--yes"]).run().success();
        assert_eq!(db.catalog(), snapshots[i], "rolling back {v}");
    }
}
