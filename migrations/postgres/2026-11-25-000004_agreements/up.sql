-- "I'm interested": a FEP-0837 Agreement offered by someone to the author
-- of a listing, answered by the author, and fulfilled by either side.
CREATE TABLE agreements (
    id BIGINT PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    offer_ap_id TEXT NOT NULL UNIQUE,
    listing_id BIGINT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    initiator_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    responder_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'rejected', 'fulfilled')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_listing ON agreements (listing_id);
CREATE INDEX agreements_initiator ON agreements (initiator_id);
CREATE INDEX agreements_responder ON agreements (responder_id);
