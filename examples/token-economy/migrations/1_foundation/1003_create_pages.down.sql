-- 1003_create_pages (down): drops table pages.
DROP TABLE pages;
