package tracestore.storage.model;

import java.util.List;
import java.util.Objects;

/**
 * A typed tag value: string, long, double, boolean, or an array of those. {@link #type()} gives a
 * switchable discriminator, so callers need no instanceof chains.
 */
public sealed interface TagValue
    permits TagValue.Str, TagValue.Int, TagValue.Dbl, TagValue.Bool, TagValue.Arr {

  /** Value types. Never reorder: stored codecs write ordinals. */
  enum Type {
    STRING,
    LONG,
    DOUBLE,
    BOOL,
    ARRAY
  }

  Type type();

  /** The value as text, as Zipkin's string-only tags and the tag index see it. */
  String asString();

  static TagValue of(String v) {
    return new Str(v);
  }

  static TagValue of(long v) {
    return new Int(v);
  }

  static TagValue of(double v) {
    return new Dbl(v);
  }

  static TagValue of(boolean v) {
    return v ? Bool.TRUE : Bool.FALSE;
  }

  static TagValue of(List<TagValue> v) {
    return new Arr(v);
  }

  record Str(String value) implements TagValue {
    public Str {
      Objects.requireNonNull(value, "string tag value == null");
    }

    @Override
    public Type type() {
      return Type.STRING;
    }

    @Override
    public String asString() {
      return value;
    }
  }

  record Int(long value) implements TagValue {
    @Override
    public Type type() {
      return Type.LONG;
    }

    @Override
    public String asString() {
      return Long.toString(value);
    }
  }

  /** Equality is by bit pattern, so NaN equals NaN and a round trip is exact. */
  record Dbl(double value) implements TagValue {
    @Override
    public Type type() {
      return Type.DOUBLE;
    }

    @Override
    public String asString() {
      return Double.toString(value);
    }
  }

  record Bool(boolean value) implements TagValue {
    static final Bool TRUE = new Bool(true);
    static final Bool FALSE = new Bool(false);

    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public String asString() {
      return Boolean.toString(value);
    }
  }

  /** An array; nested arrays are allowed by the model but the codecs may cap the depth. */
  record Arr(List<TagValue> values) implements TagValue {
    public Arr {
      values = List.copyOf(values);
    }

    @Override
    public Type type() {
      return Type.ARRAY;
    }

    @Override
    public String asString() {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) b.append(',');
        b.append(values.get(i).asString());
      }
      return b.append(']').toString();
    }
  }
}
