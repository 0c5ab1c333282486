DROP TABLE push_pending;
DROP TABLE push_subscriptions;
ALTER TABLE notification_settings DROP COLUMN push;
