-- Polls (ActivityStreams Question) of posts, with their options and counts
-- as their server last told them, and the votes people here cast.
CREATE TABLE polls (
    post_id BIGINT PRIMARY KEY NOT NULL,
    multiple BOOLEAN NOT NULL,
    options_json TEXT NOT NULL,
    voters_count BIGINT,
    expires_at BIGINT,
    closed_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE poll_votes (
    id BIGINT PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL,
    voter_id BIGINT NOT NULL,
    choice INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, voter_id, choice)
);
