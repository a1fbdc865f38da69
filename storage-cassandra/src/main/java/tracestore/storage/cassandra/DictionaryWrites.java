package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tracestore.storage.ChunkDictionary;

/**
 * Writes the chunk dictionaries of a write before its chunks, and only those this instance has not
 * written lately.
 *
 * <p><b>Retention rule.</b> A chunk expires by the {@code chunks} table's {@code
 * default_time_to_live} T, counted from its write. A dictionary is written with TTL T + R, where the
 * refresh margin R is T / 7 (one day for the default 7 days; at least 1 s). This instance writes it
 * again before a chunk that may reference it whenever less than T + R / 2 of its last write's
 * lifetime is left, i.e. about R / 2 after that write. So every chunk written after a dictionary's
 * last write expires at least R / 2 before it (the half margin covers request latency and node clock
 * skew), and the dictionary outlives the last such chunk by at most R. T is read from the driver's
 * schema metadata at each write, so an {@code ALTER TABLE chunks WITH default_time_to_live} applies
 * from the next one; T = 0 (no expiry) writes dictionaries without TTL.
 *
 * <p>A bounded map ({@link #MAX_KNOWN} ids, least recently used evicted) holds when each written
 * dictionary expires, on {@link System#nanoTime()}'s clock, counted from before the write was sent.
 * Thread-safe.
 */
final class DictionaryWrites {
  static final int MAX_KNOWN = 4096;
  /** Cassandra's largest TTL (20 years), in seconds. */
  static final int MAX_TTL_SECONDS = 630_720_000;
  private static final long NEVER = Long.MAX_VALUE;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final CqlIdentifier CHUNKS = CqlIdentifier.fromInternal("chunks");
  private static final CqlIdentifier DEFAULT_TTL = CqlIdentifier.fromInternal("default_time_to_live");

  private final Statements st;
  private final InFlight inFlight;
  /** The chunks TTL read when the storage was built, for sessions without schema metadata. */
  private final int startupChunkTtl;
  private final Map<Long, Long> expiresAtNanos = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > MAX_KNOWN;
    }
  };

  DictionaryWrites(Statements st, InFlight inFlight) {
    this.st = st;
    this.inFlight = inFlight;
    this.startupChunkTtl = queryChunkTtl(st);
  }

  /** The refresh margin R for a chunk TTL, in seconds (see the class comment). */
  static int marginSeconds(int chunkTtlSeconds) {
    return Math.max(1, chunkTtlSeconds / 7);
  }

  /** A dictionary's TTL for a chunk TTL, in seconds; 0 (no expiry) when chunks do not expire. */
  static int dictionaryTtlSeconds(int chunkTtlSeconds) {
    if (chunkTtlSeconds <= 0) return 0;
    return (int) Math.min(MAX_TTL_SECONDS, (long) chunkTtlSeconds + marginSeconds(chunkTtlSeconds));
  }

  /**
   * Writes the dictionaries not written lately; the future completes when they are acknowledged
   * (at once when none needs writing), or fails with the storage's classified failure.
   */
  CompletableFuture<Void> store(List<ChunkDictionary> dictionaries) {
    if (dictionaries.isEmpty()) return DONE;
    long now = System.nanoTime();
    int chunkTtl = chunkTtlSeconds();
    List<ChunkDictionary> due = due(dictionaries, now, chunkTtl);
    if (due.isEmpty()) return DONE;
    int ttl = dictionaryTtlSeconds(chunkTtl);
    List<BoundStatement> statements = new ArrayList<>(due.size());
    for (ChunkDictionary d : due) statements.add(st.insertDictionary.bind(d, ttl));
    long expires = ttl == 0 ? NEVER : now + ttl * NANOS_PER_SECOND;
    return inFlight
        .executeAll(statements, "writing " + due.size() + " chunk dictionaries")
        .thenRun(() -> written(due, expires));
  }

  /** The dictionaries to write now, each once: unknown, or with too little lifetime left. */
  List<ChunkDictionary> due(List<ChunkDictionary> dictionaries, long nowNanos, int chunkTtlSeconds) {
    // the lifetime a dictionary must have left to skip it: T + R / 2
    long needed = chunkTtlSeconds <= 0 ? NEVER
        : chunkTtlSeconds * NANOS_PER_SECOND + marginSeconds(chunkTtlSeconds) * NANOS_PER_SECOND / 2;
    List<ChunkDictionary> due = List.of();
    synchronized (expiresAtNanos) {
      for (ChunkDictionary d : dictionaries) {
        Long expires = expiresAtNanos.get(d.id());
        boolean fresh = expires != null
            && (expires == NEVER || (needed != NEVER && expires - nowNanos >= needed));
        if (fresh || contains(due, d.id())) continue;
        if (due.isEmpty()) due = new ArrayList<>(dictionaries.size());
        due.add(d);
      }
    }
    return due;
  }

  private void written(List<ChunkDictionary> written, long expiresAt) {
    synchronized (expiresAtNanos) {
      for (ChunkDictionary d : written) expiresAtNanos.merge(d.id(), expiresAt, Math::max);
    }
  }

  private static boolean contains(List<ChunkDictionary> list, long id) {
    for (ChunkDictionary d : list) if (d.id() == id) return true;
    return false;
  }

  /** The chunks table's default TTL now: from the driver's schema metadata, else from startup. */
  int chunkTtlSeconds() {
    Object ttl = st.ctx.session().getMetadata().getKeyspace(st.ctx.keyspace())
        .flatMap(k -> k.getTable(CHUNKS))
        .map(TableMetadata::getOptions)
        .map(o -> o.get(DEFAULT_TTL))
        .orElse(null);
    return ttl instanceof Integer i ? i : startupChunkTtl;
  }

  private static int queryChunkTtl(Statements st) {
    Row row = st.ctx.session().execute(
        "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
        st.ctx.keyspace().asInternal(), "chunks").one();
    if (row == null) {
      throw new IllegalStateException("keyspace " + st.ctx.keyspace().asInternal()
          + " has no chunks table: run tracestore migrate");
    }
    return row.getInt(0);
  }
}
