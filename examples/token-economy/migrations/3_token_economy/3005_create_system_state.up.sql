-- 3005_create_system_state: table system_state (000 "SYSTEM STATE & MONITORING / System State:
-- Global token supply and system metrics"), a singleton (id = 1).
-- Decision: 000 follows the CREATE TABLE with  INSERT INTO system_state (id) VALUES (1);
--   ("Initialize system state"). That row is data, not schema, so it is not in this migration
--   (the issue asks for it as seed data): it is listed in OBJECTS.md "Seed data" and must be
--   inserted once after the migrations (INVARIANTS.md system_state_singleton_present reports a
--   missing row once accounts exist, and its fix inserts it).
CREATE TABLE system_state (
    id INT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    -- Token Supply
    total_tokens_in_circulation DECIMAL(15, 2) NOT NULL DEFAULT 0 CHECK (total_tokens_in_circulation >= 0),
    total_tokens_locked_on_content DECIMAL(15, 2) NOT NULL DEFAULT 0,
    total_tokens_in_government_pool DECIMAL(15, 2) NOT NULL DEFAULT 0,
    total_tokens_burned DECIMAL(15, 2) NOT NULL DEFAULT 0,
    total_tokens_ever_created DECIMAL(15, 2) NOT NULL DEFAULT 0,
    -- System Stats
    total_accounts INT NOT NULL DEFAULT 0,
    active_accounts_today INT NOT NULL DEFAULT 0,
    total_posts INT NOT NULL DEFAULT 0,
    total_comments INT NOT NULL DEFAULT 0,
    -- Job Execution Tracking
    last_tax_collection_at TIMESTAMP,
    last_stipend_distribution_at TIMESTAMP,
    last_decay_run_at TIMESTAMP,
    last_queue_update_at TIMESTAMP,
    last_analytics_update_at TIMESTAMP,
    -- Metadata
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE system_state IS 'Global token supply and system metrics (singleton row id = 1, inserted as seed data)';
