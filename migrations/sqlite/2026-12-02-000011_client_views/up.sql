-- Every listing and session is also a status, so that Mastodon apps show
-- them in timelines, threads and notifications: a row in `posts` with the
-- listing's (or session's) own id and kind `Listing` (or `Event`). The
-- content is rendered when read; the row carries who, when and for whom.
-- Visibility: listings' `private` is `direct` here (its author only) and
-- `territory` is `followers` (kept out of public timelines); who may see a
-- view is always decided by its listing's own rule.
INSERT INTO posts (id, ap_id, author_id, kind, content_html, source, summary, sensitive,
                   visibility, in_reply_to, url, language, to_json, cc_json, local,
                   published_at, updated_at, deleted_at)
SELECT l.id, l.ap_id, l.author_id, 'Listing', '', NULL, '', FALSE,
       CASE l.visibility WHEN 'private' THEN 'direct' WHEN 'territory' THEN 'followers' ELSE l.visibility END,
       NULL, l.url, NULL, '[]', '[]', l.local, l.published_at, l.updated_at, l.deleted_at
FROM listings l
WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = l.id OR p.ap_id = l.ap_id);

INSERT INTO posts (id, ap_id, author_id, kind, content_html, source, summary, sensitive,
                   visibility, in_reply_to, url, language, to_json, cc_json, local,
                   published_at, updated_at, deleted_at)
SELECT s.id, s.ap_id, s.organizer_id, 'Event', '', NULL, '', FALSE, 'public',
       NULL, s.url, NULL, '[]', '[]', s.local, s.published_at, s.updated_at, s.deleted_at
FROM sessions s
WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = s.id OR p.ap_id = s.ap_id);

-- Where a person stopped reading (Mastodon's markers): one row per
-- timeline (`home`, `notifications`), `version` counts the updates.
CREATE TABLE markers (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, timeline)
);

-- Statuses a person keeps for later; private to them, never federated.
CREATE TABLE bookmarks (
    id BIGINT PRIMARY KEY NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, post_id)
);
