package tracestore.storage.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL's {@code trace_index} rows (V007): the {@link TraceRows} parts of one batch folded
 * into one row per service (and per {@link TraceRows#MAX_SPREAD_NANOS} window of part starts on
 * one UTC day). A part is what V003 stored as a row: one trace's service entry and its operation
 * and tag elements. Per span that is about 0.035 rows instead of 0.29, and the GIN indexes the
 * distinct terms of a row, which a batch's traces share (BENCHMARKS.md).
 *
 * <p>A part starts within {@code MAX_SPREAD_NANOS} after its row, and each element within {@code
 * MAX_SPREAD_NANOS} after its part, so every entry of a row starts within {@link #LOOKBACK_NANOS}
 * after the row, on the row's day. Elements are stored operations first (of every part), then tags;
 * {@code term_parts} maps each element to its part.
 */
final class BatchRows {
  private BatchRows() {}

  /** How far after its row any entry of the row may start (fits an int of nanoseconds). */
  static final long LOOKBACK_NANOS = 2 * TraceRows.MAX_SPREAD_NANOS;

  /**
   * One {@code trace_index} row; arrays owned by the row, never mutated after {@link #of}.
   *
   * @param partOffsets per part, its start minus startEpochNanos
   * @param durations per part, its service entry's duration, or -1 when it has none
   * @param terms operation hashes ({@code opDurations.length}), then tag hashes
   * @param termParts per term, its part's index (1-based, as SQL arrays are)
   * @param termOffsets per term, its entry's start minus startEpochNanos
   */
  record Row(String service, long startEpochNanos, TraceId[] traceIds, int[] partOffsets,
      long[] durations, boolean[] errors, long[] terms, int[] termParts, int[] termOffsets,
      long[] opDurations) {}

  /** The rows of one batch's parts ({@link TraceRows#of}), in no particular order. */
  static List<Row> of(List<TraceRows.Row> parts) {
    Map<String, List<TraceRows.Row>> byService = new HashMap<>();
    for (TraceRows.Row p : parts) {
      byService.computeIfAbsent(p.service(), k -> new ArrayList<>()).add(p);
    }
    List<Row> rows = new ArrayList<>();
    for (List<TraceRows.Row> ps : byService.values()) {
      ps.sort(Comparator.comparingLong(TraceRows.Row::startEpochNanos));
      int i = 0;
      while (i < ps.size()) {
        long start = ps.get(i).startEpochNanos();
        long day = Partitions.dayOf(start);
        int j = i + 1;
        while (j < ps.size() && ps.get(j).startEpochNanos() - start <= TraceRows.MAX_SPREAD_NANOS
            && Partitions.dayOf(ps.get(j).startEpochNanos()) == day) {
          j++;
        }
        rows.add(row(ps.subList(i, j), start));
        i = j;
      }
    }
    return rows;
  }

  private static Row row(List<TraceRows.Row> ps, long start) {
    int n = ps.size();
    int elements = 0;
    int ops = 0;
    for (TraceRows.Row p : ps) {
      elements += p.terms().length;
      ops += p.opDurations().length;
    }
    TraceId[] ids = new TraceId[n];
    int[] partOffsets = new int[n];
    long[] durations = new long[n];
    boolean[] errors = new boolean[n];
    long[] terms = new long[elements];
    int[] termParts = new int[elements];
    int[] termOffsets = new int[elements];
    long[] opDurations = new long[ops];
    int o = 0;
    int t = ops;
    for (int k = 0; k < n; k++) {
      TraceRows.Row p = ps.get(k);
      ids[k] = p.traceId();
      int base = (int) (p.startEpochNanos() - start);
      partOffsets[k] = base;
      durations[k] = p.hasService() ? p.durationNanos() : -1;
      errors[k] = p.hasService() && p.error();
      int partOps = p.opDurations().length;
      for (int e = 0; e < p.terms().length; e++) {
        int at = e < partOps ? o++ : t++;
        terms[at] = p.terms()[e];
        termParts[at] = k + 1;
        termOffsets[at] = base + p.offsets()[e];
        if (e < partOps) opDurations[at] = p.opDurations()[e];
      }
    }
    return new Row(ps.get(0).service(), start, ids, partOffsets, durations, errors, terms,
        termParts, termOffsets, opDurations);
  }
}
