-- 2005_create_media_files (down): drops table media_files.
DROP TABLE media_files;
