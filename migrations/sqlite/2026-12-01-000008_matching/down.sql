DELETE FROM node_settings WHERE key IN ('matcher_seq', 'matcher_lease');
DROP TABLE matches;
DROP TRIGGER listing_changes_delete;
DROP TRIGGER listing_changes_update;
DROP TRIGGER listing_changes_insert;
DROP TABLE listing_changes;
