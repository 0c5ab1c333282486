-- Federation policies set by the admins. Every process reads them into a
-- snapshot and reloads it when `policy_version` in node_settings changes.
CREATE TABLE domain_blocks (
    id BIGINT PRIMARY KEY NOT NULL,
    domain TEXT NOT NULL UNIQUE,
    severity TEXT NOT NULL CHECK (severity IN ('suspend', 'limit', 'noop')),
    reject_media BOOLEAN NOT NULL DEFAULT FALSE,
    reject_reports BOOLEAN NOT NULL DEFAULT FALSE,
    private_comment TEXT NOT NULL DEFAULT '',
    public_comment TEXT NOT NULL DEFAULT '',
    obfuscate BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE domain_allows (
    id BIGINT PRIMARY KEY NOT NULL,
    domain TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE content_filters (
    id BIGINT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('keyword', 'hashtag', 'object_types', 'max_distance_km', 'max_age_days')),
    value TEXT NOT NULL,
    domain TEXT,
    action TEXT NOT NULL CHECK (action IN ('reject', 'flag')),
    created_at BIGINT NOT NULL
);

-- Small settings an admin changes at run time (the federation mode, the
-- policy version), as text.
CREATE TABLE node_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO node_settings (key, value, updated_at) VALUES ('policy_version', '0', 0);

-- Links between this territory and another: the two territory actors
-- follow each other, each side approved by its admin.
CREATE TABLE territory_links (
    id BIGINT PRIMARY KEY NOT NULL,
    partner_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    level TEXT NOT NULL CHECK (level IN ('full', 'listings')),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'requested', 'active', 'ended')),
    initiated_here BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    ended_at BIGINT
);

-- Where an actor says it is (a territory's centre, a group's place).
ALTER TABLE actors ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE actors ADD COLUMN longitude DOUBLE PRECISION;
