package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracestore.storage.IndexPolicy;
import tracestore.storage.OverCapacityException;
import tracestore.storage.SearchRequest;
import tracestore.storage.StorageException;
import tracestore.storage.TraceHit;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/** Backend behaviour beyond the contract: the statement plan, the in-flight bound, check(), settings. */
class CassandraStorageTest extends MigratedKeyspaceTest {
  static final WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());

  static CassandraStorage.Builder storage() {
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace);
  }

  /** {@code traces} traces of one service, each a root and a child span with a shared tag. */
  static List<Span> traces(String service, int traces) {
    List<Span> spans = new ArrayList<>();
    long t = Buckets.start(Buckets.of(newBaseTime())) + 60_000 * MILLI; // all in one hour bucket
    for (int i = 0; i < traces; i++) {
      TraceId id = newTraceId();
      Span root = span(id, newSpanId(), 0, service, "GET /", t + i * MILLI, 10 * MILLI)
          .addTag(Tag.of("http.method", "GET")).build();
      spans.add(root);
      spans.add(span(id, newSpanId(), root.spanId(), service, "db", t + i * MILLI + 1, MILLI).build());
    }
    return spans;
  }

  @Test
  void writesOneSegmentRowPerServiceHourAndBatchesOnlyRowsOfOnePartitionKey() {
    try (CassandraStorage s = storage().build()) {
      WriteBatch batch = batches.toBatch(traces("plan" + testSuffix(), 20));
      List<Statement<?>> plan = s.spanWriter().plan(batch, System.nanoTime()).statements();

      int chunkInserts = 0;
      int segmentInserts = 0;
      for (Statement<?> st : plan) {
        if (st instanceof BatchStatement b) {
          assertThat(b.getBatchType()).isEqualTo(BatchType.UNLOGGED);
          Set<ByteBuffer> keys = new HashSet<>();
          for (BatchableStatement<?> inner : b) keys.add(((BoundStatement) inner).getRoutingKey());
          assertThat(keys).as("routing keys of one batch").hasSize(1);
          for (BatchableStatement<?> inner : b) {
            assertThat(((BoundStatement) inner).getPreparedStatement().getQuery()).doesNotContain(".chunks");
          }
          continue;
        }
        String query = ((BoundStatement) st).getPreparedStatement().getQuery();
        assertThat(query).doesNotContain(".service_index").doesNotContain(".operation_index").doesNotContain("tag_index");
        if (query.contains(".chunks")) chunkInserts++;
        if (query.contains(".index_segments")) segmentInserts++;
      }
      assertThat(chunkInserts).isEqualTo(20);
      assertThat(segmentInserts).as("service, operation and tag entries of one (service, hour): one row").isEqualTo(1);
      // names: the service, its operations (one partition), the tag key, the tag value
      assertThat(plan).hasSize(20 + 1 + 4);
    }
  }

  @Test
  void searchAndRawScanStillReadPostingsWrittenBeforeSchemaV005() {
    // A keyspace upgraded to V005 keeps V003's posting rows until their TTL; they must stay found.
    String service = "v003" + testSuffix();
    List<Span> spans = traces(service, 2);
    WriteBatch batch = batches.toBatch(spans);
    StatementContext ctx =
        new StatementContext(session, com.datastax.oss.driver.api.core.CqlIdentifier.fromInternal(keyspace),
            com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ONE, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ONE);
    List<PendingRow> rows = new ArrayList<>();
    rows.addAll(new InsertServiceIndex(ctx).rows(batch.serviceEntries()));
    rows.addAll(new InsertOperationIndex(ctx).rows(batch.operationEntries()));
    rows.addAll(new InsertTagIndex(ctx).rows(batch.tagEntries()));
    rows.add(new InsertServiceName(ctx).row(service));
    for (PendingRow r : rows) session.execute(r.statement());
    InsertChunk chunks = new InsertChunk(ctx);
    for (var c : batch.chunks()) session.execute(chunks.bind(c));
    TraceId first = spans.get(0).traceId();
    long start = spans.get(0).startEpochNanos();
    SearchRequest request =
        SearchRequest.newBuilder()
            .service(service)
            .operation("GET /")
            .tag("http.method", "GET")
            .minDurationNanos(5 * MILLI)
            .timeRange(start - 60_000 * MILLI, start + 60_000 * MILLI)
            .limit(10)
            .build();
    try (CassandraStorage s = storage().build()) {
      assertThat(s.reader().search(request).hits())
          .extracting(TraceHit::traceId)
          .containsExactlyInAnyOrder(first, spans.get(2).traceId());
      Set<TraceId> scanned = new HashSet<>();
      s.rollups().scanRaw(start, start + 60_000 * MILLI, list -> list.forEach(sp -> scanned.add(sp.traceId())));
      assertThat(scanned).contains(first, spans.get(2).traceId());
    }
  }

  @Test
  void tagSearchStillReadsPostingsWrittenBeforeSchemaV003() {
    // A keyspace upgraded to V003 keeps V001's tag_index rows until their TTL; they must stay found.
    String service = "legacy" + testSuffix();
    TraceId id = newTraceId();
    long start = newBaseTime();
    Postings.Posting posting =
        Postings.of(List.of(new Postings.Entry(id, start, 0, false)), Postings.TAG_WIDTH).get(0);
    session.execute(
        session
            .prepare(
                "INSERT INTO " + keyspace + ".tag_index (service, key, bucket, value, posting, min_start, max_start, traces)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(service, "http.method", Buckets.of(start), "PUT", posting.id(), start, start, posting.entries()));
    SearchRequest request =
        SearchRequest.newBuilder()
            .service(service)
            .tag("http.method", "PUT")
            .timeRange(start - 60_000 * MILLI, start + 60_000 * MILLI)
            .limit(10)
            .build();
    try (CassandraStorage s = storage().build()) {
      assertThat(s.reader().search(request).hits()).extracting(TraceHit::traceId).containsExactly(id);
    }
  }

  @Test
  void concurrentWritesWhoseIndexEntriesMergeAreEachFoundBySearch() throws Exception {
    String service = "merged" + testSuffix();
    List<WriteBatch> written = new ArrayList<>();
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    try (CassandraStorage s = storage().build()) {
      for (int i = 0; i < 30; i++) {
        WriteBatch b = batches.toBatch(traces(service, 3));
        written.add(b);
        stages.add(s.writer().write(b).toCompletableFuture()); // all in flight: group commit merges them
      }
      for (CompletableFuture<Void> f : stages) f.get(30, TimeUnit.SECONDS);
      long hour = Buckets.start(Buckets.of(newBaseTime()));
      SearchRequest byTag =
          SearchRequest.newBuilder()
              .service(service)
              .tag("http.method", "GET")
              .operation("GET /")
              .timeRange(hour - 3_600_000 * MILLI, hour + 7_200_000 * MILLI)
              .limit(1_000)
              .build();
      Set<TraceId> found = new HashSet<>();
      for (TraceHit h : s.reader().search(byTag).hits()) found.add(h.traceId());
      Set<TraceId> expected = new HashSet<>();
      for (WriteBatch b : written) b.chunks().forEach(c -> expected.add(c.traceId()));
      assertThat(found).hasSize(90).isEqualTo(expected);
    }
  }

  @Test
  void namesAreWrittenOnceThroughTheCache() throws Exception {
    try (CassandraStorage s = storage().build()) {
      String service = "names" + testSuffix();
      WriteBatch first = batches.toBatch(traces(service, 3));
      assertThat(s.spanWriter().plan(first, System.nanoTime()).newNames()).hasSize(5);
      s.writer().write(first).toCompletableFuture().get(30, TimeUnit.SECONDS);

      WriteBatch second = batches.toBatch(traces(service, 3));
      assertThat(s.spanWriter().plan(second, System.nanoTime()).newNames()).isEmpty();
      assertThat(s.reader().services()).contains(service);
      assertThat(s.reader().tagValues("http.method")).contains("GET");
    }
  }

  @Test
  void overCapacityFailsFastAndRetryablyAndLosesNothingAcknowledged() throws Exception {
    try (CassandraStorage s =
        storage().maxInFlight(2).perWriteWindow(2).acquireTimeout(Duration.ZERO).maxWaitingWrites(1).build()) {
      String service = "capacity" + testSuffix();
      List<WriteBatch> written = new ArrayList<>();
      List<CompletableFuture<Void>> stages = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        WriteBatch b = batches.toBatch(traces(service, 5));
        written.add(b);
        stages.add(s.writer().write(b).toCompletableFuture());
      }
      int over = 0;
      for (int i = 0; i < stages.size(); i++) {
        try {
          stages.get(i).get(30, TimeUnit.SECONDS);
          TraceId id = written.get(i).chunks().get(0).traceId();
          assertThat(s.reader().getTrace(id)).as("acknowledged write %d is readable", i).hasSize(2);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(OverCapacityException.class);
          assertThat(((StorageException) e.getCause()).isRetryable()).isTrue();
          assertThat(e.getCause()).hasMessageContaining("in flight");
          over++;
        }
      }
      assertThat(over).as("writes refused for capacity").isBetween(1, 39);
    }
  }

  @Test
  void checkPassesOnAMigratedKeyspaceAndNamesTheFixOtherwise() {
    try (CassandraStorage s = storage().build()) {
      s.check();
    }
    assertThatThrownBy(() -> storage().keyspace("not_migrated_" + testSuffix().toLowerCase().replaceAll("[^a-z0-9]", "")).build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate")
        .matches(e -> !((StorageException) e).isRetryable());
  }

  @Test
  void invalidInputFailsBeforeAnyIo() {
    try (CassandraStorage s = storage().build()) {
      assertThatThrownBy(() -> s.writer().write(null)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void builderNamesBadSettings() {
    assertThatThrownBy(() -> CassandraStorage.newBuilder().build()).hasMessageContaining("contactPoint");
    assertThatThrownBy(() -> storage().maxInFlight(0).build()).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> storage().writeConsistency("MOSTLY")).hasMessageContaining("writeConsistency");
    assertThatThrownBy(() -> storage().keyspace("Bad-Name").build()).hasMessageContaining("keyspace");
  }
}
