-- A migration that takes a while (a few hundred ms), so a second migrator must wait for the lock.
CREATE TABLE slow_marker (x INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
INSERT INTO slow_marker SELECT x FROM c;
