package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.sql.DataSource;
import tracestore.storage.Chunk;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.OverCapacityException;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.TraceId;

/**
 * Writes each batch in one transaction on the backend's own bounded executor, and completes the
 * returned stage from that executor after COMMIT. The caller's thread only validates and
 * deduplicates. When the executor's queue is full the stage fails at once with {@link
 * OverCapacityException}.
 */
final class JdbcSpanWriter implements SpanWriter {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final Executor executor;
  private final Partitions partitions; // null for SQLite
  private final NameCache names;

  private final RowInsert<Chunk> insertChunks = Inserts.chunks();
  private final IndexRows indexRows;
  private final Map<Name.Type, RowInsert<Name>> insertNames = new EnumMap<>(Name.Type.class);

  JdbcSpanWriter(DataSource dataSource, Dialect dialect, Executor executor, Partitions partitions,
      NameCache names, IndexRows indexRows) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.executor = executor;
    this.partitions = partitions;
    this.names = names;
    this.indexRows = indexRows;
    for (Name.Type t : Name.Type.values()) insertNames.put(t, Inserts.names(t));
  }

  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    if (batch == null) throw new IllegalArgumentException("batch == null");
    WriteBatches.validate(batch);
    Rows rows = Rows.of(batch);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (rows.isEmpty()) {
      done.complete(null);
      return done;
    }
    List<Name> newNames = new ArrayList<>();
    for (Name n : rows.names) if (!names.contains(n)) newNames.add(n);
    try {
      executor.execute(() -> run(rows, newNames, done));
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new OverCapacityException(
          dialect.name() + " writer is saturated: every connection is busy and the write queue is"
              + " full; retry later", e));
    }
    return done;
  }

  private void run(Rows rows, List<Name> newNames, CompletableFuture<Void> done) {
    try {
      if (partitions != null) partitions.ensure(rows.days);
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          // Index rows only for traces whose chunk is new: a replayed batch adds nothing.
          Set<TraceId> fresh = new HashSet<>();
          insertChunks.insertAll(c, dialect, rows.chunks, Inserts.RETURNING_TRACE_ID,
              rs -> fresh.add(dialect.readTraceId(rs, 1)));
          if (fresh.size() == rows.traces) {
            indexRows.write(c, rows.service, rows.operation, rows.tag);
          } else if (!fresh.isEmpty()) {
            indexRows.write(c, only(rows.service, fresh, ServiceIndexEntry::traceId),
                only(rows.operation, fresh, OperationIndexEntry::traceId),
                only(rows.tag, fresh, TagIndexEntry::traceId));
          }
          if (!newNames.isEmpty()) writeNames(c, newNames);
          c.commit();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        }
      }
      names.addAll(newNames);
      done.complete(null);
    } catch (Throwable e) {
      done.completeExceptionally(Failures.classify(
          "writing a batch of " + rows.chunks.size() + " chunks to " + dialect.name(), e));
      if (e instanceof Error err && !(e instanceof AssertionError)) throw err;
    }
  }

  private static <E> List<E> only(List<E> entries, Set<TraceId> traces, Function<E, TraceId> id) {
    List<E> out = new ArrayList<>();
    for (E e : entries) if (traces.contains(id.apply(e))) out.add(e);
    return out;
  }

  /**
   * Inserts names in one global order (type, then text, then kind), as chunks are: two batches that
   * share new keys then lock them in the same order and cannot deadlock.
   */
  private void writeNames(Connection c, List<Name> newNames) throws SQLException {
    Map<Name.Type, List<Name>> byType = new EnumMap<>(Name.Type.class);
    List<Name> sorted = new ArrayList<>(newNames);
    sorted.sort(Name.ORDER);
    for (Name n : sorted) byType.computeIfAbsent(n.type(), t -> new ArrayList<>()).add(n);
    for (Map.Entry<Name.Type, List<Name>> e : byType.entrySet()) {
      insertNames.get(e.getKey()).insertAll(c, dialect, e.getValue());
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** A batch validated and deduplicated by each table's key, with its names and days. */
  static final class Rows {
    final List<Chunk> chunks;
    final List<ServiceIndexEntry> service;
    final List<OperationIndexEntry> operation;
    final List<TagIndexEntry> tag;
    final Set<Name> names = new LinkedHashSet<>();
    final Set<Long> days = new TreeSet<>();
    int traces;

    private Rows(List<Chunk> chunks, List<ServiceIndexEntry> service,
        List<OperationIndexEntry> operation, List<TagIndexEntry> tag) {
      this.chunks = chunks;
      this.service = service;
      this.operation = operation;
      this.tag = tag;
    }

    boolean isEmpty() {
      return chunks.isEmpty() && service.isEmpty() && operation.isEmpty() && tag.isEmpty();
    }

    /** Deduplicates an already validated batch ({@link WriteBatches#validate}). */
    static Rows of(WriteBatch batch) {
      Map<List<Object>, Chunk> chunks = new LinkedHashMap<>();
      for (Chunk c : batch.chunks()) {
        chunks.putIfAbsent(List.of(c.traceId(), c.chunkId()), c);
      }
      // Entries are values: equal ones are one row (SQLite's keys would refuse a second anyway).
      List<Chunk> ordered = new ArrayList<>(chunks.values());
      ordered.sort(Comparator.comparing(Chunk::traceId).thenComparingLong(Chunk::chunkId));
      Rows rows = new Rows(ordered,
          List.copyOf(new LinkedHashSet<>(batch.serviceEntries())),
          List.copyOf(new LinkedHashSet<>(batch.operationEntries())),
          List.copyOf(new LinkedHashSet<>(batch.tagEntries())));
      Set<TraceId> traces = new HashSet<>();
      for (Chunk c : rows.chunks) traces.add(c.traceId());
      rows.traces = traces.size();
      for (Chunk c : rows.chunks) rows.days.add(Partitions.dayOf(c.minStartEpochNanos()));
      for (ServiceIndexEntry e : rows.service) {
        rows.days.add(Partitions.dayOf(e.startEpochNanos()));
        rows.names.add(new Name(Name.Type.SERVICE, e.service(), "", 0));
      }
      for (OperationIndexEntry e : rows.operation) {
        rows.days.add(Partitions.dayOf(e.startEpochNanos()));
        rows.names.add(new Name(Name.Type.OPERATION, e.service(), e.operation(), e.kind().ordinal()));
      }
      for (TagIndexEntry e : rows.tag) {
        rows.days.add(Partitions.dayOf(e.startEpochNanos()));
        if (TagIndexEntry.REMOTE_SERVICE_KEY.equals(e.key())) {
          rows.names.add(new Name(Name.Type.REMOTE_SERVICE, e.service(), e.value(), 0));
        }
        rows.names.add(new Name(Name.Type.TAG, e.key(), e.value(), 0));
      }
      return rows;
    }
  }
}
