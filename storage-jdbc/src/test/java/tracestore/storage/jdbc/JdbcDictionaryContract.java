package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.MINUTE;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.IndexPolicy;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Chunk dictionaries on a real database: stored with the batch that carries them, loaded back
 * byte for byte, one row however often they are written, kept exactly as long as retention keeps a
 * chunk that may reference them. The chunks are ordinary ones; what a dictionary holds does not
 * matter here (the codec's contract tests decode chunks that really reference one).
 */
abstract class JdbcDictionaryContract {
  static final long DAY = Partitions.NANOS_PER_DAY;
  static final WriteBatches BATCHES = WriteBatches.create(IndexPolicy.everyKey());

  /** The storage every test writes through. */
  abstract JdbcStorage storage();

  /** Configures a second storage instance on the same database. */
  abstract JdbcStorage.Builder another();

  /** A second storage instance on the same database (its own cache of stored dictionaries). */
  JdbcStorage openAnother() {
    return another().build();
  }

  static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  static ChunkDictionary dictionary() {
    return TestObjects.randomDictionary();
  }

  static Span span(long start) {
    return Span.newBuilder().traceId(TestObjects.newTraceId()).spanId(TestObjects.newSpanId())
        .service("dict-svc").name("get").startEpochNanos(TestObjects.micros(start))
        .durationNanos(3 * MILLI).build();
  }

  /** A batch of one span at {@code start} whose write carries {@code dictionaries}. */
  static WriteBatch batch(Span span, ChunkDictionary... dictionaries) {
    WriteBatch b = BATCHES.toBatch(List.of(span));
    return new WriteBatch(b.chunks(), b.serviceEntries(), b.operationEntries(), b.tagEntries(),
        List.of(dictionaries));
  }

  static void write(JdbcStorage storage, WriteBatch batch) throws Exception {
    storage.writer().write(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static byte[] load(JdbcStorage storage, long id) {
    return new DictionaryLoads(storage.readDataSource(), storage.dialect()).load(id);
  }

  long rows(long id) throws SQLException {
    return longOf("SELECT count(*) FROM chunk_dictionaries WHERE id = ?", id);
  }

  long usedUntil(long id) throws SQLException {
    return longOf("SELECT used_until_ns FROM chunk_dictionaries WHERE id = ?", id);
  }

  private long longOf(String sql, long id) throws SQLException {
    try (Connection c = storage().readDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a row for %s", sql).isTrue();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aBatchStoresItsDictionary_theLoaderReturnsItsBytes_andRewritesKeepOneRow() throws Exception {
    ChunkDictionary d = dictionary();
    Span span = span(now());
    write(storage(), batch(span, d));

    assertThat(rows(d.id())).isEqualTo(1);
    assertThat(load(storage(), d.id())).isEqualTo(d.payload());
    assertThat(storage().reader().getTrace(span.traceId())).containsExactly(span);
    assertThat(storage().dictionaryWrites().toWrite(batch(span(now()), d), System.nanoTime()))
        .as("a dictionary this instance stored is not written again").isEmpty();

    write(storage(), batch(span, d)); // a replay
    write(storage(), batch(span(now()), d)); // another batch referencing it
    try (JdbcStorage other = openAnother()) { // knows nothing: its upsert meets the stored row
      write(other, batch(span(now()), d));
      assertThat(load(other, d.id())).isEqualTo(d.payload());
    }
    assertThat(rows(d.id())).isEqualTo(1);
    assertThat(load(storage(), dictionary().id())).as("an id never stored").isNull();
  }

  /**
   * Concurrent writes sharing a dictionary, with one of their own each: on PostgreSQL several
   * transactions upsert the shared row at once (in id order, so they cannot deadlock); on SQLite they
   * meet in one group commit. Every write succeeds and every dictionary is one row.
   */
  @Test
  void concurrentWritesSharingADictionaryStoreEachOnce() throws Exception {
    ChunkDictionary shared = dictionary();
    List<ChunkDictionary> own = new ArrayList<>();
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    try (JdbcStorage fresh = openAnother()) { // nothing known yet: every write upserts the shared one
      for (int i = 0; i < 24; i++) {
        ChunkDictionary d = dictionary();
        own.add(d);
        ChunkDictionary[] carried = i % 2 == 0 ? new ChunkDictionary[] {shared, d}
            : new ChunkDictionary[] {d, shared};
        writes.add(fresh.writer().write(batch(span(now()), carried)).toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    }
    assertThat(rows(shared.id())).isEqualTo(1);
    for (ChunkDictionary d : own) assertThat(load(storage(), d.id())).isEqualTo(d.payload());
  }

  @Test
  void usedUntilIsTheEndOfTheLatestChunkDay_andIsNeverLowered() throws Exception {
    ChunkDictionary d = dictionary();
    long day = Partitions.dayOf(now()) - 3;
    write(storage(), batch(span(day * DAY + 60 * MINUTE), d));
    assertThat(usedUntil(d.id())).isEqualTo((day + 1) * DAY);

    WriteBatch later = batch(span((day + 1) * DAY + 60 * MINUTE), d);
    assertThat(storage().dictionaryWrites().toWrite(later, System.nanoTime()))
        .as("a chunk of a later day makes a known dictionary be written again").hasSize(1);
    write(storage(), later);
    assertThat(usedUntil(d.id())).isEqualTo((day + 2) * DAY);

    try (JdbcStorage other = openAnother()) { // writes the row again, with an earlier day
      write(other, batch(span((day - 1) * DAY + 60 * MINUTE), d));
    }
    assertThat(usedUntil(d.id())).isEqualTo((day + 2) * DAY);
  }

  @Test
  void retentionDeletesTheDictionariesOfDeletedChunksOnly() throws Exception {
    long now = now();
    long old = (Partitions.dayOf(now) - 20) * DAY + 60 * MINUTE;
    long cutoff = (Partitions.dayOf(now) - 10) * DAY + DAY / 2; // mid-day: PostgreSQL keeps that day
    ChunkDictionary unused = dictionary(); // only an old chunk references it
    ChunkDictionary shared = dictionary(); // an old and a recent chunk
    ChunkDictionary recent = dictionary(); // a recent chunk
    ChunkDictionary edge = dictionary(); // a chunk of the cut-off's day, before the cut-off
    Span oldSpan = span(old);
    write(storage(), batch(oldSpan, unused, shared));
    Span recentSpan = span(now - 30 * MINUTE);
    write(storage(), batch(recentSpan, shared, recent));
    write(storage(), batch(span(cutoff - DAY / 4), edge));

    storage().rollups().deleteRawBefore(cutoff);

    assertThat(storage().reader().getTrace(oldSpan.traceId())).as("old chunks deleted").isEmpty();
    assertThat(rows(unused.id())).as("referenced only by deleted chunks").isZero();
    assertThat(load(storage(), shared.id())).isEqualTo(shared.payload());
    assertThat(load(storage(), recent.id())).isEqualTo(recent.payload());
    assertThat(load(storage(), edge.id())).as("its day outlasts the cut-off").isEqualTo(edge.payload());
    assertThat(storage().reader().getTrace(recentSpan.traceId())).containsExactly(recentSpan);
  }

  /**
   * A reader decodes while holding its read connection, here the only one of the pool and inside a
   * streaming scan: the dictionary loads on that same connection, where borrowing a second one
   * would wait out the pool's timeout and fail.
   */
  @Test
  void aLoadRunsOnTheReadersBoundConnection() throws Exception {
    ChunkDictionary d = dictionary();
    write(storage(), batch(span(now()), d));
    try (JdbcStorage oneReader =
        another().readConnections(1).connectionTimeout(Duration.ofMillis(250)).build()) {
      DictionaryLoads loads = new DictionaryLoads(oneReader.readDataSource(), oneReader.dialect());
      try (Connection only = oneReader.readDataSource().getConnection()) {
        only.setAutoCommit(false);
        try (PreparedStatement scan = only.prepareStatement(JdbcRollupStore.SCAN_RAW)) {
          scan.setFetchSize(1);
          scan.setLong(1, 0);
          scan.setLong(2, Long.MAX_VALUE);
          try (ResultSet rs = scan.executeQuery(); DictionaryLoads.Binding b = loads.bind(only)) {
            assertThat(rs.next()).isTrue();
            assertThat(loads.load(d.id())).isEqualTo(d.payload());
            assertThat(rs.getBytes(1)).as("the scan goes on").isNotEmpty();

            AtomicReference<Throwable> unbound = new AtomicReference<>();
            Thread other = new Thread(() -> {
              try {
                loads.load(d.id());
              } catch (Throwable e) {
                unbound.set(e);
              }
            });
            other.start();
            other.join(10_000);
            assertThat(unbound.get()).as("a load on an unbound thread needs a second connection")
                .isInstanceOf(StorageException.class);
          }
        } finally {
          only.rollback();
        }
      }
    }
  }

  /** The chunk rows of {@code id}'s trace. */
  long chunks(TraceId id) throws SQLException {
    try (Connection c = storage().readDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM chunks WHERE trace_id = ?")) {
      storage().dialect().bindTraceId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Whether {@code e}'s SQL failure was thrown while upserting dictionaries. */
  static boolean thrownByTheDictionaryUpsert(StorageException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (StackTraceElement f : t.getStackTrace()) {
        if (f.getClassName().equals(DictionaryWrites.class.getName()) && f.getMethodName().equals("write")) {
          return true;
        }
      }
    }
    return false;
  }
}
