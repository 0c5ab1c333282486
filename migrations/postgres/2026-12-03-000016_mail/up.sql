-- Outgoing e-mail, waiting like deliveries do: written in the transaction
-- of the change that caused it, claimed by a sender with a lease, retried
-- with backoff, kept a while after it ends. One row per (recipient,
-- event): a second queueing of the same event for the same address is
-- ignored, and the row's message_id (derived from that pair) lets a
-- receiver drop the rare copy sent again after a crash.
CREATE TABLE mail_outbox (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    event_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    unsubscribe_url TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE UNIQUE INDEX mail_outbox_once ON mail_outbox (recipient, event_key);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_claim ON mail_outbox (claimed_by);
CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at);

-- Single-use links sent by e-mail: password resets, sign-up and e-mail
-- change confirmations. Only the secret's SHA-256 digest is kept.
CREATE TABLE mail_tokens (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'confirm_signup', 'change_email')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX mail_tokens_user ON mail_tokens (user_id, purpose);

-- When the account's address was confirmed by a link (NULL: never asked,
-- or not yet).
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
