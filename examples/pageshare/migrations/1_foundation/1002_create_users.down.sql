-- 1002_create_users (down): drops table users (its constraints and comments go with it).
DROP TABLE users;
