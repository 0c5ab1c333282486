DROP TABLE memberships;
DROP TABLE groups;
