-- 1002_create_users (down): drops table users.
DROP TABLE users;
