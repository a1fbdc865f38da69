package tracestore.storage.jdbc;

import java.util.List;

/**
 * SQLite's search subqueries ({@link Dialect#operationPredicate} and friends), over its three index
 * tables of one row per entry: {@code service_index}, {@code operation_index} and {@code
 * tag_index}, each an index range scan bounded by its leading columns and the time range.
 */
final class TableIndexQueries {
  private TableIndexQueries() {}

  static String operation(List<Object> p, String service, String operation, long from, long to,
      long minDuration, long maxDuration) {
    StringBuilder q = new StringBuilder("SELECT trace_id, min(start_ns) AS ts FROM operation_index"
        + " WHERE op_hash = ? AND start_ns >= ? AND start_ns <= ?");
    p.add(TagRows.operationHash(service, operation));
    p.add(from);
    p.add(to);
    duration(q, p, minDuration, maxDuration);
    return q.append(" GROUP BY trace_id").toString();
  }

  static String tag(List<Object> p, String service, String key, String value, long from, long to) {
    p.add(TagRows.hash(service, key, value));
    p.add(from);
    p.add(to);
    return "SELECT trace_id, min(start_ns) AS ts FROM tag_index WHERE tag_hash = ?"
        + " AND start_ns >= ? AND start_ns <= ? GROUP BY trace_id";
  }

  static String service(List<Object> p, String service, long from, long to, long minDuration,
      long maxDuration, boolean errorOnly, String trueLiteral) {
    StringBuilder q = new StringBuilder("SELECT trace_id, min(start_ns) AS ts FROM service_index WHERE ");
    if (!service.isEmpty()) {
      q.append("service = ? AND ");
      p.add(service);
    }
    q.append("start_ns >= ? AND start_ns <= ?");
    p.add(from);
    p.add(to);
    duration(q, p, minDuration, maxDuration);
    if (errorOnly) q.append(" AND error = ").append(trueLiteral);
    return q.append(" GROUP BY trace_id").toString();
  }

  /** Per entry, as the contract defines: min <= duration, and duration <= max unless max is 0. */
  static void duration(StringBuilder q, List<Object> p, long min, long max) {
    if (min != 0) {
      q.append(" AND duration_ns >= ?");
      p.add(min);
    }
    if (max != 0) {
      q.append(" AND duration_ns <= ?");
      p.add(max);
    }
  }
}
