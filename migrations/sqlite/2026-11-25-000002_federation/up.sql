-- Actors: local people, groups, the territory and the instance actor (with
-- their private keys), and every remote actor we have seen (without).
CREATE TABLE actors (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL,
    domain TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    summary_html TEXT NOT NULL DEFAULT '',
    inbox_url TEXT NOT NULL,
    shared_inbox_url TEXT,
    outbox_url TEXT,
    followers_url TEXT,
    following_url TEXT,
    url TEXT,
    icon_url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    manually_approves_followers BOOLEAN NOT NULL DEFAULT FALSE,
    local BOOLEAN NOT NULL,
    -- 'instance' or 'territory' for the node's own actors, NULL otherwise.
    purpose TEXT,
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    fetched_at BIGINT,
    UNIQUE (username_lower, domain)
);
CREATE INDEX actors_domain ON actors (domain);

CREATE TABLE follows (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    follower_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    followed_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (follower_id, followed_id)
);
CREATE INDEX follows_followed ON follows (followed_id, state);

-- Notes, local and remote. A deleted post keeps its row (deleted_at set,
-- content emptied) so that its URL answers 410 Gone with a Tombstone.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'Note',
    content_html TEXT NOT NULL DEFAULT '',
    source TEXT,
    summary TEXT NOT NULL DEFAULT '',
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'followers', 'direct')),
    in_reply_to TEXT,
    url TEXT,
    language TEXT,
    to_json TEXT NOT NULL DEFAULT '[]',
    cc_json TEXT NOT NULL DEFAULT '[]',
    local BOOLEAN NOT NULL,
    published_at BIGINT NOT NULL,
    updated_at BIGINT,
    deleted_at BIGINT
);
CREATE INDEX posts_author ON posts (author_id, id);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to);

CREATE TABLE post_tags (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hashtag', 'mention')),
    name TEXT NOT NULL,
    href TEXT
);
CREATE INDEX post_tags_post ON post_tags (post_id);
CREATE INDEX post_tags_name ON post_tags (kind, name);

CREATE TABLE announces (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, post_id)
);

CREATE TABLE likes (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, post_id)
);

-- Flag activities, for moderators.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY NOT NULL,
    ap_id TEXT UNIQUE,
    reporter_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_actor_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    object_ids_json TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);

-- Ids of activities already received, so that a second delivery of the
-- same activity has no effect.
CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX received_activities_at ON received_activities (received_at);

-- The persistent delivery queue: one row per (activity, inbox), written in
-- the same transaction as the change that caused it.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY NOT NULL,
    activity_ap_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    signer_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    inbox_url TEXT NOT NULL,
    host TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_claim ON deliveries (claimed_by);
CREATE INDEX deliveries_finished ON deliveries (finished_at);

-- What we know of other servers' health, to stop hammering dead ones.
CREATE TABLE instances (
    id INTEGER PRIMARY KEY NOT NULL,
    host TEXT NOT NULL UNIQUE,
    failure_count INTEGER NOT NULL DEFAULT 0,
    first_failure_at BIGINT,
    last_success_at BIGINT,
    dead_since BIGINT,
    updated_at BIGINT NOT NULL
);
