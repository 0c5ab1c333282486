-- OAuth 2 clients (Mastodon's "apps"): the secret is stored as a SHA-256
-- digest, shown once at registration.
CREATE TABLE oauth_apps (
    id BIGINT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    -- One URI per line; `urn:ietf:wg:oauth:2.0:oob` for out-of-band.
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    website TEXT,
    created_at BIGINT NOT NULL
);

-- Authorization codes, single use, short-lived; PKCE when the client
-- sent a challenge.
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The app a token was issued to (none for tokens made by the CLI).
ALTER TABLE access_tokens ADD COLUMN app_id BIGINT REFERENCES oauth_apps (id) ON DELETE CASCADE;
