-- 1005_create_password_reset_tokens (down): drops table password_reset_tokens.
DROP TABLE password_reset_tokens;
