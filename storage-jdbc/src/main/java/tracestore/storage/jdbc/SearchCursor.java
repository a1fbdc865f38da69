package tracestore.storage.jdbc;

import tracestore.storage.TraceHit;
import tracestore.storage.model.TraceId;

/**
 * The position after a hit: its start and trace id. The text form is {@code v1.<start>.<trace id
 * hex>}; it is opaque to callers, and anything else is rejected with {@link
 * IllegalArgumentException}.
 */
record SearchCursor(long startEpochNanos, TraceId traceId) {
  private static final String PREFIX = "v1.";

  static SearchCursor after(TraceHit hit) {
    return new SearchCursor(hit.startEpochNanos(), hit.traceId());
  }

  String encode() {
    return PREFIX + startEpochNanos + '.' + traceId.toHex();
  }

  static SearchCursor parse(String text) {
    if (text == null) return null;
    int dot = text.lastIndexOf('.');
    if (!text.startsWith(PREFIX) || dot <= PREFIX.length()) {
      throw new IllegalArgumentException("malformed search cursor: \"" + text + '"');
    }
    try {
      long start = Long.parseLong(text.substring(PREFIX.length(), dot));
      return new SearchCursor(start, TraceId.parse(text.substring(dot + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed search cursor: \"" + text + '"', e);
    }
  }
}
