-- 3003_create_bookmarks (down): drops table bookmarks.
DROP TABLE bookmarks;
