ALTER TABLE users DROP COLUMN email_confirmed_at;
DROP TABLE mail_tokens;
DROP TABLE mail_outbox;
