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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import tracestore.storage.Chunk;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.OverCapacityException;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.StorageException;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.TraceId;

/**
 * Writes each batch in one transaction on the backend's own bounded executor, and completes the
 * returned stage from that executor after COMMIT. The caller's thread only validates and
 * deduplicates. When the executor's queue is full the stage fails at once with {@link
 * OverCapacityException}. SQLite, which has a single writer, commits the batches waiting for it
 * together (group commit, see {@link #drainGroup()}).
 */
final class JdbcSpanWriter implements SpanWriter {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final ExecutorService executor;
  private final Partitions partitions; // null for SQLite
  private final NameCache names;
  private final DictionaryWrites dictionaries;

  private final RowInsert<Chunk> insertChunks = Inserts.chunks();
  private final IndexRows indexRows;
  /** PostgreSQL loading by COPY: chunks by COPY too, falling back to INSERT on a replay. */
  private final boolean copyChunks;
  /** Batches waiting for SQLite's single writer (group commit); null: one transaction per batch. */
  private final ArrayBlockingQueue<Pending> group;
  /** Whether a drain task is queued and has not started yet (SQLite's group commit). */
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  static final int MAX_GROUP = 16;
  private final Map<Name.Type, RowInsert<Name>> insertNames = new EnumMap<>(Name.Type.class);
  /**
   * Whether {@link Rows#of} removes duplicate index entries: SQLite writes one row per entry.
   * PostgreSQL folds entries into {@link TraceRows}, which drops an entry equal to one its row
   * already holds, so hashing every entry into a set first was wasted work on its write path.
   */
  private final boolean dedupeEntries;

