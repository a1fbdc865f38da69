package tracestore.storage.model;

import java.util.List;
import java.util.Objects;

/** A link from a span to a span of another (or the same) trace. */
public record SpanLink(TraceId traceId, long spanId, List<Tag> tags) {
  public SpanLink {
    Objects.requireNonNull(traceId, "link trace id == null");
    tags = List.copyOf(tags);
  }
}
