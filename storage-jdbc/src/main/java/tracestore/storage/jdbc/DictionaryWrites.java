package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tracestore.storage.Chunk;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.WriteBatch;

/**
 * Stores the {@link ChunkDictionary}s of write batches in {@code chunk_dictionaries}, in the batch's
 * transaction and before its chunks, and remembers which are stored so repeats cost nothing.
 *
 * <p><b>Retention rule.</b> A row's {@code used_until_ns} is the end of the UTC day of the latest
 * chunk start ({@code start_ns}, the key retention deletes by) of any batch that carried the
 * dictionary; upserts only raise it. So every chunk referencing a dictionary starts before its
 * {@code used_until_ns}, and once retention has deleted every chunk starting before {@code t}, the
 * dictionaries with {@code used_until_ns <= t} are referenced by no kept chunk ({@link
 * #DELETE_UNUSED}). A dictionary outlives its last chunk by less than a day.
 *
 * <p><b>Repeats.</b> A bounded map ({@link #MAX_KNOWN} ids, least recently used evicted) holds, per
 * dictionary this instance stored, the {@code used_until_ns} committed and when. A batch writes a
 * dictionary again only when it needs a later day, or when that commit is older than {@link
 * #REFRESH_NANOS}: the second bounds how long this instance could trust a row that another instance's
 * retention deleted (only possible when the batch's chunks start before that retention's cut-off).
 * Thread-safe.
 */
final class DictionaryWrites {
  static final String UPSERT =
      "INSERT INTO chunk_dictionaries (id, used_until_ns, payload) VALUES (?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET used_until_ns = excluded.used_until_ns"
          + " WHERE chunk_dictionaries.used_until_ns < excluded.used_until_ns";
  static final String DELETE_UNUSED = "DELETE FROM chunk_dictionaries WHERE used_until_ns <= ?";
  static final int MAX_KNOWN = 4096;
  static final long REFRESH_NANOS = TimeUnit.HOURS.toNanos(1);

  /** One row to upsert. */
  record Row(long id, long usedUntilNanos, byte[] payload) {}

  private record Known(long usedUntilNanos, long committedAtNanos) {}

  private final Map<Long, Known> known = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Known> eldest) {
      return size() > MAX_KNOWN;
    }
  };

  /** The end (exclusive) of the UTC day of {@code epochNanos}. */
  static long dayEnd(long epochNanos) {
    return (Partitions.dayOf(epochNanos) + 1) * Partitions.NANOS_PER_DAY;
  }

  /**
   * The rows {@code batch} must write before its chunks, given what this instance has stored; an
   * empty list (no allocation) when the batch carries no dictionary or every one is known.
   */
  List<Row> toWrite(WriteBatch batch, long nowNanos) {
    List<ChunkDictionary> dictionaries = batch.dictionaries();
    if (dictionaries.isEmpty()) return List.of();
    long latestStart = Long.MIN_VALUE;
    for (Chunk c : batch.chunks()) latestStart = Math.max(latestStart, c.minStartEpochNanos());
    if (latestStart == Long.MIN_VALUE) return List.of(); // no chunk references anything
    long usedUntil = dayEnd(latestStart);
    List<Row> rows = List.of();
    synchronized (known) {
      for (ChunkDictionary d : dictionaries) {
        Known k = known.get(d.id());
        if (k != null && k.usedUntilNanos >= usedUntil && nowNanos - k.committedAtNanos < REFRESH_NANOS) {
          continue;
        }
        if (rows.isEmpty()) rows = new ArrayList<>(dictionaries.size());
        rows.add(new Row(d.id(), usedUntil, d.payload()));
      }
    }
    return rows;
  }

  /**
   * Upserts {@code rows} in the caller's transaction, one row per id (the latest day wins) in id
   * order, so two transactions lock shared rows in the same order, before any chunk.
   */
  void write(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) return;
    TreeMap<Long, Row> byId = merge(rows);
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Row r : byId.values()) {
        ps.setLong(1, r.id());
        ps.setLong(2, r.usedUntilNanos());
        ps.setBytes(3, r.payload());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Records {@code rows} as committed at {@code nowNanos}. */
  void committed(List<Row> rows, long nowNanos) {
    if (rows.isEmpty()) return;
    synchronized (known) {
      for (Row r : rows) {
        Known k = known.get(r.id());
        long usedUntil = k == null ? r.usedUntilNanos() : Math.max(k.usedUntilNanos, r.usedUntilNanos());
        known.put(r.id(), new Known(usedUntil, nowNanos));
      }
    }
  }

  /**
   * Deletes the dictionaries no kept chunk can reference, once every chunk starting before {@code
   * keptFromNanos} is deleted; returns how many.
   */
  static int deleteUnused(Connection c, long keptFromNanos) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DELETE_UNUSED)) {
      ps.setLong(1, keptFromNanos);
      return ps.executeUpdate();
    }
  }

  /** Forgets every stored id (tests truncate the table). */
  void clear() {
    synchronized (known) {
      known.clear();
    }
  }

  private static TreeMap<Long, Row> merge(List<Row> rows) {
    TreeMap<Long, Row> byId = new TreeMap<>();
    for (Row r : rows) byId.merge(r.id(), r, (a, b) -> a.usedUntilNanos() >= b.usedUntilNanos() ? a : b);
    return byId;
  }
}
