DROP TABLE participations;
DROP TABLE sessions;