  JdbcSpanWriter(DataSource dataSource, Dialect dialect, ExecutorService executor,
      Partitions partitions,
      NameCache names, IndexRows indexRows, int groupCapacity, DictionaryWrites dictionaries) {
    this.dataSource = dataSource;
    this.dictionaries = dictionaries;
    this.dialect = dialect;
    this.executor = executor;
    this.partitions = partitions;
    this.names = names;
    this.indexRows = indexRows;
    this.group = groupCapacity > 0 ? new ArrayBlockingQueue<>(groupCapacity) : null;
    this.copyChunks = indexRows instanceof PgCopyIndexRows;
    this.dedupeEntries = !dialect.partitioned();
    for (Name.Type t : Name.Type.values()) insertNames.put(t, Inserts.names(t));
  }

  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    if (batch == null) throw new IllegalArgumentException("batch == null");
    WriteBatches.validate(batch);
    Rows rows = Rows.of(batch, dedupeEntries);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (rows.isEmpty()) {
      done.complete(null);
      return done;
    }
    List<Name> newNames = new ArrayList<>();
    for (Name n : rows.names) if (!names.contains(n)) newNames.add(n);
    Pending p = new Pending(rows, newNames, dictionaries.toWrite(batch, System.nanoTime()), done);
    try {
      if (group == null) {
        executor.execute(() -> runAlone(p));
      } else {
        if (!group.offer(p)) throw new RejectedExecutionException("group commit queue is full");
        scheduleDrain(p);
      }
    } catch (RejectedExecutionException e) {
      if (executor.isShutdown()) {
        done.completeExceptionally(StorageException.permanent(
            dialect.name() + " storage is closed; no write is accepted", e));
        return done;
      }
      done.completeExceptionally(new OverCapacityException(
          dialect.name() + " writer is saturated: every connection is busy and the write queue is"
              + " full; retry later", e));
    }
    return done;
  }

  /** A validated batch waiting for the writer; {@code dictionaries} go in before its chunks. */
  private record Pending(Rows rows, List<Name> newNames, List<DictionaryWrites.Row> dictionaries,
      CompletableFuture<Void> done) {}

  /** One batch, one transaction. */
  private void runAlone(Pending p) {
    try {
      commit(List.of(p));
      p.done().complete(null);
    } catch (Throwable e) {
      p.done().completeExceptionally(Failures.classify(
          "writing a batch of " + p.rows().chunks.size() + " chunks to " + dialect.name(), e));
      if (e instanceof Error err && !(e instanceof AssertionError)) throw err;
    }
  }

  /**
   * SQLite's group commit: the single writer takes every batch waiting (up to {@link
   * #MAX_GROUP}) and commits them in one transaction, then acknowledges each. A commit there costs
   * about the pages the transaction dirtied, and batches share most index pages, so this is where
   * SQLite's write rate comes from (BENCHMARKS.md). If the group fails, each batch is retried in a
   * transaction of its own, so one bad batch cannot fail the others.
   */
  private void drainGroup() {
    drainScheduled.set(false); // from here, a new batch schedules a drain of its own
    try {
      drainOnce();
    } finally {
      if (!group.isEmpty()) { // more than MAX_GROUP were waiting
        try {
          scheduleDrain(null);
        } catch (RejectedExecutionException e) { // closed meanwhile: fail what nobody will write
          List<Pending> left = new ArrayList<>();
          group.drainTo(left);
          for (Pending p : left) {
            p.done().completeExceptionally(StorageException.permanent(
                dialect.name() + " storage is closed; no write is accepted", e));
          }
        }
      }
    }
  }

  /**
   * Queues one drain task unless one is already queued and has not started: one task per batch
   * would leave a task per acknowledged batch in the executor's queue, and a burst then filled it
   * and refused writes as over capacity while the group queue had room (seen in JdbcBenchmark).
   */
  private void scheduleDrain(Pending offered) {
    if (!drainScheduled.compareAndSet(false, true)) return;
    try {
      executor.execute(this::drainGroup);
    } catch (RejectedExecutionException e) {
      drainScheduled.set(false);
      if (offered != null) group.remove(offered);
      throw e;
    }
  }

  private void drainOnce() {
    List<Pending> batch = new ArrayList<>();
    group.drainTo(batch, MAX_GROUP);
    if (batch.isEmpty()) return; // an earlier drain took this task's batch
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    try {
      commit(batch);
    } catch (Throwable e) {
      if (e instanceof Error err && !(e instanceof AssertionError)) throw err;
      for (Pending p : batch) runAlone(p);
      return;
    }
    for (Pending p : batch) p.done().complete(null);
  }

  /**
   * Writes the batches in one transaction. When a row finds no partition (SQLState 23514: another
   * instance's retention dropped a day this one still believed existed), forgets those days,
   * recreates them and tries once more.
   */
  private void commit(List<Pending> batches) throws SQLException {
    try {
      commitChunks(batches);
    } catch (SQLException e) {
      if (partitions == null || !"23514".equals(e.getSQLState())) throw e;
      for (Pending p : batches) partitions.forget(p.rows().days);
      commitChunks(batches);
    }
  }

  /**
   * Writes the batches with chunks by COPY when the backend loads by COPY; if a chunk was already
   * stored (unique violation: a replay), writes them again with the INSERT that tells which chunks
   * were new ({@link PgCopyChunks}).
   */
  private void commitChunks(List<Pending> batches) throws SQLException {
    if (!copyChunks) {
      commitOnce(batches, false);
      return;
    }
    try {
      commitOnce(batches, true);
    } catch (SQLException e) {
      if (!PgCopyChunks.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
      commitOnce(batches, false);
    }
  }

  /** Writes the batches in one transaction; adds their names to the cache after COMMIT. */
  private void commitOnce(List<Pending> batches, boolean copy) throws SQLException {
    List<Name> newNames = new ArrayList<>();
    List<DictionaryWrites.Row> newDictionaries = List.of();
    for (Pending p : batches) {
      if (partitions != null) partitions.ensure(p.rows().days);
      newNames.addAll(p.newNames());
      if (!p.dictionaries().isEmpty()) {
        if (newDictionaries.isEmpty()) newDictionaries = new ArrayList<>();
        newDictionaries.addAll(p.dictionaries());
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        dictionaries.write(c, newDictionaries); // before any chunk that may reference them
        for (Pending p : batches) {
          if (copy) {
            PgCopyChunks.copy(c, p.rows().chunks); // every chunk new, or a unique violation
            indexRows.write(c, p.rows().service, p.rows().operation, p.rows().tag);
          } else {
            writeRows(c, p.rows());
          }
        }
        if (!newNames.isEmpty()) writeNames(c, new ArrayList<>(new LinkedHashSet<>(newNames)));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
    names.addAll(newNames);
    dictionaries.committed(newDictionaries, System.nanoTime());
  }

  /** Index rows only for traces whose chunk is new: a replayed batch adds nothing. */
  private void writeRows(Connection c, Rows rows) throws SQLException {
    Set<TraceId> fresh = new HashSet<>();
    if (dialect.partitioned()) {
      insertChunks.insertAll(c, dialect, rows.chunks, Inserts.RETURNING_TRACE_ID,
          rs -> fresh.add(dialect.readTraceId(rs, 1)));
    } else {
      SqliteChunks.insert(c, rows.chunks, fresh);
    }
    if (fresh.size() == rows.traces) {
      indexRows.write(c, rows.service, rows.operation, rows.tag);
    } else if (!fresh.isEmpty()) {
      indexRows.write(c, only(rows.service, fresh, ServiceIndexEntry::traceId),
          only(rows.operation, fresh, OperationIndexEntry::traceId),
          only(rows.tag, fresh, TagIndexEntry::traceId));
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

    /** Adds the day of {@code epochNanos} unless it is {@code last}; returns that day. */
    private long day(long last, long epochNanos) {
      long d = Partitions.dayOf(epochNanos);
      if (d != last) days.add(d);
      return d;
    }

    boolean isEmpty() {
      return chunks.isEmpty() && service.isEmpty() && operation.isEmpty() && tag.isEmpty();
    }

    /**
     * Deduplicates an already validated batch ({@link WriteBatches#validate}): chunks always (their
     * key is the unit of idempotence), index entries when {@code dedupeEntries}.
     */
    static Rows of(WriteBatch batch, boolean dedupeEntries) {
      Map<List<Object>, Chunk> chunks = new LinkedHashMap<>();
      for (Chunk c : batch.chunks()) {
        chunks.putIfAbsent(List.of(c.traceId(), c.chunkId()), c);
      }
      // Entries are values: equal ones are one row (SQLite's keys would refuse a second anyway).
      List<Chunk> ordered = new ArrayList<>(chunks.values());
      ordered.sort(Comparator.comparing(Chunk::traceId).thenComparingLong(Chunk::chunkId));
      Rows rows = dedupeEntries
          ? new Rows(ordered, List.copyOf(new LinkedHashSet<>(batch.serviceEntries())),
              List.copyOf(new LinkedHashSet<>(batch.operationEntries())),
              List.copyOf(new LinkedHashSet<>(batch.tagEntries())))
          : new Rows(ordered, batch.serviceEntries(), batch.operationEntries(), batch.tagEntries());
      Set<TraceId> traces = new HashSet<>();
      for (Chunk c : rows.chunks) traces.add(c.traceId());
      rows.traces = traces.size();
      // Days: a batch spans one or two, so only a change of day reaches the (boxing) set.
      long day = Long.MIN_VALUE;
      for (Chunk c : rows.chunks) day = rows.day(day, c.minStartEpochNanos());
      for (ServiceIndexEntry e : rows.service) {
        day = rows.day(day, e.startEpochNanos());
        rows.names.add(new Name(Name.Type.SERVICE, e.service(), "", 0));
      }
      for (OperationIndexEntry e : rows.operation) {
        day = rows.day(day, e.startEpochNanos());
        rows.names.add(new Name(Name.Type.OPERATION, e.service(), e.operation(), e.kind().ordinal()));
      }
      for (TagIndexEntry e : rows.tag) {
        day = rows.day(day, e.startEpochNanos());
        if (TagIndexEntry.REMOTE_SERVICE_KEY.equals(e.key())) {
          rows.names.add(new Name(Name.Type.REMOTE_SERVICE, e.service(), e.value(), 0));
        }
        if (e.listed()) rows.names.add(new Name(Name.Type.TAG, e.key(), e.value(), 0));
      }
      return rows;
    }
  }
}
