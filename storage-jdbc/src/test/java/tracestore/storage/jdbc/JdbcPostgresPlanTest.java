package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.schema.TestDatabases;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.model.TraceId;

/**
 * Searches and trace reads use the indexes, never a sequential scan: loads 100,000 rows into each
 * raw table (chunks; trace_index's parts) of today's partition (200 services, 50 operations each, 1,000
 * tag values), enough that a sequential scan is far more expensive, then checks the EXPLAIN of the
 * exact SQL the reader runs, with real bound values, for every search shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcPostgresPlanTest {
  static final int ROWS = 100_000;
  static final long DAY = Partitions.NANOS_PER_DAY;
  JdbcStorage storage;
  long dayStart;

  @BeforeAll
  void load() throws SQLException {
    storage = JdbcTestStorages.freshPostgres(JdbcPostgresPlanTest.class);
    dayStart = Partitions.dayOf(System.currentTimeMillis() * 1_000_000L) * DAY;
    String step = Long.toString(DAY / ROWS);
    String t = dayStart + " + i * " + step;
    try (Connection c = storage.writeDataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO chunks SELECT md5(i::text)::uuid, i, " + t + ", " + t + " + 1000, 1,"
          + " decode(md5(i::text), 'hex') FROM generate_series(1::bigint, " + ROWS + ") i");
      // One trace_index row per 10 traces (service, batch), each trace a part with its service
      // entry, one operation (50 per service) and two tags (1,000 values per service, 600 remote
      // services), hashed as the real terms are not: a plan is chosen from statistics, matches or
      // not. 10,000 rows, 100,000 parts 20 ms apart in a row.
      String part = "(i - g * 10) * 20000000"; // a part's offset in its row
      String agg = " ORDER BY i)";
      s.execute("INSERT INTO trace_index SELECT 'svc-' || (g % 200), " + dayStart + " + g * 10 * "
          + step + ", array_agg(md5(i::text)::uuid" + agg + ", array_agg(" + part + agg
          + ", array_agg(i % 1000 * 1000000" + agg + ", array_agg(i % 7 = 0" + agg
          + ", array_agg(hashtextextended('svc-' || (g % 200) || 'op-' || (i % 50), 0)" + agg
          + " || array_agg(hashtextextended('svc-' || (g % 200) || '=' || (i % 1000), 0)" + agg
          + " || array_agg(hashtextextended('peer-' || (i % 600), 0)" + agg
          + ", array_agg(i - g * 10 + 1" + agg + " || array_agg(i - g * 10 + 1" + agg
          + " || array_agg(i - g * 10 + 1" + agg
          + ", array_agg(" + part + agg + " || array_agg(" + part + " + i % 1000" + agg
          + " || array_agg(" + part + " + i % 5000" + agg
          + ", array_agg(i % 1000 * 1000000" + agg
          + " FROM (SELECT i, i / 10 AS g FROM generate_series(1::bigint, " + ROWS + ") i) x"
          + " GROUP BY g");
      s.execute("VACUUM ANALYZE chunks, trace_index");
    }
  }

  @AfterAll
  void close() {
    storage.close();
    TestDatabases.dropPostgresSchema(TestDatabases.schemaFor(JdbcPostgresPlanTest.class));
  }

  SearchRequest.Builder day() {
    return SearchRequest.newBuilder().timeRange(dayStart, dayStart + DAY - 1).limit(20);
  }

  @Test
  void everySearchShapeUsesTheIndexes() throws SQLException {
    List<SearchRequest> shapes = List.of(
        day().service("svc-7").build(),
        day().service("svc-7").operation("op-7").build(),
        day().service("svc-7").operation("op-7").minDurationNanos(5_000_000).maxDurationNanos(9_000_000).build(),
        day().service("svc-7").minDurationNanos(500_000_000).build(),
        day().service("svc-7").tag("http.status", "207").build(),
        day().service("svc-7").tag("http.status", "207").operation("op-7").build(),
        day().service("svc-7").remoteService("db").build(),
        day().service("svc-7").errorOnly(true).build(),
        day().service("svc-7").cursor(new SearchCursor(dayStart + DAY / 2, new TraceId(1, 1)).encode()).build(),
        SearchRequest.newBuilder().timeRange(dayStart + DAY / 2, dayStart + DAY / 2 + DAY / 200).build(),
        SearchRequest.newBuilder().timeRange(dayStart + DAY / 2, dayStart + DAY / 2 + DAY / 200)
            .errorOnly(true).build());
    for (SearchRequest r : shapes) {
      SearchCursor cursor = r.cursor() == null ? null : SearchCursor.decode(r.cursor());
      SearchQuery q = SearchQuery.of(r, cursor, r.limit() + 1, storage.dialect());
      String plan = explain(q.sql, ps -> q.bind(ps, storage.dialect()));
      assertThat(plan).as("%s%n%s", r, plan).doesNotContain("Seq Scan").contains("Index");
    }
  }

  /** The windowed search's straddle check: per predicate, the index range narrowed to one trace. */
  @Test
  void theStraddleCheckUsesTheIndexes() throws SQLException {
    for (SearchRequest r : List.of(day().service("svc-7").build(),
        day().service("svc-7").operation("op-7").tag("http.status", "207").build(),
        day().service("svc-7").errorOnly(true).minDurationNanos(5).build())) {
      SearchQuery q = SearchQuery.anyEntry(r, new TraceId(7, 7), storage.dialect());
      String plan = explain(q.sql, ps -> q.bind(ps, storage.dialect()));
      assertThat(plan).as("%s%n%s", r, plan).doesNotContain("Seq Scan").contains("Index");
    }
    String today = Partitions.partitionName("chunks", Partitions.dayOf(dayStart));
    String plan = explain(JdbcTraceReader.SELECT_FIRST_CHUNK_START,
        ps -> storage.dialect().bindTraceId(ps, 1, new TraceId(42, 42)));
    assertThat(plan).as(plan).contains(today + "_pkey").doesNotContain("Seq Scan on " + today);
  }

  @Test
  void readingATraceUsesTheChunkKey() throws SQLException {
    String plan = explain(JdbcTraceReader.SELECT_CHUNKS,
        ps -> storage.dialect().bindTraceId(ps, 1, new TraceId(42, 42)));
    // Every partition is probed; the planner may "scan" the empty future ones (0 pages, cost 0).
    String today = Partitions.partitionName("chunks", Partitions.dayOf(dayStart));
    assertThat(plan).as(plan).contains("Index Scan using " + today + "_pkey")
        .doesNotContain("Seq Scan on " + today);
  }

  @Test
  void withoutItsIndexesTheSameSearchWouldScan() throws SQLException {
    SearchRequest r = day().service("svc-7").tag("http.status", "207").build();
    SearchQuery q = SearchQuery.of(r, null, 21, storage.dialect());
    String plan = explain("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off;"
        + " SET LOCAL enable_indexonlyscan = off", q.sql, ps -> q.bind(ps, storage.dialect()));
    assertThat(plan).contains("Seq Scan"); // the table is big enough for the index to matter
  }

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  String explain(String sql, Binder binder) throws SQLException {
    return explain(null, sql, binder);
  }

  String explain(String settings, String sql, Binder binder) throws SQLException {
    try (Connection c = storage.readDataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        if (settings != null) {
          try (Statement s = c.createStatement()) {
            for (String set : settings.split(";")) s.execute(set);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
          binder.bind(ps);
          StringBuilder plan = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
          }
          return plan.toString();
        }
      } finally {
        c.rollback();
      }
    }
  }
}
