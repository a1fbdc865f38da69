package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * A batch's parts fold into one row per service and spread window, and every element keeps its
 * trace (through its part), its own start, its kind and its duration.
 */
class BatchRowsTest {
  static final long T0 = TraceRowsTest.T0;
  static final long MS = 1_000_000L;

  @Test
  void tracesOfOneServiceShareARow_elementsKeepTheirPartStartKindAndDuration() {
    TraceId x = new TraceId(1, 1);
    TraceId y = new TraceId(2, 2);
    List<TraceRows.Row> parts = TraceRows.of(
        List.of(new ServiceIndexEntry("a", x, T0, 900, false),
            new ServiceIndexEntry("a", y, T0 + 10 * MS, 50, true),
            new ServiceIndexEntry("b", y, T0 + 11 * MS, 40, false)),
        List.of(new OperationIndexEntry("a", "GET /", SpanKind.SERVER, x, T0, 900),
            new OperationIndexEntry("a", "GET /", SpanKind.SERVER, y, T0 + 10 * MS, 50)),
        List.of(new TagIndexEntry("a", "k", "v", x, T0 + 2),
            new TagIndexEntry("a", "k", "v", y, T0 + 10 * MS + 3)));
    List<BatchRows.Row> rows = BatchRows.of(parts);
    assertThat(rows).hasSize(2);
    BatchRows.Row a = rows.stream().filter(r -> r.service().equals("a")).findFirst().orElseThrow();
    assertThat(a.startEpochNanos()).isEqualTo(T0);
    assertThat(a.traceIds()).containsExactly(x, y);
    assertThat(a.partOffsets()).containsExactly(0, (int) (10 * MS));
    assertThat(a.durations()).containsExactly(900L, 50L);
    assertThat(a.errors()).containsExactly(false, true);
    long op = TagRows.operationHash("a", "GET /");
    long tag = TagRows.hash("a", "k", "v");
    // Operations of every part first, then tags; each element points at its part.
    assertThat(a.terms()).containsExactly(op, op, tag, tag);
    assertThat(a.termParts()).containsExactly(1, 2, 1, 2);
    assertThat(a.termOffsets()).containsExactly(0, (int) (10 * MS), 2, (int) (10 * MS) + 3);
    assertThat(a.opDurations()).containsExactly(900L, 50L);
  }

  @Test
  void partsStartWithinTheSpreadOfTheirRowAndOnItsDay() {
    List<ServiceIndexEntry> services = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      services.add(new ServiceIndexEntry("a", new TraceId(i + 1, 1), T0 + i * 30 * MS, 1, false));
    }
    long midnight = (Partitions.dayOf(T0) + 1) * Partitions.NANOS_PER_DAY;
    services.add(new ServiceIndexEntry("a", new TraceId(99, 1), midnight - 1, 1, false));
    services.add(new ServiceIndexEntry("a", new TraceId(98, 1), midnight, 1, false));
    List<BatchRows.Row> rows = BatchRows.of(TraceRows.of(services, List.of(), List.of()));
    int parts = 0;
    for (BatchRows.Row r : rows) {
      parts += r.traceIds().length;
      for (int o : r.partOffsets()) {
        assertThat((long) o).isBetween(0L, TraceRows.MAX_SPREAD_NANOS);
        assertThat(Partitions.dayOf(r.startEpochNanos() + o)).isEqualTo(Partitions.dayOf(r.startEpochNanos()));
      }
    }
    assertThat(parts).isEqualTo(42);
    assertThat(rows.size()).isBetween(6, 8); // 1.2 s of parts in 250 ms windows, and the day break
  }
}
