package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.schema.TestDatabases;
import tracestore.storage.IndexPolicy;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Chunks go by COPY, which has no ON CONFLICT: a batch holding an already stored chunk must fall
 * back to the INSERT path and still write index rows for exactly its new traces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcPostgresChunkCopyTest {
  JdbcStorage storage;
  DataSource db;

  @BeforeAll
  void open() {
    storage = JdbcTestStorages.freshPostgres(JdbcPostgresChunkCopyTest.class);
    db = TestDatabases.postgres(TestDatabases.schemaFor(JdbcPostgresChunkCopyTest.class));
  }

  @AfterAll
  void close() {
    storage.close();
    TestDatabases.dropPostgresSchema(TestDatabases.schemaFor(JdbcPostgresChunkCopyTest.class));
  }

  @Test
  void aReplayAddsNoRow_andABatchMixingOldAndNewChunksIndexesOnlyTheNewTraces() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    Span a = span(now);
    Span b = span(now + MILLI);
    write(batch(a));
    assertThat(count("chunks", a.traceId())).isEqualTo(1);
    long indexRowsOfA = count("trace_index", a.traceId());
    assertThat(indexRowsOfA).isPositive();

    write(batch(a)); // the COPY meets a's stored chunk: unique violation, then the INSERT path
    assertThat(count("chunks", a.traceId())).isEqualTo(1);
    assertThat(count("trace_index", a.traceId())).isEqualTo(indexRowsOfA);

    write(batch(a, b)); // a's chunk is old, b's new: only b gains index rows
    assertThat(count("chunks", a.traceId())).isEqualTo(1);
    assertThat(count("trace_index", a.traceId())).isEqualTo(indexRowsOfA);
    assertThat(count("chunks", b.traceId())).isEqualTo(1);
    assertThat(count("trace_index", b.traceId())).isPositive();
    assertThat(storage.reader().getTrace(b.traceId())).containsExactly(b);
  }

  void write(WriteBatch batch) throws Exception {
    storage.writer().write(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static WriteBatch batch(Span... spans) {
    return WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(spans));
  }

  /** Chunk rows, or index parts (trace_index holds a trace id per part), of one trace. */
  long count(String table, TraceId id) throws SQLException {
    String uuid = "'" + id.toHex().replaceAll("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5")
        + "'::uuid";
    String sql = table.equals("trace_index")
        ? "SELECT count(*) FROM trace_index, unnest(trace_ids) t WHERE t = " + uuid
        : "SELECT count(*) FROM " + table + " WHERE trace_id = " + uuid;
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Span span(long start) {
    return Span.newBuilder().traceId(TestObjects.newTraceId()).spanId(TestObjects.newSpanId())
        .name("op").service("copy-svc").startEpochNanos(start).durationNanos(MILLI)
        .addTag("k", "v").build();
  }
}
