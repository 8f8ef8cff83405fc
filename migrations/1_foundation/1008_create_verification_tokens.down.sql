-- 1008_create_verification_tokens (down): drops table verification_tokens.
DROP TABLE IF EXISTS verification_tokens;
