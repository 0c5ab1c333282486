-- Offers and needs, local and received from other territories. Tags are
-- kept as one space-separated lower-case text (" velo reparation ") so that
-- a tag filter is a plain LIKE on both backends.
CREATE TABLE listings (
    id BIGINT PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- The group (collective, initiative, project) it is published in.
    group_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('offer', 'need')),
    category TEXT NOT NULL,
    direction TEXT,
    title TEXT NOT NULL,
    description_source TEXT,
    description_html TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    place_name TEXT NOT NULL DEFAULT '',
    place_address TEXT,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    radius_km DOUBLE PRECISION NOT NULL DEFAULT 0,
    available_from BIGINT,
    available_until BIGINT,
    quantity_amount DOUBLE PRECISION,
    quantity_unit TEXT,
    terms_mode TEXT NOT NULL,
    terms_hours DOUBLE PRECISION,
    terms_amount TEXT,
    terms_currency TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'territory', 'followers', 'private')),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'fulfilled', 'withdrawn', 'expired')),
    local BOOLEAN NOT NULL,
    url TEXT,
    published_at BIGINT NOT NULL,
    updated_at BIGINT,
    expires_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX listings_active ON listings (status, expires_at);
CREATE INDEX listings_author ON listings (author_id, id);
CREATE INDEX listings_category ON listings (category, kind);
