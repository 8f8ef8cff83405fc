-- 1003_create_users (down): drops table users (its sequence users_id_seq goes with it).
DROP TABLE IF EXISTS users;
