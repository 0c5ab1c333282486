-- How each person wants to hear of new matches, and when their last
-- digest went out.
ALTER TABLE users ADD COLUMN match_notifications TEXT NOT NULL DEFAULT 'instant'
    CHECK (match_notifications IN ('instant', 'digest', 'none'));
ALTER TABLE users ADD COLUMN digest_sent_at BIGINT;

-- Mediators of a group review the knowledge-exchange pairings of its
-- listings before the people are told. A remote listing says on the wire
-- which group reviews its pairings (`mediatedBy`): those listings are kept
-- here, with the group's URI.
ALTER TABLE memberships ADD COLUMN mediator BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE mediated_listings (
    listing_id BIGINT PRIMARY KEY NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    group_uri TEXT NOT NULL
);

-- review: 'none' (nobody reviews), 'pending', 'approved', 'rejected';
-- review_group_id: the local group whose mediators review it (NULL when a
-- remote group does, or nobody); released_at: when
-- the people could first see it (NULL while held).
ALTER TABLE matches ADD COLUMN review TEXT NOT NULL DEFAULT 'none'
    CHECK (review IN ('none', 'pending', 'approved', 'rejected'));
ALTER TABLE matches ADD COLUMN review_group_id BIGINT;
ALTER TABLE matches ADD COLUMN reviewed_by BIGINT;
ALTER TABLE matches ADD COLUMN released_at BIGINT;
UPDATE matches SET released_at = created_at;
CREATE INDEX matches_review ON matches (review_group_id, review);

-- A remote group's mediators approved this pairing (it may arrive before
-- this node has found the match itself).
CREATE TABLE pairing_approvals (
    need_uri TEXT NOT NULL,
    offer_uri TEXT NOT NULL,
    group_uri TEXT NOT NULL,
    post_id BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    approved_at BIGINT NOT NULL,
    PRIMARY KEY (need_uri, offer_uri)
);

-- What a local person is told: a match (instant), a digest of matches, a
-- pairing approved by mediators; later follows, mentions, boosts…
-- The text people read is a post (a direct message from the territory
-- or the group), so that every Mastodon app shows it.
CREATE TABLE notifications (
    id BIGINT PRIMARY KEY NOT NULL,
    recipient_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    from_actor_id BIGINT REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    match_id BIGINT REFERENCES matches (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    dismissed_at BIGINT
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);

-- A post may link the two listings a mediator paired (FEP-e232 object
-- links): a third kind of post tag.
ALTER TABLE post_tags DROP CONSTRAINT post_tags_kind_check;
ALTER TABLE post_tags ADD CONSTRAINT post_tags_kind_check CHECK (kind IN ('hashtag', 'mention', 'pairing'));

-- Who may see a followers-only listing changes with the author's follows:
-- log those listings as changed, so that the matcher pairs them again.
CREATE FUNCTION note_follow_change() RETURNS trigger AS $$
DECLARE
    author BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN author := OLD.followed_id; ELSE author := NEW.followed_id; END IF;
    INSERT INTO listing_changes (listing_id)
        SELECT id FROM listings WHERE author_id = author AND visibility = 'followers';
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER listing_changes_follow AFTER INSERT OR DELETE OR UPDATE OF state ON follows
    FOR EACH ROW EXECUTE FUNCTION note_follow_change();
