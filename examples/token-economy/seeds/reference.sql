-- Reference data (000 "Initialize system state"): the system_state singleton row (id = 1),
-- every other column at its default. 000 inserts it inside its schema script; here it is
-- seed data (OBJECTS.md, decision 2). Idempotent: safe to run on every deploy.
INSERT INTO system_state (id) VALUES (1)
ON CONFLICT (id) DO NOTHING;
