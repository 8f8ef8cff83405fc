-- 1005_create_phone_verifications: table phone_verifications (000 "Phone Verifications: OTP
-- management"), as written. Placed in phase 1 with the account tables it serves (000 lists it
-- after system_state); it has no foreign key.
CREATE TABLE phone_verifications (
    verification_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    phone_number VARCHAR(20) NOT NULL,
    verification_code VARCHAR(6) NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL DEFAULT 3,
    verified_at TIMESTAMP,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT chk_code_format CHECK (verification_code ~ '^\d{6}$')
);

COMMENT ON TABLE phone_verifications IS 'OTP management';
COMMENT ON COLUMN phone_verifications.code_hash IS 'Hashed code for security';
