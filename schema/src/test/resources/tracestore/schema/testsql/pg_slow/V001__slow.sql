-- A migration that takes a while, so a second migrator started meanwhile must wait for the lock.
SELECT pg_sleep(1.5);
CREATE TABLE slow_marker (x integer);
INSERT INTO slow_marker VALUES (1);
