package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import tracestore.storage.Chunk;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.SpanKind;

/**
 * Turns a batch into statements and sends them through {@link InFlight}: one insert per chunk, the
 * index entries of each service and hour as one segment row ({@link IndexSegment}), and names only
 * when the {@link NameCache} has not seen them lately; rows are grouped into unlogged batches only
 * when they share a partition key (a batch spanning partitions would make one coordinator do the
 * work of several and is an anti-pattern). Index entries of concurrent writes are merged before they
 * become rows ({@link IndexGroupCommit}). The stage completes when every statement is acknowledged at the write
 * consistency.
 */
final class CassandraSpanWriter implements SpanWriter {
  /** Rows per single-partition batch (segments of a few tens of KB each, so at most a few MB). */
  static final int MAX_ROWS_PER_BATCH = 50;

  private final Statements st;
  private final InFlight inFlight;
  private final NameCache names;
  private final DictionaryWrites dictionaries;
  private final IndexGroupCommit index;
  private final AtomicInteger inProgress = new AtomicInteger();

  CassandraSpanWriter(Statements st, InFlight inFlight, NameCache names, DictionaryWrites dictionaries) {
    this.st = st;
    this.dictionaries = dictionaries;
    this.inFlight = inFlight;
    this.names = names;
    this.index = new IndexGroupCommit(this::flushIndex);
  }

