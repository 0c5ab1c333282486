DROP TRIGGER listing_changes_follow_delete;
DROP TRIGGER listing_changes_follow_update;
DROP TRIGGER listing_changes_follow_insert;
DELETE FROM post_tags WHERE kind = 'pairing';
CREATE TABLE post_tags_old (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hashtag', 'mention')),
    name TEXT NOT NULL,
    href TEXT
);
INSERT INTO post_tags_old (id, post_id, kind, name, href) SELECT id, post_id, kind, name, href FROM post_tags;
DROP TABLE post_tags;
ALTER TABLE post_tags_old RENAME TO post_tags;
CREATE INDEX post_tags_post ON post_tags (post_id);
CREATE INDEX post_tags_name ON post_tags (kind, name);
DROP TABLE notifications;
DROP TABLE pairing_approvals;
DROP INDEX matches_review;
ALTER TABLE matches DROP COLUMN released_at;
ALTER TABLE matches DROP COLUMN reviewed_by;
ALTER TABLE matches DROP COLUMN review_group_id;
ALTER TABLE matches DROP COLUMN review;
DROP TABLE mediated_listings;
ALTER TABLE memberships DROP COLUMN mediator;
ALTER TABLE users DROP COLUMN digest_sent_at;
ALTER TABLE users DROP COLUMN match_notifications;
