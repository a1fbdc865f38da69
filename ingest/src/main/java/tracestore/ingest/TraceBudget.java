package tracestore.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import tracestore.storage.model.TraceId;

/**
 * Caps the spans one trace may store ({@link SpanLimits#maxSpansPerTrace()}), across requests: a
 * runaway trace (a loop that opens a span per iteration, a batch job traced as one trace) is cut
 * rather than allowed to grow a chunk list nobody can load. The span that crosses the cap is kept
 * and marked with {@link #TRUNCATED_KEY}, so the stored trace says it is incomplete; later spans of
 * that trace are rejected, each request reporting them as rejected spans (OTLP {@code
 * partial_success}) and in the metric {@code tracestore.ingest.spans.rejected{reason=trace_too_large}}.
 *
 * <p>Memory is bounded: counts are kept for the {@code maxTraces} most recently seen traces, least
 * recently seen forgotten first. A forgotten trace starts counting again, so the cap is per
 * process and approximate for traces idle long enough to be evicted; a trace being written right
 * now is never the least recently seen one. Several ingest processes each apply their own cap.
 * Spans are counted when decoded, so a request refused for backpressure and retried counts twice:
 * the cap errs towards cutting early, never towards storing more. Thread-safe.
 */
public final class TraceBudget {
  /** Reserved tag (bool) on the span that reached the cap: later spans of the trace were dropped. */
  public static final String TRUNCATED_KEY = "tracestore.trace_truncated";

  /** Traces tracked by default: about 6 MiB of counts. */
  public static final int DEFAULT_MAX_TRACES = 100_000;

  /** What to do with one span. */
  public enum Verdict {
    KEEP,
    /** Keep it and mark it with {@link #TRUNCATED_KEY}: it is the last one stored. */
    KEEP_AND_MARK,
    DROP
  }

  private final int maxSpansPerTrace;
  private final LinkedHashMap<TraceId, int[]> counts;

  public TraceBudget(int maxSpansPerTrace, int maxTraces) {
    if (maxSpansPerTrace < 1) throw new IllegalArgumentException("maxSpansPerTrace must be > 0, got " + maxSpansPerTrace);
    if (maxTraces < 1) throw new IllegalArgumentException("maxTraces must be > 0, got " + maxTraces);
    this.maxSpansPerTrace = maxSpansPerTrace;
    this.counts =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<TraceId, int[]> eldest) {
            return size() > maxTraces;
          }
        };
  }

  public int maxSpansPerTrace() {
    return maxSpansPerTrace;
  }

  /** Counts one span of the trace and says whether to store it. */
  public synchronized Verdict take(TraceId traceId) {
    int[] n = counts.computeIfAbsent(traceId, k -> new int[1]);
    if (n[0] > maxSpansPerTrace) return Verdict.DROP;
    n[0]++;
    return n[0] <= maxSpansPerTrace ? Verdict.KEEP : Verdict.KEEP_AND_MARK;
  }
}
