package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
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
import javax.sql.DataSource;
import tracestore.storage.Chunk;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.OverCapacityException;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;

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
  private final RowInsert<ServiceIndexEntry> insertService;
  private final RowInsert<OperationIndexEntry> insertOperation;
  private final RowInsert<TagIndexEntry> insertTag = Inserts.tagIndex();
  private final Map<Name.Type, RowInsert<Name>> insertNames = new EnumMap<>(Name.Type.class);

  JdbcSpanWriter(DataSource dataSource, Dialect dialect, Executor executor, Partitions partitions,
      NameCache names) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.executor = executor;
    this.partitions = partitions;
    this.names = names;
    this.insertService = Inserts.serviceIndex(dialect);
    this.insertOperation = Inserts.operationIndex(dialect);
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
          insertChunks.insertAll(c, dialect, rows.chunks);
          insertService.insertAll(c, dialect, rows.service);
          insertOperation.insertAll(c, dialect, rows.operation);
          insertTag.insertAll(c, dialect, rows.tag);
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

  private void writeNames(Connection c, List<Name> newNames) throws SQLException {
    Map<Name.Type, List<Name>> byType = new EnumMap<>(Name.Type.class);
    for (Name n : newNames) byType.computeIfAbsent(n.type(), t -> new ArrayList<>()).add(n);
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
      Map<List<Object>, ServiceIndexEntry> service = new LinkedHashMap<>();
      for (ServiceIndexEntry e : batch.serviceEntries()) {
        service.merge(List.of(e.service(), e.startEpochNanos(), e.traceId()), e, (a, b) ->
            new ServiceIndexEntry(a.service(), a.traceId(), a.startEpochNanos(),
                Math.max(a.durationNanos(), b.durationNanos()), a.error() || b.error()));
      }
      Map<List<Object>, OperationIndexEntry> operation = new LinkedHashMap<>();
      for (OperationIndexEntry e : batch.operationEntries()) {
        operation.merge(
            List.of(e.service(), e.operation(), e.startEpochNanos(), e.traceId(), e.kind()), e,
            (a, b) -> new OperationIndexEntry(a.service(), a.operation(), a.kind(), a.traceId(),
                a.startEpochNanos(), Math.max(a.durationNanos(), b.durationNanos())));
      }
      Set<TagIndexEntry> tag = new LinkedHashSet<>();
      for (TagIndexEntry e : batch.tagEntries()) {
        tag.add(e);
      }
      Rows rows = new Rows(List.copyOf(chunks.values()), List.copyOf(service.values()),
          List.copyOf(operation.values()), List.copyOf(tag));
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
