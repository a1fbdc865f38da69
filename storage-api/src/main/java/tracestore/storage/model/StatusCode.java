package tracestore.storage.model;

/** The span status, as OTel defines it. Never reorder: stored codecs write ordinals. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR;

  private static final StatusCode[] VALUES = values();

  public static StatusCode ofOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("unknown status code ordinal: " + ordinal);
    }
    return VALUES[ordinal];
  }
}
