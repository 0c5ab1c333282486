-- A person's own time zone (IANA name); empty means the territory's.
ALTER TABLE users ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
-- The secret of a person's private calendar address (their sessions as
-- iCalendar); empty until they first ask for it, replaced to revoke it.
ALTER TABLE users ADD COLUMN calendar_token TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_calendar_token ON users (calendar_token) WHERE calendar_token <> '';
