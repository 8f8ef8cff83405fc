-- 3007_create_list_members: table list_members, the users in a user list
-- (004 §9 "list_members"); deleted with the list or the member user.
CREATE TABLE list_members (
    id                  BIGSERIAL PRIMARY KEY,
    list_id             BIGINT NOT NULL REFERENCES user_lists(id) ON DELETE CASCADE,
    member_user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    added_at            TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT list_members_unique UNIQUE (list_id, member_user_id)
);

COMMENT ON TABLE list_members IS 'Users included in lists';
