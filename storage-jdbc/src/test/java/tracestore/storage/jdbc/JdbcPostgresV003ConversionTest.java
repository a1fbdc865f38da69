package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import tracestore.schema.SqlMigrator;
import tracestore.schema.TestDatabases;
import tracestore.storage.SearchRequest;
import tracestore.storage.TraceHit;
import tracestore.storage.model.TraceId;

/**
 * V007 converts V003's index rows (one per trace and service) into rows of one part each: traces
 * indexed before the upgrade are found by every kind of search, with their own starts.
 */
class JdbcPostgresV003ConversionTest {
  static final TraceId A = new TraceId(0x0a, 1);
  static final TraceId B = new TraceId(0x0b, 2);

  @Test
  void v003RowsAreSearchableAfterV007() throws SQLException {
    String schema = TestDatabases.schemaFor(JdbcPostgresV003ConversionTest.class);
    DataSource ds = TestDatabases.freshPostgresSchema(schema);
    Flyway.configure(getClass().getClassLoader()).dataSource(ds).schemas(schema)
        .defaultSchema(schema).locations("classpath:tracestore/schema/sql/postgres")
        .table(SqlMigrator.HISTORY_TABLE).target("6").loggers("slf4j").load().migrate();
    long t = (System.currentTimeMillis() - 60_000) * 1_000_000L;
    long day = Partitions.dayOf(t);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema);
      s.execute("CREATE TABLE " + Partitions.partitionName("trace_index", day)
          + " PARTITION OF trace_index FOR VALUES FROM (" + day * Partitions.NANOS_PER_DAY
          + ") TO (" + (day + 1) * Partitions.NANOS_PER_DAY + ")");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_index VALUES"
          + " ('conv', ?, ?, 900, true, ARRAY[?, ?]::bigint[], ARRAY[0, 5], ARRAY[900]::bigint[]),"
          + " ('conv', ?, ?, NULL, NULL, ARRAY[?]::bigint[], ARRAY[3], '{}')")) {
        ps.setLong(1, t);
        ps.setObject(2, new UUID(A.high(), A.low()));
        ps.setLong(3, TagRows.operationHash("conv", "GET /"));
        ps.setLong(4, TagRows.hash("conv", "http.method", "GET"));
        ps.setLong(5, t + 1_000_000);
        ps.setObject(6, new UUID(B.high(), B.low()));
        ps.setLong(7, TagRows.hash("conv", "http.method", "GET"));
        ps.executeUpdate();
      }
    }
    try (JdbcStorage storage = JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl())
        .schema(schema).migrate(true).build()) {
      assertThat(search(storage, SearchRequest.newBuilder().service("conv")))
          .containsExactly(new TraceHit(A, t));
      assertThat(search(storage, SearchRequest.newBuilder().service("conv").tag("http.method", "GET")))
          .containsExactly(new TraceHit(B, t + 1_000_003), new TraceHit(A, t + 5));
      assertThat(search(storage, SearchRequest.newBuilder().service("conv").operation("GET /")
          .minDurationNanos(900))).containsExactly(new TraceHit(A, t));
      assertThat(search(storage, SearchRequest.newBuilder().service("conv").operation("GET /")
          .minDurationNanos(901))).isEmpty();
      assertThat(search(storage, SearchRequest.newBuilder().service("conv").errorOnly(true)))
          .containsExactly(new TraceHit(A, t));
    } finally {
      TestDatabases.dropPostgresSchema(schema);
    }
  }

  static java.util.List<TraceHit> search(JdbcStorage storage, SearchRequest.Builder b) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return storage.reader().search(b.timeRange(now - 3_600_000_000_000L, now).limit(10).build()).hits();
  }
}
