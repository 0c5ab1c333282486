-- Failed log-ins (and log-ins being checked), so that every process
-- sharing the database counts them together: one row per try, by the
-- address it came from and the account it named (a digest: the account's
-- id, or what was typed when no account has that name). Rows older than
-- the longest window are deleted as new tries come in.
CREATE TABLE login_attempts (
    id BIGINT PRIMARY KEY NOT NULL,
    ip TEXT NOT NULL,
    account TEXT NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_ip ON login_attempts (ip, attempted_at);
CREATE INDEX login_attempts_account ON login_attempts (account, attempted_at);
CREATE INDEX login_attempts_time ON login_attempts (attempted_at);
