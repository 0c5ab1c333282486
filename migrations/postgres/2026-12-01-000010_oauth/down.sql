ALTER TABLE access_tokens DROP COLUMN app_id;
DROP TABLE oauth_codes;
DROP TABLE oauth_apps;
