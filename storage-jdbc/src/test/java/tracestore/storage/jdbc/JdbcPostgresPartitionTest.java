package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.schema.TestDatabases;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;

/** Daily partitions: created ahead at startup, on demand for other days, dropped for retention. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcPostgresPartitionTest {
  static final long DAY = Partitions.NANOS_PER_DAY;
  JdbcStorage storage;
  long today;

  @BeforeAll
  void open() {
    storage = JdbcTestStorages.freshPostgres(JdbcPostgresPartitionTest.class);
    today = Partitions.dayOf(System.currentTimeMillis() * 1_000_000L);
  }

  @AfterAll
  void close() {
    storage.close();
    TestDatabases.dropPostgresSchema(TestDatabases.schemaFor(JdbcPostgresPartitionTest.class));
  }

  @Test
  void todayAndTheNextDaysExistAfterStartup() throws Exception {
    assertThat(storage.partitions().existingDays())
        .contains(today, today + 1, today + 2, today + 3);
  }

  @Test
  void aBatchOnAnUnknownDayCreatesItsPartition_andRetentionDropsWholeDays() throws Exception {
    long oldDay = today - 40;
    Span old = span(oldDay * DAY + 5_000 * MILLI);
    Span recent = span(today * DAY + 5_000 * MILLI);
    assertThat(storage.partitions().existingDays()).doesNotContain(oldDay);

    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(old, recent)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(storage.partitions().existingDays()).contains(oldDay);
    assertThat(storage.reader().getTrace(old.traceId())).containsExactly(old);
    assertThat(hits(old)).isEqualTo(1);

    // Cut-off in the middle of yesterday: only whole days before it go, today's data stays.
    long dropped = storage.rollups().deleteRawBefore((today - 1) * DAY + DAY / 2);
    assertThat(dropped).isGreaterThanOrEqualTo(1);
    assertThat(storage.partitions().existingDays()).doesNotContain(oldDay).contains(today);
    assertThat(storage.reader().getTrace(old.traceId())).isEmpty();
    assertThat(hits(old)).isZero();
    assertThat(storage.reader().getTrace(recent.traceId())).containsExactly(recent);

    // The dropped day comes back on demand if late data arrives for it.
    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(old)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(storage.reader().getTrace(old.traceId())).containsExactly(old);
  }

  /** Chunk rows up to 8160 bytes stay inline (V006): every chunks partition has the target. */
  @Test
  void chunkPartitionsKeepRowsInlineUpTo8160Bytes() throws Exception {
    String schema = TestDatabases.schemaFor(JdbcPostgresPartitionTest.class);
    List<String> options = new java.util.ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(TestDatabases.postgresUrl());
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT c.relname,"
            + " array_to_string(c.reloptions, ',') FROM pg_inherits i"
            + " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
            + " JOIN pg_namespace n ON n.oid = p.relnamespace"
            + " WHERE n.nspname = ? AND p.relname = 'chunks'")) {
      ps.setString(1, schema);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) options.add(rs.getString(1) + ": " + rs.getString(2));
      }
    }
    assertThat(options).hasSizeGreaterThanOrEqualTo(4)
        .allMatch(o -> o.endsWith(": toast_tuple_target=8160"), "every chunks partition");
  }

  /** Another instance's retention dropped a day this one still believes exists: recreated. */
  @Test
  void aDayDroppedByAnotherInstanceIsRecreated() throws Exception {
    long day = today - 20;
    Span first = span(day * DAY + 1_000 * MILLI);
    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(first)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (JdbcStorage other = JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl())
        .schema(TestDatabases.schemaFor(JdbcPostgresPartitionTest.class)).build()) {
      assertThat(other.rollups().deleteRawBefore((day + 1) * DAY)).isPositive();
    }
    Span late = span(day * DAY + 2_000 * MILLI);
    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(late)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(storage.reader().getTrace(late.traceId())).containsExactly(late);
  }

  int hits(Span s) {
    return storage.reader().search(SearchRequest.newBuilder()
        .timeRange(s.startEpochNanos() - 1, s.startEpochNanos() + 1).service(s.service()).build())
        .hits().size();
  }

  static Span span(long start) {
    return Span.newBuilder().traceId(TestObjects.newTraceId()).spanId(TestObjects.newSpanId())
        .name("op").service("part-svc").startEpochNanos(start).durationNanos(MILLI).build();
  }
}
