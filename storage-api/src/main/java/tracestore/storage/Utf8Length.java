package tracestore.storage;

/** UTF-8 lengths of strings, without encoding them. */
final class Utf8Length {
  private Utf8Length() {}

  /** The UTF-8 length of {@code s}, or -1 when it holds an unpaired surrogate. */
  static int of(String s) {
    int n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return -1;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
