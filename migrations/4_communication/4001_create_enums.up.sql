-- 4001_create_enums: enum type of the communication phase: notification_type
-- (labels and order as in 004 §7 "notifications" and the 004 appendix).
-- subscription_status (used by user_subscriptions) is created in 1_foundation/1002_create_enums,
-- where 002 "Phase 1 / Step 1" puts it.
CREATE TYPE notification_type AS ENUM (
    'follow', 'like', 'comment', 'repost', 'mention',
    'message', 'friend_request', 'system'
);
