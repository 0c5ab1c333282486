-- Collectives, initiatives and projects: Group actors with what makes
-- them a group here, and their members.
CREATE TABLE groups (
    actor_id BIGINT PRIMARY KEY NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('collective', 'initiative', 'project')),
    place_name TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    website TEXT,
    join_policy TEXT NOT NULL CHECK (join_policy IN ('open', 'approval')),
    project_status TEXT CHECK (project_status IN ('idea', 'active', 'done')),
    goals TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    id BIGINT PRIMARY KEY NOT NULL,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'member')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    ap_id TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (group_id, member_id)
);
CREATE INDEX memberships_member ON memberships (member_id);
