-- 4005_create_user_subscriptions: table user_subscriptions, a user's subscription to a tier
-- with its Stripe ids and billing period (004 §8 "user_subscriptions"; 002 lists it in phase 4).
-- tier_id has no ON DELETE action in the documents (NO ACTION: a tier in use cannot be deleted).
CREATE TABLE user_subscriptions (
    id                      BIGSERIAL PRIMARY KEY,
    user_id                 BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tier_id                 BIGINT NOT NULL REFERENCES subscription_tiers(id),

    status                  subscription_status NOT NULL DEFAULT 'active',

    stripe_subscription_id  VARCHAR(255),
    stripe_customer_id      VARCHAR(255),

    current_period_start    TIMESTAMPTZ NOT NULL,
    current_period_end      TIMESTAMPTZ NOT NULL,
    canceled_at             TIMESTAMPTZ,

    created_at              TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE user_subscriptions IS 'User subscription records and billing info';
