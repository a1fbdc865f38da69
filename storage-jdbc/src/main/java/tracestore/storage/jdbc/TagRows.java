package tracestore.storage.jdbc;

import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The 64-bit hashes the indexes store for tags and operations, on both dialects (PostgreSQL's
 * {@code trace_index.terms}, SQLite's {@code tag_index.tag_hash} and {@code
 * operation_index.op_hash}); the names themselves live in the name tables.
 *
 * <p>A hash, not the text: the text made the rows and the index keys large, and tag entries are
 * most of the index volume (BENCHMARKS.md). Two different tags with the same hash would make a
 * search return a trace that has only one of them; with XXH64 that is as unlikely as two chunks of
 * one trace sharing a chunk id, which the design already accepts.
 */
final class TagRows {
  private TagRows() {}

  private static final XXHash64 XXH64 = XXHashFactory.fastestInstance().hash64();
  static final long SEED = 0x7467L;

  static final long OPERATION_SEED = 0x6f70L;

  /** The stored hash of one operation of one service (operation_index.op_hash). */
  static long operationHash(String service, String operation) {
    byte[] ascii = ascii(service, operation, null);
    if (ascii != null) return XXH64.hash(ascii, 0, ascii.length, OPERATION_SEED);
    StringBuilder b = new StringBuilder(service.length() + operation.length() + 1);
    byte[] utf8 = escapeName(b, service).append('=').append(operation).toString()
        .getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(utf8, 0, utf8.length, OPERATION_SEED);
  }

  /** The stored hash of one tag of one service. */
  static long hash(String service, String key, String value) {
    byte[] utf8 = ascii(service, key, value);
    if (utf8 == null) utf8 = element(service, key, value).getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(utf8, 0, utf8.length, SEED);
  }

  /**
   * The same bytes as the escaped element's UTF-8 ({@code a=b} or {@code a=b=c}, "\\" and "="
   * escaped in all but the last part), written directly when every character is ASCII (the usual
   * case: this runs for every index entry, and the String and StringBuilder copies showed in
   * profiles); null otherwise, for the general path.
   */
  private static byte[] ascii(String a, String b, String c) {
    int n = escapedAscii(a) + 1;
    if (c == null) {
      if (n < 1 || !isAscii(b)) return null;
      n += b.length();
    } else {
      int k = escapedAscii(b);
      if (n < 1 || k < 0 || !isAscii(c)) return null;
      n += k + 1 + c.length();
    }
    byte[] out = new byte[n];
    int i = put(out, 0, a, true);
    out[i++] = '=';
    i = put(out, i, b, c != null);
    if (c != null) {
      out[i++] = '=';
      put(out, i, c, false);
    }
    return out;
  }

  /** The escaped length of an ASCII string, or -1 when it holds a non-ASCII character. */
  private static int escapedAscii(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) return -1;
      if (ch == '\\' || ch == '=') n++;
    }
    return n;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
    return true;
  }

  private static int put(byte[] out, int at, String s, boolean escape) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (escape && (ch == '\\' || ch == '=')) out[at++] = '\\';
      out[at++] = (byte) ch;
    }
    return at;
  }

  /**
   * {@code service=key=value}, with backslash and '=' escaped by a backslash in the service and the
   * key, so different triples never give the same element. The value needs no escaping: it is
   * everything after the second unescaped '='.
   */
  static String element(String service, String key, String value) {
    StringBuilder b = new StringBuilder(service.length() + key.length() + value.length() + 2);
    escapeName(b, service).append('=');
    escapeName(b, key).append('=');
    return b.append(value).toString();
  }

  private static StringBuilder escapeName(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '=') b.append('\\');
      b.append(c);
    }
    return b;
  }
}
