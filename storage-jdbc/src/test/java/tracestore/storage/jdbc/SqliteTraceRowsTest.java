package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.TraceHit;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * SQLite's V004 rows: the fixed-width encodings, row ids that follow time when rows start in the
 * same nanosecond (in one batch and across batches), and an FTS index that follows the rows when
 * retention deletes them.
 */
class SqliteTraceRowsTest {
  static final long MILLI = TestObjects.MILLI;
  JdbcStorage storage;

  @BeforeEach
  void open() {
    storage = JdbcTestStorages.freshSqlite(SqliteTraceRowsTest.class);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void encodingsAreFixedWidth() {
    assertThat(SqliteTraceRows.terms(new long[] {0x1fL, -1L}))
        .isEqualTo("000000000000001f ffffffffffffffff ");
    assertThat(SqliteTraceRows.match(0xabcL)).isEqualTo("\"0000000000000abc\"");
    assertThat(SqliteTraceRows.offsets(new int[] {0, 250_000_000}))
        .isEqualTo("000000000250000000");
    assertThat(SqliteTraceRows.durations(new long[] {7, Long.MAX_VALUE}))
        .isEqualTo("0000000000000000007" + Long.MAX_VALUE);
    assertThatThrownBy(() -> SqliteTraceRows.offsets(new int[] {-1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rowsStartingInTheSameNanosecondGetTheNextIdsAndAreAllFound() throws Exception {
    long t = TestObjects.newBaseTime();
    List<TraceId> expected = new ArrayList<>();
    // Two traces starting at t in one batch, then two more in a second batch.
    for (int batch = 0; batch < 2; batch++) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        TraceId id = TestObjects.newTraceId();
        expected.add(0, id);
        spans.add(span(id, t, 5 * MILLI + batch));
      }
      write(spans);
    }
    assertThat(ids()).containsExactly(t, t + 1, t + 2, t + 3);
    SearchRequest.Builder r = SearchRequest.newBuilder().timeRange(t, t).service("svc").limit(10);
    assertThat(hits(r.build())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(hits(r.tag("k", "v").build())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(hits(SearchRequest.newBuilder().timeRange(t, t).service("svc").operation("op")
        .minDurationNanos(5 * MILLI + 1).limit(10).build()))
        .containsExactlyInAnyOrderElementsOf(expected.subList(0, 2));
    // Over all services: an id range of the table, up to ID_SLACK above the range's end.
    assertThat(hits(SearchRequest.newBuilder().timeRange(t, t).limit(10).build()))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(hits(SearchRequest.newBuilder().timeRange(t + 1, t + 5).limit(10).build())).isEmpty();
  }

  @Test
  void anElementIsCheckedAtItsOwnStartNotTheRows() throws Exception {
    long t = TestObjects.newBaseTime();
    TraceId id = TestObjects.newTraceId();
    Span root = span(id, t, 10 * MILLI);
    Span child = root.toBuilder().spanId(2).parentSpanId(root.spanId()).name("late")
        .startEpochNanos(t + 100 * MILLI).durationNanos(MILLI).tags(List.of(Tag.of("k", "w")))
        .build();
    write(List.of(root, child));
    SearchRequest.Builder late = SearchRequest.newBuilder().service("svc").tag("k", "w").limit(10);
    assertThat(hits(late.timeRange(t + 100 * MILLI, t + 200 * MILLI).build())).containsExactly(id);
    assertThat(hits(late.timeRange(t, t + 100 * MILLI - 1).build())).isEmpty();
    assertThat(hits(SearchRequest.newBuilder().service("svc").operation("late")
        .timeRange(t, t + 99 * MILLI).limit(10).build())).isEmpty();
    // A tag's hash never matches as an operation, nor an operation's as a tag.
    assertThat(hits(SearchRequest.newBuilder().service("svc").tag("k", "v")
        .timeRange(t + MILLI, t + 200 * MILLI).limit(10).build())).isEmpty();
  }

  @Test
  void retentionDeletesTheRowsTermsFromTheFtsIndex() throws Exception {
    long t = TestObjects.newBaseTime();
    TraceId old = TestObjects.newTraceId();
    TraceId recent = TestObjects.newTraceId();
    write(List.of(span(old, t, MILLI), span(recent, t + TestObjects.MINUTE, MILLI)));
    storage.rollups().deleteRawBefore(t + 1);
    try (Connection c = storage.writeDataSource().getConnection(); Statement s = c.createStatement()) {
      // Compares the FTS index with trace_index: fails if a deleted row's terms stayed indexed.
      s.execute("INSERT INTO trace_terms (trace_terms, rank) VALUES ('integrity-check', 1)");
    }
    assertThat(ids()).containsExactly(t + TestObjects.MINUTE);
    assertThat(hits(SearchRequest.newBuilder().timeRange(t, t + TestObjects.MINUTE).service("svc")
        .tag("k", "v").limit(10).build())).containsExactly(recent);
  }

  static Span span(TraceId id, long start, long duration) {
    return Span.newBuilder().traceId(id).spanId(1).name("op").service("svc").startEpochNanos(start)
        .durationNanos(duration).tags(List.of(Tag.of("k", "v"))).build();
  }

  void write(List<Span> spans) throws Exception {
    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  List<TraceId> hits(SearchRequest r) {
    return storage.reader().search(r).hits().stream().map(TraceHit::traceId).toList();
  }

  List<Long> ids() throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = storage.readDataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM trace_index ORDER BY id")) {
      while (rs.next()) ids.add(rs.getLong(1));
    }
    return ids;
  }
}
