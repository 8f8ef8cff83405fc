-- 4001_create_notifications (down): drops table notifications.
DROP TABLE notifications;
