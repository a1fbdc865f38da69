package tracestore.storage.codec;

/**
 * Canonical UUID strings (36 characters, lowercase hex, dashes at 8, 13, 18 and 23) and their 16
 * bytes. Format 2 stores such a string as its 16 bytes: 20 bytes less, and no information lost,
 * since only exactly this form is packed and {@link #format} restores it character for character.
 * Instance ids, message ids and request ids are UUIDs in most tracers' output.
 */
final class Uuids {
  private Uuids() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static boolean isCanonical(String s) {
    if (s.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') return false;
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The first 8 bytes of a canonical UUID string. */
  static long high(String s) {
    return hex(s, 0, 8) << 32 | hex(s, 9, 13) << 16 | hex(s, 14, 18);
  }

  /** The last 8 bytes of a canonical UUID string. */
  static long low(String s) {
    return hex(s, 19, 23) << 48 | hex(s, 24, 36);
  }

  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) v = v << 4 | Character.digit(s.charAt(i), 16);
    return v;
  }

  /** The canonical lowercase string of the 16 bytes. */
  static String format(long high, long low) {
    char[] c = new char[36];
    put(c, 0, high >>> 32, 8);
    c[8] = '-';
    put(c, 9, high >>> 16, 4);
    c[13] = '-';
    put(c, 14, high, 4);
    c[18] = '-';
    put(c, 19, low >>> 48, 4);
    c[23] = '-';
    put(c, 24, low, 12);
    return new String(c);
  }

  private static void put(char[] c, int at, long v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      c[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }
}
