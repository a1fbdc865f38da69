package tracestore.server.cli;

import java.util.Locale;

/** Formats nanosecond durations for people: {@code 850µs}, {@code 12.3ms}, {@code 1.234s}. */
final class Durations {
  private Durations() {}

  static String format(long nanos) {
    if (nanos < 1_000_000L) return String.format(Locale.ROOT, "%dµs", nanos / 1_000L);
    if (nanos < 10_000_000_000L) return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }
}
