-- Every change to a listing (insert, update, delete, cascades included),
-- in order: the matcher follows this log, whatever wrote the listing
-- (a use case, the inbox, a purge).
CREATE TABLE listing_changes (
    seq BIGSERIAL PRIMARY KEY,
    listing_id BIGINT NOT NULL
);
CREATE FUNCTION note_listing_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO listing_changes (listing_id) VALUES (OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO listing_changes (listing_id) VALUES (NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER listing_changes AFTER INSERT OR UPDATE OR DELETE ON listings
    FOR EACH ROW EXECUTE FUNCTION note_listing_change();

-- One row per need/offer pair, updated when either changes, removed when
-- either closes. Each side's person keeps their own state of it.
CREATE TABLE matches (
    id BIGINT PRIMARY KEY NOT NULL,
    need_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    offer_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    score DOUBLE PRECISION NOT NULL,
    -- JSON: [{"code": …, "en": …, "fr": …}]
    reasons TEXT NOT NULL,
    need_state TEXT NOT NULL DEFAULT 'new' CHECK (need_state IN ('new', 'dismissed', 'responded')),
    offer_state TEXT NOT NULL DEFAULT 'new' CHECK (offer_state IN ('new', 'dismissed', 'responded')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (need_id, offer_id)
);
CREATE INDEX matches_offer ON matches (offer_id);

-- Where the matcher is in the change log, and which process holds the
-- matcher's lease ("holder until_micros"), for several processes.
INSERT INTO node_settings (key, value, updated_at) VALUES ('matcher_seq', '0', 0);
INSERT INTO node_settings (key, value, updated_at) VALUES ('matcher_lease', '', 0);
