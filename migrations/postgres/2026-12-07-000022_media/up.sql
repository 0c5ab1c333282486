-- Media: pictures people upload (kept as files the node made itself) and
-- those of other servers (known by their address, copied on first use).
-- A media belongs to its uploader until it is attached to a status, a
-- listing or a session (which share their ids), or made an avatar or
-- header.
CREATE TABLE media (
    id BIGINT PRIMARY KEY NOT NULL,
    owner_id BIGINT NOT NULL,
    post_id BIGINT,
    -- Or the actor (person, group) whose avatar (position 0) or header
    -- (position 1) it is.
    actor_id BIGINT,
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    focus_x DOUBLE PRECISION NOT NULL DEFAULT 0,
    focus_y DOUBLE PRECISION NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    file_key TEXT,
    file_size BIGINT NOT NULL DEFAULT 0,
    width INTEGER,
    height INTEGER,
    preview_key TEXT,
    preview_content_type TEXT,
    preview_width INTEGER,
    preview_height INTEGER,
    blurhash TEXT,
    remote_url TEXT,
    cached_at BIGINT,
    -- In every URL of the media's files: ids follow the clock, so a
    -- picture of a private listing must not be found by counting.
    secret TEXT NOT NULL,
    -- Taken off what it was attached to: no longer served, its files
    -- removed by the next sweep.
    removed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_post ON media (post_id, position);
CREATE INDEX media_owner ON media (owner_id, created_at);
CREATE INDEX media_cached ON media (cached_at);
CREATE INDEX media_removed ON media (removed_at);
CREATE INDEX media_actor ON media (actor_id);
-- A profile's header picture (its avatar is icon_url).
ALTER TABLE actors ADD COLUMN image_url TEXT;
