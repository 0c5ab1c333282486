-- The gazetteer (`maillage admin places import`): towns and villages from
-- GeoNames dumps and the French communes files, for "near Die" searches.
-- A place is known by its source and its id there, so a new import of the
-- same file updates it. `folded` is `core::places::search_key(name)`:
-- letters, digits and single spaces, searched by prefix. SQLite uses an
-- index for `LIKE 'die%'` only on a NOCASE column (the key is lower case
-- already, so NOCASE changes no answer). The index holds what ranks the
-- matches (population, point) and their keys, so that a short prefix
-- shared by thousands of places is ranked without reading the table.
CREATE TABLE places (
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    name TEXT NOT NULL,
    folded TEXT NOT NULL COLLATE NOCASE,
    postcodes TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    population BIGINT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (source, source_id)
);
CREATE INDEX places_folded ON places (folded, population, latitude, longitude, source, source_id);
-- Each postcode of a place (a commune may have several, and a postcode
-- several communes).
CREATE TABLE place_postcodes (
    postcode TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    PRIMARY KEY (postcode, source, source_id)
);
CREATE INDEX place_postcodes_place ON place_postcodes (source, source_id);
