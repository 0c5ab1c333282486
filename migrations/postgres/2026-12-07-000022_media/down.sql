DROP TABLE media;
ALTER TABLE actors DROP COLUMN image_url;
