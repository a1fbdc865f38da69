package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import tracestore.storage.Chunk;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;

/**
 * Turns a batch into statements and sends them through {@link InFlight}: one insert per chunk, index
 * entries packed into postings (one row per partition and value, see {@link Postings}) and grouped
 * into unlogged batches only when they share a partition key (a batch spanning partitions would make
 * one coordinator do the work of several and is an anti-pattern), and names only when the {@link
 * NameCache} has not seen them lately. The service, operation and tag postings of one service and
 * hour share the key {@link ServiceHour}, so they are one statement, which the node applies as one
 * mutation. The stage completes when every statement is acknowledged at the write consistency.
 */
final class CassandraSpanWriter implements SpanWriter {
  /** Rows per single-partition batch (postings of up to ~33 KB each, so at most a few MB). */
  static final int MAX_ROWS_PER_BATCH = 50;

  private final Statements st;
  private final InFlight inFlight;
  private final NameCache names;

  CassandraSpanWriter(Statements st, InFlight inFlight, NameCache names) {
    this.st = st;
    this.inFlight = inFlight;
    this.names = names;
  }

  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    WriteBatches.validate(batch);
    if (batch.isEmpty()) return CompletableFuture.completedFuture(null);
    long now = System.nanoTime();
    Plan plan = plan(batch, now);
    int spans = batch.spanCount();
    return inFlight
        .executeAll(plan.statements(), "writing " + spans + " spans of " + batch.chunks().size() + " traces")
        .thenRun(
            () -> {
              for (String key : plan.newNames()) names.written(key, now);
            });
  }

  /** The statements of one write, and the names it writes (remembered once acknowledged). */
  record Plan(List<Statement<?>> statements, List<String> newNames) {}

  Plan plan(WriteBatch batch, long now) {
    List<Statement<?>> statements = new ArrayList<>();
    for (Chunk c : batch.chunks()) statements.add(st.insertChunk.bind(c));

    List<PendingRow> rows = new ArrayList<>();
    rows.addAll(st.insertServiceIndex.rows(batch.serviceEntries()));
    rows.addAll(st.insertOperationIndex.rows(batch.operationEntries()));
    rows.addAll(st.insertTagIndex.rows(batch.tagEntries()));

    // Names: distinct ones first (cheap record keys), so the cache's string keys and lock are paid
    // once per name per batch, not once per index entry.
    Set<String> services = new LinkedHashSet<>();
    for (ServiceIndexEntry e : batch.serviceEntries()) services.add(e.service());
    Set<OperationName> operations = new LinkedHashSet<>();
    for (OperationIndexEntry e : batch.operationEntries()) {
      operations.add(new OperationName(e.service(), e.operation(), e.kind().name()));
    }
    Set<TagName> tags = new LinkedHashSet<>();
    for (TagIndexEntry e : batch.tagEntries()) tags.add(new TagName(e.service(), e.key(), e.value(), e.listed()));

    Map<String, PendingRow> newNames = new LinkedHashMap<>();
    for (String s : services) name(newNames, now, "s\0" + s, () -> st.insertServiceName.row(s));
    for (OperationName o : operations) {
      name(newNames, now, "o\0" + o.service() + '\0' + o.operation() + '\0' + o.kind(),
          () -> st.insertOperationName.row(o.service(), o.operation(), o.kind()));
    }
    for (TagName t : tags) {
      if (t.key().equals(TagIndexEntry.REMOTE_SERVICE_KEY)) {
        name(newNames, now, "r\0" + t.service() + '\0' + t.value(),
            () -> st.insertRemoteServiceName.row(t.service(), t.value()));
      }
      if (!t.listed()) continue; // past the cardinality guard: searchable, not offered for autocomplete
      name(newNames, now, "k\0" + t.key(), () -> st.insertTagKey.row(t.key()));
      name(newNames, now, "v\0" + t.key() + '\0' + t.value(), () -> st.insertTagValue.row(t.key(), t.value()));
    }
    rows.addAll(newNames.values());
    statements.addAll(groupByPartition(rows, st));
    return new Plan(statements, List.copyOf(newNames.keySet()));
  }

  private record OperationName(String service, String operation, String kind) {}

  private record TagName(String service, String key, String value, boolean listed) {}

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
