package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.OverCapacityException;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;

/** Retention's view of the JDBC backend. Writes run on the writer's executor. Thread-safe. */
final class JdbcRollupStore implements RollupStore {
  static final String SCAN_RAW =
      "SELECT payload FROM chunks WHERE start_ns >= ? AND start_ns < ? ORDER BY start_ns";
  static final String UPSERT_ROLLUP =
      "INSERT INTO rollups (service, operation, kind, bucket_ns, span_count, error_count,"
          + " latency_sketch) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (service, bucket_ns, operation, kind) DO UPDATE SET"
          + " span_count = excluded.span_count, error_count = excluded.error_count,"
          + " latency_sketch = excluded.latency_sketch";
  static final String SELECT_ROLLUPS =
      "SELECT service, operation, kind, bucket_ns, span_count, error_count, latency_sketch"
          + " FROM rollups WHERE bucket_ns >= ? AND bucket_ns < ?";
  static final String UPSERT_LINK =
      "INSERT INTO dependency_links (parent, child, bucket_ns, calls, errors) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (bucket_ns, parent, child) DO UPDATE SET calls = excluded.calls,"
          + " errors = excluded.errors";
  static final String SELECT_LINKS =
      "SELECT parent, child, bucket_ns, calls, errors FROM dependency_links"
          + " WHERE bucket_ns >= ? AND bucket_ns < ?";
  static final String UPSERT_EXEMPLAR =
      "INSERT INTO exemplars (service, operation, bucket_ns, trace_id, reason, duration_ns, payload)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (service, bucket_ns, operation, reason, trace_id) DO UPDATE SET"
          + " duration_ns = excluded.duration_ns, payload = excluded.payload";
  static final String SELECT_EXEMPLARS =
      "SELECT service, operation, bucket_ns, trace_id, reason, duration_ns, payload FROM exemplars"
          + " WHERE bucket_ns >= ? AND bucket_ns < ?";
  static final String SELECT_WATERMARK = "SELECT epoch_ns FROM watermarks WHERE job = ?";
  static final String UPSERT_WATERMARK =
      "INSERT INTO watermarks (job, epoch_ns) VALUES (?, ?)"
          + " ON CONFLICT (job) DO UPDATE SET epoch_ns = excluded.epoch_ns";
  /** Takes a free or lapsed lease, or renews our own; the update count says who holds it. */
  static final String TAKE_LEASE =
      "INSERT INTO leases (name, owner, expires_ns) VALUES (?, ?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
          + " expires_ns = excluded.expires_ns"
          + " WHERE leases.owner = excluded.owner OR leases.expires_ns < ?";
  static final String RELEASE_LEASE = "DELETE FROM leases WHERE name = ? AND owner = ?";

  /**
   * A table of SQLite's bounded retention deletes (no partitions there): its key, and the indexed
   * column bounding rows that start before t, which is below t + {@code slack} for those rows. A
   * trace_index row starting before t has an id below t + ID_SLACK (ids are what is indexed); its
   * trigger deletes the row's terms from the FTS index.
   */
  record SqliteRawTable(String table, String key, String bound, long slack) {}

  static final List<SqliteRawTable> SQLITE_RAW_KEYS = List.of(
      new SqliteRawTable("chunks", "trace_id, chunk_id", "start_ns", 0),
      new SqliteRawTable("trace_index", "id", "id", SqliteTraceRows.ID_SLACK));
  static final int SQLITE_DELETE_BATCH = 5_000;

  private final DataSource writes;
  private final DataSource reads;
  private final Dialect dialect;
  private final Executor executor;
  private final Partitions partitions; // null for SQLite
  private final DictionaryLoads dictionaryLoads;
  private final ChunkDictionaries dictionaries;

  JdbcRollupStore(DataSource writes, DataSource reads, Dialect dialect, Executor executor,
      Partitions partitions, DictionaryLoads dictionaryLoads, ChunkDictionaries dictionaries) {
    this.dictionaryLoads = dictionaryLoads;
    this.dictionaries = dictionaries;
    this.writes = writes;
    this.reads = reads;
    this.dialect = dialect;
    this.executor = executor;
    this.partitions = partitions;
  }

  @Override
  public void scanRaw(long fromEpochNanos, long toEpochNanos, Consumer<List<Span>> chunkSpans) {
    Objects.requireNonNull(chunkSpans, "chunkSpans == null");
    try (Connection c = reads.getConnection();
        DictionaryLoads.Binding b = dictionaryLoads.bind(c)) { // dictionaries load on c
      c.setAutoCommit(false); // lets pgjdbc stream with a fetch size
      try (PreparedStatement ps = c.prepareStatement(SCAN_RAW)) {
        ps.setFetchSize(256);
        ps.setLong(1, fromEpochNanos);
        ps.setLong(2, toEpochNanos);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) chunkSpans.accept(ChunkDecoder.decode(rs.getBytes(1), null, dictionaries));
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw Failures.classify("scanning raw chunks", e);
    }
  }

