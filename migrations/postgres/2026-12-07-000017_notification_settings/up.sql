-- How each person wants to hear of each kind of event: in the app or not,
-- and by e-mail at once, in a daily or weekly digest, or not at all. No
-- row: the defaults of `maillage_core::notify`.
CREATE TABLE notification_settings (
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    app BOOLEAN NOT NULL,
    email TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
-- What is to be e-mailed: taken at once (`instant`) or gathered into the
-- person's next digest (`daily`, `weekly`) by the mail of notifications.
CREATE TABLE notification_mails (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    from_actor_id BIGINT,
    post_id BIGINT,
    match_id BIGINT,
    period TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notification_mails_due ON notification_mails (period, user_id, id);
-- When each person's last digest of each period went out.
CREATE TABLE mail_digests (
    user_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    last_sent_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, period)
);
-- Secrets the node makes for itself once (the key unsubscribe links are
-- signed with).
CREATE TABLE node_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
