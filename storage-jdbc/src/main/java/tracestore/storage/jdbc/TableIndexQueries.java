package tracestore.storage.jdbc;

import java.util.List;

/** The duration bounds shared by both dialects' search subqueries. */
final class TableIndexQueries {
  private TableIndexQueries() {}

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
