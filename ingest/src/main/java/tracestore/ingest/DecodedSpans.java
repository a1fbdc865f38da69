package tracestore.ingest;

import java.util.ArrayList;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * What a decoder produced from one request: the valid spans, and the count and first messages of
 * the spans it rejected. Decoders fill it span by span through one reused {@link Span.Builder}
 * ({@link #newSpan()}, then {@link #addTag}, then {@link #finishSpan()} or {@link #reject}), and
 * it applies the {@link SpanLimits} on the way. Not thread-safe: one instance per request.
 */
public final class DecodedSpans {
  /** Reserved tag (long) holding how many tags a limit dropped from the span. */
  public static final String DROPPED_TAGS_KEY = "tracestore.dropped_tags";

  /** Appended to a string value cut to {@link SpanLimits#maxTagValueLength()}. */
  public static final String TRUNCATION_MARKER = "...[truncated]";

  private static final int MAX_MESSAGES = 5;

  private final SpanLimits limits;
  private final Span.Builder builder = Span.newBuilder();
  private final ArrayList<Span> spans = new ArrayList<>();
  private final ArrayList<String> messages = new ArrayList<>(MAX_MESSAGES);
  private int rejected;
  private int spanTags;
  private int droppedTags;
  private boolean open;

  public DecodedSpans(SpanLimits limits) {
    this.limits = limits;
  }

  /**
   * Starts the next span and returns the cleared, shared builder.
   *
   * @throws BadRequestException (TOO_LARGE) when the request holds more spans than allowed
   */
  public Span.Builder newSpan() {
    if (spans.size() + rejected >= limits.maxSpansPerRequest()) {
      throw new BadRequestException(
          BadRequestException.Reason.TOO_LARGE,
          "request has more than " + limits.maxSpansPerRequest() + " spans (maxSpansPerRequest)");
    }
    open = true;
    spanTags = 0;
    droppedTags = 0;
    return builder.clear();
  }

  /** Adds a tag to the current span, or drops and counts it when a limit says so. */
  public void addTag(String key, TagValue value) {
    if (spanTags >= limits.maxTagsPerSpan()) {
      droppedTags++;
      return;
    }
    Tag tag = limit(key, value);
    if (tag == null) return;
    spanTags++;
    builder.addTag(tag);
  }

  /**
   * Applies the key and value length limits: returns the tag (its string values cut and marked
   * when too long), or null when the key is too long, counting the drop on the current span.
   */
  public Tag limit(String key, TagValue value) {
    if (key.length() > limits.maxTagKeyLength()) {
      droppedTags++;
      return null;
    }
    return new Tag(key, truncate(value));
  }

  private TagValue truncate(TagValue value) {
    if (value instanceof TagValue.Str s) {
      int max = limits.maxTagValueLength();
      String v = s.value();
      return v.length() <= max ? value : TagValue.of(v.substring(0, max) + TRUNCATION_MARKER);
    }
    if (value instanceof TagValue.Arr a) {
      List<TagValue> out = new ArrayList<>(a.values().size());
      for (TagValue v : a.values()) out.add(truncate(v));
      return TagValue.of(out);
    }
    return value;
  }

  /** Builds the current span; a validation failure rejects it with the builder's message. */
  public void finishSpan() {
    if (!open) return;
    open = false;
    if (droppedTags > 0) builder.addTag(Tag.of(DROPPED_TAGS_KEY, (long) droppedTags));
    try {
      spans.add(builder.build());
    } catch (IllegalArgumentException e) {
      rejectClosed(e.getMessage());
    }
  }

  /** Rejects the current span; {@code message} names the problem (and the span, when known). */
  public void reject(String message) {
    open = false;
    rejectClosed(message);
  }

  private void rejectClosed(String message) {
    rejected++;
    if (messages.size() < MAX_MESSAGES) messages.add(message);
  }

  public List<Span> spans() {
    return spans;
  }

  /**
   * Applies the per-trace cap ({@link TraceBudget}): drops, as rejected spans, those of traces
   * already over it, and marks the span that reaches it. Call once, after decoding.
   *
   * @return how many spans were dropped
   */
  public int applyTraceBudget(TraceBudget budget) {
    int dropped = 0;
    int kept = 0;
    TraceId lastReported = null;
    for (int i = 0, n = spans.size(); i < n; i++) {
      Span s = spans.get(i);
      switch (budget.take(s.traceId())) {
        case KEEP -> spans.set(kept++, s);
        case KEEP_AND_MARK -> spans.set(kept++, s.toBuilder().addTag(Tag.of(TraceBudget.TRUNCATED_KEY, true)).build());
        case DROP -> {
          dropped++;
          if (!s.traceId().equals(lastReported)) {
            lastReported = s.traceId();
            rejectClosed("trace " + s.traceId().toHex() + " already has more than "
                + budget.maxSpansPerTrace() + " spans (maxSpansPerTrace); its later spans are dropped");
          } else {
            rejected++;
          }
        }
      }
    }
    spans.subList(kept, spans.size()).clear();
    return dropped;
  }

  public int rejectedCount() {
    return rejected;
  }

  /** Empty when nothing was rejected; else "N of M spans rejected: first; second; ...". */
  public String rejectionMessage() {
    if (rejected == 0) return "";
    StringBuilder b =
        new StringBuilder()
            .append(rejected)
            .append(" of ")
            .append(rejected + spans.size())
            .append(" spans rejected: ");
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) b.append("; ");
      b.append(messages.get(i));
    }
    if (rejected > messages.size()) b.append("; ...");
    return b.toString();
  }

  /**
   * Throws when the request had spans but none was valid, so the caller answers 400 instead of
   * acknowledging an empty write.
   */
  public DecodedSpans requireSomeValid() {
    if (spans.isEmpty() && rejected > 0) {
      throw new BadRequestException(BadRequestException.Reason.INVALID_SPANS, rejectionMessage());
    }
    return this;
  }
}
