package tracestore.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tracestore.storage.model.TraceId;

/**
 * The {@code k} distinct traces with the longest span durations, ties broken by the smaller trace
 * id. The result does not depend on the order of offers. Not thread-safe; k is small.
 */
final class TopTraces {
  record Entry(TraceId traceId, long durationNanos) {}

  static final Comparator<Entry> BEST_FIRST = Comparator.comparingLong(Entry::durationNanos)
      .reversed().thenComparing(Entry::traceId);

  private final int k;
  private final List<Entry> entries;

  TopTraces(int k) {
    this.k = k;
    this.entries = new ArrayList<>(k);
  }

  void offer(TraceId traceId, long durationNanos) {
    Entry offered = new Entry(traceId, durationNanos);
    int worst = -1;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.traceId().equals(traceId)) {
        if (durationNanos > e.durationNanos()) entries.set(i, offered);
        return;
      }
      if (worst < 0 || BEST_FIRST.compare(e, entries.get(worst)) > 0) worst = i;
    }
    if (entries.size() < k) {
      entries.add(offered);
    } else if (BEST_FIRST.compare(offered, entries.get(worst)) < 0) {
      entries.set(worst, offered);
    }
  }

  List<Entry> sorted() {
    List<Entry> out = new ArrayList<>(entries);
    out.sort(BEST_FIRST);
    return out;
  }
}
