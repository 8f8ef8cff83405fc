-- 1002_create_enums: enum types of the foundation phase.
--   subscription_status: 002 "Phase 1 / Implementation Order / Step 1" creates it in phase 1
--     (it is used by user_subscriptions, created in 4_communication).
--   profile_visibility: used by posts.visibility (004 §2 "posts") but created by no document
--     (known defect). Created here with the labels the posts column comment gives
--     ('public', 'followers', 'private'), in the order 004 lists them; it lives in the
--     foundation phase because 004 calls it the enum "from user_profiles".
-- Decision: user_profiles.visibility itself stays VARCHAR(20) + CHECK
--   user_profiles_visibility_valid, as both 004 and 002 define that column.
-- Decision: 004 "Naming Conventions" says enums are upper-case (POST_TYPE); every DDL block
--   uses lower-case names, which is what the queries use, so the names are lower-case.
CREATE TYPE subscription_status AS ENUM ('active', 'canceled', 'expired', 'suspended');

CREATE TYPE profile_visibility AS ENUM ('public', 'followers', 'private');

COMMENT ON TYPE profile_visibility IS 'Visibility of a post: public, followers or private (author only)';
