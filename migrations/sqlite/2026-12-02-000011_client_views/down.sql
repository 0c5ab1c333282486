DROP TABLE bookmarks;
DROP TABLE markers;
DELETE FROM posts WHERE kind IN ('Listing', 'Event');
