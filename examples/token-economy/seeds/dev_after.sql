-- Development data, last step: what 000's jobs and application keep (not its triggers),
-- computed from the generated rows as those jobs would, and the now() stamps of the
-- comment-count trigger pinned to the seed's clock, so a given --rng-seed always gives the
-- same data. Triggers are off for these updates only: they would stamp updated_at with now()
-- again, and reset_free_comments_on_update would reset the daily free comments to today.
ALTER TABLE accounts DISABLE TRIGGER USER;
ALTER TABLE pages DISABLE TRIGGER USER;
ALTER TABLE posts DISABLE TRIGGER USER;
ALTER TABLE comments DISABLE TRIGGER USER;

-- 1. maintain_comment_count stamped posts.updated_at: back to the last edit or creation.
UPDATE posts SET updated_at = COALESCE(edited_at, created_at)
WHERE updated_at IS DISTINCT FROM COALESCE(edited_at, created_at);

-- 2. Tokens on posts and comments: creator shares received, distinct spenders (refunded
--    likes left out), decay applied to posts.
UPDATE posts p
SET total_tokens_received = x.received,
    unique_spenders_count = x.spenders,
    tokens_lost_to_decay = x.decayed,
    last_token_received_at = x.last_received,
    last_decay_applied_at = COALESCE(x.last_decay, p.last_decay_applied_at)
FROM (SELECT p2.post_id,
             (SELECT COALESCE(SUM(t.tokens_to_creator), 0) FROM token_transactions t
               WHERE t.target_type = 'post' AND t.target_id = p2.post_id AND t.unliked_at IS NULL) AS received,
             (SELECT COUNT(DISTINCT t.spender_account_id) FROM token_transactions t
               WHERE t.target_type = 'post' AND t.target_id = p2.post_id AND t.unliked_at IS NULL) AS spenders,
             (SELECT MAX(t.created_at) FROM token_transactions t
               WHERE t.target_type = 'post' AND t.target_id = p2.post_id AND t.unliked_at IS NULL) AS last_received,
             (SELECT COALESCE(SUM(d.tokens_decayed), 0) FROM decay_events d WHERE d.post_id = p2.post_id) AS decayed,
             (SELECT MAX(d.applied_at) FROM decay_events d WHERE d.post_id = p2.post_id) AS last_decay
      FROM posts p2) x
WHERE x.post_id = p.post_id;

UPDATE comments c
SET total_tokens_received = x.received,
    unique_spenders_count = x.spenders
FROM (SELECT c2.comment_id,
             (SELECT COALESCE(SUM(t.tokens_to_creator), 0) FROM token_transactions t
               WHERE t.target_type = 'comment' AND t.target_id = c2.comment_id AND t.unliked_at IS NULL) AS received,
             (SELECT COUNT(DISTINCT t.spender_account_id) FROM token_transactions t
               WHERE t.target_type = 'comment' AND t.target_id = c2.comment_id AND t.unliked_at IS NULL) AS spenders
      FROM comments c2) x
WHERE x.comment_id = c.comment_id;

-- 3. Page stats: followers, live posts, tokens earned.
UPDATE pages pg
SET followers_count = (SELECT COUNT(*) FROM follows f WHERE f.following_page_id = pg.page_id),
    posts_count = (SELECT COUNT(*) FROM posts p WHERE p.page_id = pg.page_id AND p.deleted_at IS NULL),
    total_tokens_earned = (SELECT COALESCE(SUM(t.tokens_to_creator), 0) FROM token_transactions t
                           WHERE t.recipient_page_id = pg.page_id AND t.unliked_at IS NULL);

