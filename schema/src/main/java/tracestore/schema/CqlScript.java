package tracestore.schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * One versioned CQL migration, {@code V<version>__<description>.cql}.
 *
 * @param version positive, unique, applied in ascending order
 * @param description from the file name, for the history table
 * @param text the script; its checksum is computed over the text with line endings normalised
 */
record CqlScript(int version, String description, String text) {
  CqlScript {
    if (version < 1) throw new IllegalArgumentException("version must be >= 1: " + version);
    Objects.requireNonNull(description, "description == null");
    text = Objects.requireNonNull(text, "text == null").replace("\r\n", "\n");
  }

  /** Parses a resource file name such as {@code V001__initial.cql}. */
  static CqlScript of(String fileName, String text) {
    if (!fileName.matches("V\\d+__\\w+\\.cql")) {
      throw new IllegalArgumentException("migration file name must be V<number>__<words>.cql: " + fileName);
    }
    int sep = fileName.indexOf("__");
    int version = Integer.parseInt(fileName.substring(1, sep));
    String description = fileName.substring(sep + 2, fileName.length() - ".cql".length()).replace('_', ' ');
    return new CqlScript(version, description, text);
  }

  /** CRC32 of the text, 8 hex digits. */
  String checksum() {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  /**
   * The statements of the script, split on semicolons outside string literals and comments. Comments
   * ({@code --}, {@code //}, {@code /* *}{@code /}) are dropped: they document the script, and a quote
   * inside one must not be read as a string.
   */
  List<String> statements() {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : '\0';
      if (c == '\'') { // string literal, '' escapes a quote
        int end = i + 1;
        while (end < n && !(text.charAt(end) == '\'' && (end + 1 >= n || text.charAt(end + 1) != '\''))) {
          end += text.charAt(end) == '\'' ? 2 : 1;
        }
        current.append(text, i, Math.min(n, end + 1));
        i = end + 1;
      } else if ((c == '-' && next == '-') || (c == '/' && next == '/')) {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        i = end; // drop line comments: a quote inside one must not open a string
      } else if (c == '/' && next == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == ';') {
        addIfNotBlank(out, current);
        current.setLength(0);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    addIfNotBlank(out, current);
    return out;
  }

  private static void addIfNotBlank(List<String> out, StringBuilder statement) {
    String s = statement.toString().strip();
    if (!s.isEmpty()) out.add(s);
  }
}
