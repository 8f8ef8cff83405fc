-- 3005_create_system_state (down): drops table system_state.
DROP TABLE system_state;
