ALTER TABLE actors DROP COLUMN longitude;
ALTER TABLE actors DROP COLUMN latitude;
DROP TABLE territory_links;
DROP TABLE node_settings;
DROP TABLE content_filters;
DROP TABLE domain_allows;
DROP TABLE domain_blocks;
