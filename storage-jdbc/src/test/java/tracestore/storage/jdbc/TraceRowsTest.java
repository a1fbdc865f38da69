package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * The folding of a batch's entries into trace_index rows keeps every entry, with its own start
 * and duration, and the invariants the search relies on: one service entry per row at the row's
 * start, every element within the spread after the row and on its day, each term once per row,
 * operations before tags.
 */
class TraceRowsTest {
  static final TraceId TRACE = new TraceId(1, 2);
  static final long T0 = 1_795_600_000_000_000_000L; // a UTC day's middle, far from midnight

  @Test
  void theUsualBatchIsOneRowPerTraceAndService() {
    List<TraceRows.Row> rows = TraceRows.of(
        List.of(new ServiceIndexEntry("a", TRACE, T0, 900, true),
            new ServiceIndexEntry("b", TRACE, T0 + 5, 100, false)),
        List.of(new OperationIndexEntry("a", "GET /", SpanKind.SERVER, TRACE, T0, 900),
            new OperationIndexEntry("b", "query", SpanKind.CLIENT, TRACE, T0 + 5, 100)),
        List.of(new TagIndexEntry("a", "http.method", "GET", TRACE, T0 + 1),
            new TagIndexEntry("b", "db.system", "pg", TRACE, T0 + 7)));
    assertThat(rows).hasSize(2);
    TraceRows.Row a = rows.stream().filter(r -> r.service().equals("a")).findFirst().orElseThrow();
    assertThat(a.hasService()).isTrue();
    assertThat(a.startEpochNanos()).isEqualTo(T0);
    assertThat(a.durationNanos()).isEqualTo(900);
    assertThat(a.error()).isTrue();
    assertThat(a.terms()).containsExactly(TagRows.operationHash("a", "GET /"),
        TagRows.hash("a", "http.method", "GET"));
    assertThat(a.offsets()).containsExactly(0, 1);
    assertThat(a.opDurations()).containsExactly(900L);
  }

  @Test
  void equalEntriesAreOneElement_soPostgresNeedsNoDedupeBeforehand() {
    ServiceIndexEntry service = new ServiceIndexEntry("a", TRACE, T0, 900, false);
    OperationIndexEntry op = new OperationIndexEntry("a", "GET /", SpanKind.SERVER, TRACE, T0, 900);
    TagIndexEntry tag = new TagIndexEntry("a", "http.method", "GET", TRACE, T0 + 1);
    List<TraceRows.Row> once = TraceRows.of(List.of(service), List.of(op), List.of(tag));
    List<TraceRows.Row> twice = TraceRows.of(List.of(service, service),
        List.of(op, new OperationIndexEntry("a", "GET /", SpanKind.SERVER, TRACE, T0, 900)),
        List.of(tag, tag, tag));
    assertThat(twice).hasSize(1);
    assertThat(twice.get(0).terms()).containsExactly(once.get(0).terms());
    assertThat(twice.get(0).offsets()).containsExactly(once.get(0).offsets());
    assertThat(twice.get(0).opDurations()).containsExactly(once.get(0).opDurations());
    // The same term at another start is not a duplicate: it still gets a row of its own.
    assertThat(TraceRows.of(List.of(service), List.of(op),
        List.of(tag, new TagIndexEntry("a", "http.method", "GET", TRACE, T0 + 2)))).hasSize(2);
  }

  @Test
  void entriesOutsideTheSpreadOrBeforeTheServiceOrRepeatedGoToOtherRows() {
    long late = T0 + TraceRows.MAX_SPREAD_NANOS + 1;
    List<OperationIndexEntry> ops = List.of(
        new OperationIndexEntry("a", "op", SpanKind.SERVER, TRACE, T0 + 10, 5),
        new OperationIndexEntry("a", "op", SpanKind.CLIENT, TRACE, T0 + 20, 7), // same term
        new OperationIndexEntry("a", "slow", SpanKind.SERVER, TRACE, late, 9));
    List<TagIndexEntry> tags = List.of(
        new TagIndexEntry("a", "k", "early", TRACE, T0 - 3), // before the service entry
        new TagIndexEntry("a", "k", "edge", TRACE, T0 + TraceRows.MAX_SPREAD_NANOS));
    List<TraceRows.Row> rows = TraceRows.of(
        List.of(new ServiceIndexEntry("a", TRACE, T0, 50, false)), ops, tags);

    // Every entry is in exactly one row, with its exact start (and duration for operations).
    List<long[]> found = new ArrayList<>(); // {hash, start, duration or -1}
    for (TraceRows.Row r : rows) {
      assertThat(r.opDurations().length).isLessThanOrEqualTo(r.terms().length);
      assertThat(r.terms()).doesNotHaveDuplicates();
      for (int i = 0; i < r.terms().length; i++) {
        assertThat(r.offsets()[i]).isBetween(0, (int) TraceRows.MAX_SPREAD_NANOS);
        long start = r.startEpochNanos() + r.offsets()[i];
        assertThat(Partitions.dayOf(start)).isEqualTo(Partitions.dayOf(r.startEpochNanos()));
        found.add(new long[] {r.terms()[i], start, i < r.opDurations().length ? r.opDurations()[i] : -1});
      }
    }
    List<long[]> expected = new ArrayList<>();
    for (OperationIndexEntry e : ops) {
      expected.add(new long[] {TagRows.operationHash("a", e.operation()), e.startEpochNanos(), e.durationNanos()});
    }
    for (TagIndexEntry e : tags) {
      expected.add(new long[] {TagRows.hash("a", e.key(), e.value()), e.startEpochNanos(), -1});
    }
    Comparator<long[]> order = Comparator.<long[]>comparingLong(x -> x[0])
        .thenComparingLong(x -> x[1]).thenComparingLong(x -> x[2]);
    found.sort(order);
    expected.sort(order);
    assertThat(found).usingElementComparator(order).containsExactlyElementsOf(expected);

    // The service entry is in one row only, which starts at it.
    assertThat(rows.stream().filter(TraceRows.Row::hasService).toList())
        .singleElement().satisfies(r -> assertThat(r.startEpochNanos()).isEqualTo(T0));
    // The service row; a row from the early tag, which also takes the repeated op; the late op.
    assertThat(rows).hasSize(3);
  }

  @Test
  void aRowNeverCrossesMidnight() {
    long midnight = Partitions.dayOf(T0) * Partitions.NANOS_PER_DAY + Partitions.NANOS_PER_DAY;
    List<TraceRows.Row> rows = TraceRows.of(
        List.of(new ServiceIndexEntry("a", TRACE, midnight - 10, 50, false)), List.of(),
        List.of(new TagIndexEntry("a", "k", "v", TRACE, midnight + 10)));
    assertThat(rows).hasSize(2);
    for (TraceRows.Row r : rows) {
      for (int o : r.offsets()) {
        assertThat(Partitions.dayOf(r.startEpochNanos() + o))
            .isEqualTo(Partitions.dayOf(r.startEpochNanos()));
      }
    }
  }
}