  /**
   * Chunks go out at once; once they are acknowledged, the index entries go through {@link
   * IndexGroupCommit}, which merges them with those of concurrent writes. So an index row never
   * points to a chunk that was not stored, and one write never competes with itself for in-flight
   * permits. The stage completes when the index rows are acknowledged too.
   */
  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    WriteBatches.validate(batch);
    if (batch.isEmpty()) return CompletableFuture.completedFuture(null);
    List<Statement<?>> chunks = new ArrayList<>(batch.chunks().size());
    for (Chunk c : batch.chunks()) chunks.add(st.insertChunk.bind(c));
    // Dictionaries first: no chunk is sent before the dictionaries it may reference are acknowledged.
    CompletableFuture<Void> chunksWritten =
        dictionaries.store(batch.dictionaries()).thenCompose(v -> inFlight.executeAll(
            chunks, "writing " + batch.spanCount() + " spans of " + batch.chunks().size() + " traces"));
    CompletableFuture<Void> done = new CompletableFuture<>();
    inProgress.incrementAndGet();
    done.whenComplete((v, err) -> inProgress.decrementAndGet());
    chunksWritten.whenComplete(
        (v, err) -> {
          if (err != null) fail(done, err);
          else index.add(batch).whenComplete((v2, err2) -> {
            if (err2 != null) fail(done, err2);
            else done.complete(null);
          });
        });
    return done;
  }

  private CompletableFuture<Void> flushIndex(IndexGroupCommit.Pending p) {
    long now = System.nanoTime();
    Plan plan = indexPlan(p.services, p.operations, p.tags, now);
    return inFlight
        .executeAll(plan.statements(), "writing the index entries of " + p.spans + " spans (" + p.batches + " writes)")
        .thenRun(
            () -> {
              for (String key : plan.newNames()) names.written(key, now);
            });
  }

  /** What stores the writes' dictionaries, for tests. */
  DictionaryWrites dictionaryWrites() {
    return dictionaries;
  }

  /** Writes accepted and not yet completed (their index entries may be waiting for a flush). */
  int inProgress() {
    return inProgress.get();
  }

  /** Fails {@code f} with the storage exception itself rather than a CompletionException around it. */
  private static void fail(CompletableFuture<Void> f, Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    f.completeExceptionally(e);
  }

  /** The statements of one write, and the names it writes (remembered once acknowledged). */
  record Plan(List<Statement<?>> statements, List<String> newNames) {}

  /** What a lone write of {@code batch} sends: its chunks, then its index rows and new names. */
  Plan plan(WriteBatch batch, long now) {
    List<Statement<?>> statements = new ArrayList<>();
    for (Chunk c : batch.chunks()) statements.add(st.insertChunk.bind(c));
    Plan indexRows = indexPlan(batch.serviceEntries(), batch.operationEntries(), batch.tagEntries(), now);
    statements.addAll(indexRows.statements());
    return new Plan(statements, indexRows.newNames());
  }

  /** Index rows (segments) and the names not written lately, grouped by partition key. */
  Plan indexPlan(
      List<ServiceIndexEntry> serviceEntries,
      List<OperationIndexEntry> operationEntries,
      List<TagIndexEntry> tagEntries,
      long now) {
    List<Statement<?>> statements = new ArrayList<>();
    List<PendingRow> rows = new ArrayList<>();
    rows.addAll(st.insertIndexSegment.rows(serviceEntries, operationEntries, tagEntries));

    // Names: each distinct name is checked once per flush, when first seen; the lookups go through
    // nested maps of the entries' own strings, so a name seen before costs no allocation.
    Map<String, PendingRow> newNames = new LinkedHashMap<>();
    Set<String> services = new HashSet<>();
    for (ServiceIndexEntry e : serviceEntries) {
      String s = e.service();
      if (services.add(s)) name(newNames, now, "s\0" + s, () -> st.insertServiceName.row(s));
    }
    Map<String, Map<String, Set<SpanKind>>> operations = new HashMap<>();
    for (OperationIndexEntry e : operationEntries) {
      Map<String, Set<SpanKind>> ofService = operations.get(e.service());
      if (ofService == null) operations.put(e.service(), ofService = new HashMap<>());
      Set<SpanKind> kinds = ofService.get(e.operation());
      if (kinds == null) ofService.put(e.operation(), kinds = EnumSet.noneOf(SpanKind.class));
      if (!kinds.add(e.kind())) continue;
      String service = e.service();
      String operation = e.operation();
      String kind = e.kind().name();
      name(newNames, now, "o\0" + service + '\0' + operation + '\0' + kind,
          () -> st.insertOperationName.row(service, operation, kind));
    }
    Map<String, Set<String>> remotes = new HashMap<>(); // service, then remote service
    Map<String, Set<String>> listed = new HashMap<>(); // key, then value
    for (TagIndexEntry e : tagEntries) {
      String key = e.key();
      String value = e.value();
      if (key.equals(TagIndexEntry.REMOTE_SERVICE_KEY)) {
        Set<String> ofService = remotes.get(e.service());
        if (ofService == null) remotes.put(e.service(), ofService = new HashSet<>());
        String service = e.service();
        if (ofService.add(value)) {
          name(newNames, now, "r\0" + service + '\0' + value, () -> st.insertRemoteServiceName.row(service, value));
        }
      }
      if (!e.listed()) continue; // past the cardinality guard: searchable, not offered for autocomplete
      Set<String> values = listed.get(key);
      if (values == null) {
        listed.put(key, values = new HashSet<>());
        name(newNames, now, "k\0" + key, () -> st.insertTagKey.row(key));
      }
      if (values.add(value)) {
        name(newNames, now, "v\0" + key + '\0' + value, () -> st.insertTagValue.row(key, value));
      }
    }
    rows.addAll(newNames.values());
    statements.addAll(groupByPartition(rows, st));
    return new Plan(statements, List.copyOf(newNames.keySet()));
  }

  private void name(Map<String, PendingRow> out, long now, String key, Supplier<PendingRow> row) {
    if (!out.containsKey(key) && !names.isFresh(key, now)) out.put(key, row.get());
  }

  /**
   * One statement per partition key: the row itself, or an unlogged batch of the rows with that key
   * (of one or several tables).
   */
  static List<Statement<?>> groupByPartition(List<PendingRow> rows, Statements st) {
    Map<Object, List<PendingRow>> byPartition = new LinkedHashMap<>();
    for (PendingRow r : rows) byPartition.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(r);
    List<Statement<?>> out = new ArrayList<>();
    for (List<PendingRow> group : byPartition.values()) {
      for (int from = 0; from < group.size(); from += MAX_ROWS_PER_BATCH) {
        List<PendingRow> slice = group.subList(from, Math.min(group.size(), from + MAX_ROWS_PER_BATCH));
        if (slice.size() == 1) {
          out.add(slice.get(0).statement());
          continue;
        }
        BatchStatementBuilder b =
            BatchStatement.builder(BatchType.UNLOGGED)
                .setIdempotence(true)
                .setConsistencyLevel(st.ctx.writeConsistency());
        for (PendingRow r : slice) b.addStatement(r.statement());
        out.add(b.build());
      }
    }
    return out;
  }
}
