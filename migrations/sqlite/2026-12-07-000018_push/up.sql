-- Web Push: each person's choice per kind, the subscriptions apps make
-- (one per access token, as Mastodon has it), and what waits to be pushed.
ALTER TABLE notification_settings ADD COLUMN push BOOLEAN NOT NULL DEFAULT TRUE;
CREATE TABLE push_subscriptions (
    id BIGINT PRIMARY KEY NOT NULL,
    token_id BIGINT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    alerts TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
CREATE TABLE push_pending (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL,
    notification_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
