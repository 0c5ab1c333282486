-- Searches by distance read the point of every open listing inside a
-- circle's bounding box: a range on latitude within one status, instead of
-- walking every open listing newest first.
CREATE INDEX listings_status_point ON listings (status, latitude, longitude);
