-- 1008_create_verification_tokens: table verification_tokens (004 §1 "verification_tokens"
-- only; absent from the 004 appendix and 002 - the fuller definition wins). Foundation phase
-- (authentication). No foreign key: 004 keys it by e-mail address (identifier), not user id.
-- Its indexes (verification_token_unique, idx_verification_tokens_token) are in 1010_indexes.
CREATE TABLE verification_tokens (
    id                  BIGSERIAL PRIMARY KEY,
    identifier          VARCHAR(255) NOT NULL,
    token               VARCHAR(255) NOT NULL UNIQUE,
    expires             TIMESTAMPTZ(6) NOT NULL,
    created_at          TIMESTAMPTZ(6) NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE verification_tokens IS 'Email verification tokens (managed by better-auth)';
COMMENT ON COLUMN verification_tokens.identifier IS 'Email address being verified';
COMMENT ON COLUMN verification_tokens.token IS 'Random token (UUID v4, 1-hour expiry)';
