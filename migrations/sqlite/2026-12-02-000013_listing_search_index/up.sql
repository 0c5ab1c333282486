-- The search pages list the newest open listings: with (status, id) the
-- database walks them newest first and stops at the page's end, instead
-- of sorting every open listing (SQLite chose the (status, expires_at)
-- index without statistics, then sorted 100,000 rows: 220 ms a page).
CREATE INDEX listings_status_recent ON listings (status, id);
