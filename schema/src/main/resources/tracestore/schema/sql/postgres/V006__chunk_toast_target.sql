-- tracestore schema, version 6, PostgreSQL: chunk rows of up to 8160 bytes stay inline.
--
-- With the default toast_tuple_target (about 2 kB), every chunk row over it had its payload moved to
-- the partition's TOAST table: a second heap row and a TOAST index entry per chunk, about a third of
-- them on realistic traces, paid on every write and read again on every trace read. Payloads are LZ4
-- and stored uncompressed (V004), so a row up to 8160 bytes now stays in the heap page; larger ones
-- still go to TOAST. PostgreSQL 15 takes no storage parameters on a partitioned table: the backend
-- creates each new chunks partition WITH (toast_tuple_target = 8160) (Partitions.java), and this sets
-- it on the partitions that already exist (rows already stored are not rewritten).

DO $$
DECLARE
  part regclass;
BEGIN
  FOR part IN
    SELECT i.inhrelid::regclass FROM pg_inherits i
    WHERE i.inhparent = to_regclass('chunks')
  LOOP
    EXECUTE format('ALTER TABLE %s SET (toast_tuple_target = 8160)', part);
  END LOOP;
END
$$;
