-- Private conversations: direct posts grouped by thread or by the
-- `context` their author gave them, about a listing or a session when
-- they began from one. `ap_context` is the URI peers group them by (ours
-- is this node's conversation URL, a peer's is kept as it sent it).
CREATE TABLE conversations (
    id BIGINT PRIMARY KEY NOT NULL,
    ap_context TEXT NOT NULL UNIQUE,
    listing_id BIGINT,
    session_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One row per local person taking part: what they last received, whether
-- they read it, and whether they removed it from their list (it comes back
-- with the next message).
CREATE TABLE conversation_members (
    id BIGINT PRIMARY KEY NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL,
    last_post_id BIGINT NOT NULL,
    unread BOOLEAN NOT NULL,
    hidden BOOLEAN NOT NULL,
    UNIQUE (conversation_id, actor_id)
);
CREATE INDEX conversation_members_list ON conversation_members (actor_id, hidden, last_post_id);
ALTER TABLE posts ADD COLUMN conversation_id BIGINT;
CREATE INDEX posts_conversation ON posts (conversation_id, id);
-- What a person shares with the other side once an interest is accepted.
CREATE TABLE contact_details (
    user_id BIGINT PRIMARY KEY NOT NULL,
    share_email BOOLEAN NOT NULL,
    phone TEXT NOT NULL,
    other TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- A local person's blocks and mutes of other actors.
CREATE TABLE blocks (
    id BIGINT PRIMARY KEY NOT NULL,
    actor_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, target_id, kind)
);
CREATE INDEX blocks_target ON blocks (target_id);
