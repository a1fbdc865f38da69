package tracestore.storage.model;

import java.util.Objects;

/** A key and a typed value. Keys are never null; an empty key is rejected by {@link Span.Builder}. */
public record Tag(String key, TagValue value) {
  public Tag {
    Objects.requireNonNull(key, "tag key == null");
    Objects.requireNonNull(value, "tag value == null");
  }

  public static Tag of(String key, String value) {
    return new Tag(key, TagValue.of(value));
  }

  public static Tag of(String key, long value) {
    return new Tag(key, TagValue.of(value));
  }

  public static Tag of(String key, double value) {
    return new Tag(key, TagValue.of(value));
  }

  public static Tag of(String key, boolean value) {
    return new Tag(key, TagValue.of(value));
  }
}
