DELETE FROM node_settings WHERE key IN ('matcher_seq', 'matcher_lease');
DROP TABLE matches;
DROP TRIGGER listing_changes ON listings;
DROP FUNCTION note_listing_change();
DROP TABLE listing_changes;
