package tracestore.query;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zipkin's {@code annotationQuery}: terms joined by {@code and}, each {@code key=value} (a tag that
 * must match exactly) or the bare key {@code error} (the trace has an error). Other bare keys are
 * annotation searches, which the indexes do not support: they are rejected with a 400 that says
 * {@code key=value} is required.
 *
 * @param tags key to value, all must match, in the order given
 * @param errorOnly true when the bare {@code error} term was given
 */
record AnnotationQuery(Map<String, String> tags, boolean errorOnly) {
  static final AnnotationQuery EMPTY = new AnnotationQuery(Map.of(), false);

  AnnotationQuery {
    tags = Map.copyOf(tags);
  }

  /** Parses the parameter; null or blank gives {@link #EMPTY}. */
  static AnnotationQuery parse(String text) {
    if (text == null || text.isBlank()) return EMPTY;
    Map<String, String> tags = new LinkedHashMap<>();
    boolean errorOnly = false;
    for (String term : text.split("(?i)\\s+and\\s+")) {
      String t = term.trim();
      if (t.isEmpty()) continue;
      int eq = t.indexOf('=');
      if (eq < 0) {
        if (t.equals("error")) {
          errorOnly = true;
          continue;
        }
        throw new BadRequestException(
            "annotationQuery: \"" + t + "\" is a bare key; only \"error\" may stand alone, "
                + "other terms must be key=value (for example http.status_code=500)");
      }
      String key = t.substring(0, eq).trim();
      String value = t.substring(eq + 1).trim();
      if (key.isEmpty()) {
        throw new BadRequestException("annotationQuery: term \"" + t + "\" has an empty key");
      }
      String previous = tags.putIfAbsent(key, value);
      if (previous != null && !previous.equals(value)) {
        throw new BadRequestException(
            "annotationQuery: key \"" + key + "\" is given twice with different values (\""
                + previous + "\", \"" + value + "\"); a tag has one value per span");
      }
    }
    return new AnnotationQuery(tags, errorOnly);
  }
}
