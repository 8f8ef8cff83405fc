-- 1005_create_phone_verifications (down): drops table phone_verifications.
DROP TABLE phone_verifications;