  @Override
  public CompletionStage<Void> writeRollups(List<Rollup> rollups) {
    List<Rollup> copy = List.copyOf(rollups);
    return inTransaction("writing " + copy.size() + " rollups", c -> {
      try (PreparedStatement ps = c.prepareStatement(UPSERT_ROLLUP)) {
        for (Rollup r : copy) {
          dialect.setText(ps, 1, r.service());
          dialect.setText(ps, 2, r.operation());
          ps.setShort(3, (short) r.kind().ordinal());
          ps.setLong(4, r.bucketStartEpochNanos());
          ps.setLong(5, r.count());
          ps.setLong(6, r.errorCount());
          ps.setBytes(7, r.latencySketch());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  @Override
  public List<Rollup> readRollups(String service, long fromEpochNanos, long toEpochNanos) {
    return readRange("reading rollups", SELECT_ROLLUPS, "bucket_ns, service, operation, kind",
        service, fromEpochNanos, toEpochNanos,
        rs -> new Rollup(dialect.getText(rs, 1), dialect.getText(rs, 2), SpanKind.ofOrdinal(rs.getInt(3)),
            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBytes(7)));
  }

  @Override
  public CompletionStage<Void> writeLinks(List<DependencyLink> links) {
    List<DependencyLink> copy = List.copyOf(links);
    return inTransaction("writing " + copy.size() + " dependency links", c -> {
      try (PreparedStatement ps = c.prepareStatement(UPSERT_LINK)) {
        for (DependencyLink l : copy) {
          dialect.setText(ps, 1, l.parent());
          dialect.setText(ps, 2, l.child());
          ps.setLong(3, l.bucketStartEpochNanos());
          ps.setLong(4, l.calls());
          ps.setLong(5, l.errors());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  @Override
  public List<DependencyLink> readLinks(long fromEpochNanos, long toEpochNanos) {
    return readRange("reading dependency links", SELECT_LINKS, "bucket_ns, parent, child", "",
        fromEpochNanos, toEpochNanos,
        rs -> new DependencyLink(
            dialect.getText(rs, 1), dialect.getText(rs, 2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
  }

  @Override
  public CompletionStage<Void> writeExemplars(List<Exemplar> exemplars) {
    List<Exemplar> copy = List.copyOf(exemplars);
    return inTransaction("writing " + copy.size() + " exemplars", c -> {
      try (PreparedStatement ps = c.prepareStatement(UPSERT_EXEMPLAR)) {
        for (Exemplar e : copy) {
          dialect.setText(ps, 1, e.service());
          dialect.setText(ps, 2, e.operation());
          ps.setLong(3, e.bucketStartEpochNanos());
          dialect.bindTraceId(ps, 4, e.traceId());
          ps.setShort(5, (short) e.reason().ordinal());
          ps.setLong(6, e.durationNanos());
          ps.setBytes(7, e.payload());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  @Override
  public List<Exemplar> readExemplars(String service, long fromEpochNanos, long toEpochNanos) {
    return readRange("reading exemplars", SELECT_EXEMPLARS,
        "bucket_ns, service, operation, reason, trace_id", service, fromEpochNanos, toEpochNanos,
        rs -> new Exemplar(dialect.getText(rs, 1), dialect.getText(rs, 2), rs.getLong(3),
            dialect.readTraceId(rs, 4), Exemplar.Reason.values()[rs.getInt(5)], rs.getLong(6),
            rs.getBytes(7)));
  }

  /** Maps the current row of a result set. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code select} over the bucket range [from, to), narrowed to {@code service} unless it is
   * empty, ordered by {@code orderBy}, and maps every row.
   */
  private <T> List<T> readRange(String doing, String select, String orderBy, String service,
      long fromEpochNanos, long toEpochNanos, RowReader<T> row) {
    boolean byService = service != null && !service.isEmpty();
    String sql = select + (byService ? " AND service = ?" : "") + " ORDER BY " + orderBy;
    List<T> out = new ArrayList<>();
    try (Connection c = reads.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, fromEpochNanos);
      ps.setLong(2, toEpochNanos);
      if (byService) dialect.setText(ps, 3, service);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(row.read(rs));
      }
    } catch (SQLException e) {
      throw Failures.classify(doing, e);
    }
    return out;
  }

  @Override
  public OptionalLong watermark(String job) {
    Objects.requireNonNull(job, "job == null");
    try (Connection c = reads.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT_WATERMARK)) {
      dialect.setText(ps, 1, job);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw Failures.classify("reading the watermark of " + job, e);
    }
  }

  @Override
  public void setWatermark(String job, long epochNanos) {
    Objects.requireNonNull(job, "job == null");
    update("setting the watermark of " + job, UPSERT_WATERMARK, ps -> {
      dialect.setText(ps, 1, job);
      ps.setLong(2, epochNanos);
    });
  }

  /** Lease times come from this JVM's clock; hosts sharing a database should run NTP. */
  @Override
  public boolean tryLease(String name, String owner, Duration ttl) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(owner, "owner == null");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease ttl must be positive, got " + ttl);
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    int[] updated = new int[1];
    update("taking lease " + name, TAKE_LEASE, ps -> {
      dialect.setText(ps, 1, name);
      dialect.setText(ps, 2, owner);
      ps.setLong(3, now + ttl.toNanos());
      ps.setLong(4, now);
    }, updated);
    return updated[0] == 1;
  }

  @Override
  public void releaseLease(String name, String owner) {
    update("releasing lease " + name, RELEASE_LEASE, ps -> {
      dialect.setText(ps, 1, name);
      dialect.setText(ps, 2, owner);
    });
  }

  /**
   * Deletes raw data (PostgreSQL: whole days ending at or before {@code epochNanos}; SQLite: rows
   * starting before it), then the chunk dictionaries no kept chunk can reference ({@link
   * DictionaryWrites}); the returned count is of the raw data only, as before dictionaries existed.
   */
  @Override
  public long deleteRawBefore(long epochNanos) {
    long deleted;
    long keptFrom;
    try {
      if (partitions != null) {
        deleted = partitions.dropBefore(epochNanos);
        keptFrom = Math.floorDiv(epochNanos, Partitions.NANOS_PER_DAY) * Partitions.NANOS_PER_DAY;
      } else {
        deleted = deleteRowsBefore(epochNanos);
        keptFrom = epochNanos;
      }
    } catch (SQLException e) {
      throw Failures.classify("deleting raw data before " + epochNanos, e);
    }
    try (Connection c = writes.getConnection()) {
      DictionaryWrites.deleteUnused(c, keptFrom);
    } catch (SQLException e) {
      throw Failures.classify("deleting chunk dictionaries used only before " + keptFrom, e);
    }
    return deleted;
  }

  @Override
  public long deleteRollupsBefore(long epochNanos) {
    return deleteBuckets("rollups", epochNanos) + deleteBuckets("dependency_links", epochNanos);
  }

  @Override
  public long deleteExemplarsBefore(long epochNanos) {
    return deleteBuckets("exemplars", epochNanos);
  }

  /** One statement: these tables hold a few hundred rows per hour, so the delete stays small. */
  private long deleteBuckets(String table, long epochNanos) {
    try (Connection c = writes.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE bucket_ns < ?")) {
      ps.setLong(1, epochNanos);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw Failures.classify("deleting " + table + " before " + epochNanos, e);
    }
  }

  /** SQLite: deletes in bounded transactions of {@link #SQLITE_DELETE_BATCH} rows per table. */
  private long deleteRowsBefore(long epochNanos) throws SQLException {
    long deleted = 0;
    try (Connection c = writes.getConnection()) {
      for (SqliteRawTable t : SQLITE_RAW_KEYS) {
        String sql = "DELETE FROM " + t.table() + " WHERE (" + t.key() + ") IN (SELECT " + t.key()
            + " FROM " + t.table() + " WHERE " + t.bound() + " < ? AND start_ns < ? LIMIT "
            + SQLITE_DELETE_BATCH + ')';
        long slack = t.slack();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          int n;
          do {
            ps.setLong(1, epochNanos <= Long.MAX_VALUE - slack ? epochNanos + slack : Long.MAX_VALUE);
            ps.setLong(2, epochNanos);
            n = ps.executeUpdate();
            deleted += n;
          } while (n == SQLITE_DELETE_BATCH);
        }
      }
    }
    return deleted;
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void update(String doing, String sql, Binder binder) {
    update(doing, sql, binder, new int[1]);
  }

  private void update(String doing, String sql, Binder binder, int[] updated) {
    try (Connection c = writes.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      updated[0] = ps.executeUpdate();
    } catch (SQLException e) {
      throw Failures.classify(doing, e);
    }
  }

  private CompletionStage<Void> inTransaction(String doing, Work work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try (Connection c = writes.getConnection()) {
          c.setAutoCommit(false);
          try {
            work.run(c);
            c.commit();
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          }
          done.complete(null);
        } catch (Throwable e) {
          done.completeExceptionally(Failures.classify(doing, e));
        }
      });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new OverCapacityException(doing + ": the writer is saturated", e));
    }
    return done;
  }
}
