-- 3007_create_list_members (down): drops table list_members.
DROP TABLE IF EXISTS list_members;
