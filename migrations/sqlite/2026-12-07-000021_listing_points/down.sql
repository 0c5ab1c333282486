DROP INDEX listings_status_point;
