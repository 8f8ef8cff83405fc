-- 4004_create_notifications (down): drops table notifications.
DROP TABLE IF EXISTS notifications;
