-- Knowledge-exchange sessions (ActivityPub Events, as Mobilizon sends
-- them), and who takes part: going, or waiting for a place.
CREATE TABLE sessions (
    id BIGINT PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    organizer_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description_html TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT,
    timezone TEXT,
    place_name TEXT NOT NULL DEFAULT '',
    place_address TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    capacity INTEGER,
    join_mode TEXT NOT NULL DEFAULT 'free',
    local BOOLEAN NOT NULL,
    url TEXT,
    published_at BIGINT NOT NULL,
    updated_at BIGINT,
    deleted_at BIGINT
);
CREATE INDEX sessions_starts ON sessions (starts_at);

CREATE TABLE participations (
    id BIGINT PRIMARY KEY NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- pending: asked a remote organizer, no answer yet.
    state TEXT NOT NULL CHECK (state IN ('going', 'waiting', 'pending')),
    ap_id TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (session_id, participant_id)
);
CREATE INDEX participations_session ON participations (session_id, state, id);
