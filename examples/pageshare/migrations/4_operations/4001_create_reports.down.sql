-- 4001_create_reports (down): drops table reports.
DROP TABLE reports;
