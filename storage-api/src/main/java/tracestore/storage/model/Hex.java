package tracestore.storage.model;

/** Strict lower/upper-case hex parsing and lower-case formatting of ids. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Parses exactly {@code len} hex characters of {@code s} starting at {@code from}. */
  static long parse(CharSequence s, int from, int len, String what) {
    long value = 0;
    for (int i = from; i < from + len; i++) {
      int d = digit(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException(
            what + " has a non-hex character at position " + i + ": \"" + s + "\"");
      }
      value = (value << 4) | d;
    }
    return value;
  }

  /**
   * The value of an ASCII hex digit, or -1. Unlike {@link Character#digit(char, int)}, this rejects
   * non-ASCII digits such as fullwidth or Arabic-Indic ones, which are not hex on any wire format.
   */
  static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static void write(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  static String toHex(long value) {
    char[] out = new char[16];
    write(value, out, 0);
    return new String(out);
  }
}