-- 4. Account stats and job totals: content created, tokens spent and earned, tax paid and
--    stipends received with the time of the last of each, weeks since sign-up.
UPDATE accounts a
SET posts_created_count = (SELECT COUNT(*) FROM posts p WHERE p.account_id = a.account_id),
    comments_created_count = (SELECT COUNT(*) FROM comments c WHERE c.account_id = a.account_id),
    tokens_spent_lifetime = (SELECT COALESCE(SUM(t.tokens_spent), 0) FROM token_transactions t
                             WHERE t.spender_account_id = a.account_id AND t.unliked_at IS NULL),
    tokens_earned_lifetime = (SELECT COALESCE(SUM(t.tokens_to_creator), 0) FROM token_transactions t
                              WHERE t.recipient_account_id = a.account_id AND t.unliked_at IS NULL),
    total_tax_paid = (SELECT COALESCE(SUM(t.tokens_taxed), 0) FROM tax_collections t WHERE t.account_id = a.account_id),
    last_tax_collected_at = (SELECT MAX(t.collected_at) FROM tax_collections t WHERE t.account_id = a.account_id),
    total_stipend_received = (SELECT COALESCE(SUM(s.total_stipend), 0) FROM stipend_distributions s WHERE s.account_id = a.account_id),
    last_stipend_received_at = (SELECT MAX(s.distributed_at) FROM stipend_distributions s WHERE s.account_id = a.account_id),
    weeks_since_signup = floor(extract(epoch FROM timestamp '2026-01-01 00:00:00' - a.created_at) / 604800)::int;

ALTER TABLE accounts ENABLE TRIGGER USER;
ALTER TABLE pages ENABLE TRIGGER USER;
ALTER TABLE posts ENABLE TRIGGER USER;
ALTER TABLE comments ENABLE TRIGGER USER;

-- 5. Audit log addresses (INET), from a hash of the entry.
UPDATE audit_logs l
SET ip_address = ('10.' || h.a % 256 || '.' || h.b % 256 || '.' || 1 + h.a % 254)::inet
FROM (SELECT log_id, ('x' || substr(md5(entity_id::text), 1, 7))::bit(28)::int AS a,
                     ('x' || substr(md5(entity_id::text), 8, 7))::bit(28)::int AS b
      FROM audit_logs) h
WHERE h.log_id = l.log_id AND l.ip_address IS NULL;

-- 6. The system state, as the analytics and token jobs leave it, stamped with the seed's clock.
UPDATE system_state s
SET total_tokens_in_circulation = x.circulation,
    total_tokens_locked_on_content = x.locked,
    total_tokens_in_government_pool = x.government,
    total_tokens_burned = x.burned,
    total_tokens_ever_created = x.circulation + x.locked + x.government + x.burned,
    total_accounts = x.accounts,
    active_accounts_today = x.active_today,
    total_posts = x.posts,
    total_comments = x.comments,
    last_tax_collection_at = x.last_tax,
    last_stipend_distribution_at = x.last_stipend,
    last_decay_run_at = x.last_decay,
    last_queue_update_at = timestamp '2026-01-01 00:00:00',
    last_analytics_update_at = timestamp '2026-01-01 00:00:00',
    updated_at = timestamp '2026-01-01 00:00:00'
FROM (SELECT (SELECT COALESCE(SUM(token_balance), 0) FROM accounts) AS circulation,
             (SELECT COALESCE(SUM(total_tokens_received), 0) FROM posts WHERE deleted_at IS NULL) AS locked,
             GREATEST(0, (SELECT COALESCE(SUM(tokens_to_government), 0) FROM token_transactions WHERE unliked_at IS NULL)
                         + (SELECT COALESCE(SUM(tokens_taxed), 0) FROM tax_collections)
                         - (SELECT COALESCE(SUM(total_stipend), 0) FROM stipend_distributions)) AS government,
             (SELECT COALESCE(SUM(tokens_burned), 0) FROM token_transactions WHERE unliked_at IS NULL) AS burned,
             (SELECT COUNT(*) FROM accounts) AS accounts,
             (SELECT COUNT(*) FROM accounts WHERE last_active_at >= timestamp '2025-12-31 00:00:00') AS active_today,
             (SELECT COUNT(*) FROM posts WHERE deleted_at IS NULL) AS posts,
             (SELECT COUNT(*) FROM comments WHERE deleted_at IS NULL) AS comments,
             (SELECT MAX(collected_at) FROM tax_collections) AS last_tax,
             (SELECT MAX(distributed_at) FROM stipend_distributions) AS last_stipend,
             (SELECT MAX(applied_at) FROM decay_events) AS last_decay) x
WHERE s.id = 1;
