DROP INDEX users_calendar_token;
ALTER TABLE users DROP COLUMN calendar_token;
ALTER TABLE users DROP COLUMN timezone;
