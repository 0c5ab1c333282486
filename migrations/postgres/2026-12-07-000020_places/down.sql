DROP TABLE place_postcodes;
DROP TABLE places;
