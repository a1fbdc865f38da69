package tracestore.storage.model;

import java.util.List;
import java.util.Objects;

/**
 * A timestamped event on a span (OTel event, Zipkin annotation).
 *
 * @param epochNanos when it happened, nanoseconds since the epoch
 * @param name the event name (a Zipkin annotation's value); never null
 * @param fields the event's typed fields, possibly empty
 */
public record SpanLog(long epochNanos, String name, List<Tag> fields) {
  public SpanLog {
    Objects.requireNonNull(name, "log name == null");
    fields = List.copyOf(fields);
  }

  public static SpanLog of(long epochNanos, String name) {
    return new SpanLog(epochNanos, name, List.of());
  }
}
