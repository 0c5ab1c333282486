DROP TABLE node_secrets;
DROP TABLE mail_digests;
DROP TABLE notification_mails;
DROP TABLE notification_settings;
