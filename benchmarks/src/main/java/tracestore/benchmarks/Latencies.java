package tracestore.benchmarks;

import java.util.Arrays;

/** Latency samples in nanoseconds, kept whole (a run has at most a few hundred thousand). */
final class Latencies {
  private long[] values = new long[1 << 12];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = nanos;
  }

  synchronized int size() {
    return size;
  }

  /** The samples so far, and forget them (for per-interval figures). */
  synchronized Latencies drain() {
    Latencies out = new Latencies();
    out.values = Arrays.copyOf(values, size);
    out.size = size;
    size = 0;
    return out;
  }

  synchronized void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) add(other.values[i]);
  }

  /** The {@code q} quantile in milliseconds (nearest rank), 0 when empty. */
  synchronized double millis(double q) {
    if (size == 0) return 0;
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
  }
}
