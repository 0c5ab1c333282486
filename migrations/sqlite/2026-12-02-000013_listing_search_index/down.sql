DROP INDEX listings_status_recent;
