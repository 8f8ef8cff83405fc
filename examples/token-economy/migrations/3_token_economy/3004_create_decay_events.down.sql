-- 3004_create_decay_events (down): drops table decay_events.
DROP TABLE decay_events;
