package tracestore.storage.jdbc;

import java.util.List;

/**
 * PostgreSQL's search subqueries ({@link Dialect#operationPredicate} and friends) over {@code
 * trace_index} ({@link TraceRows}).
 *
 * <p>Service entries are the rows' own columns and start at the row's start, so a service
 * predicate is a plain range over (service, start_ns). An operation or tag predicate finds the
 * rows of the service holding the term ({@code terms @> ARRAY[hash]}: the GIN index, or the
 * (service, start_ns) b-tree with the containment as a filter, whichever the planner estimates
 * cheaper for that term) among rows starting up to {@link TraceRows#MAX_SPREAD_NANOS} before the
 * range, then finds the element in the row ({@code array_position}) to check its own start (and
 * duration) exactly. Operation elements are the first {@code cardinality(op_durations)}
 * of {@code terms}, tag elements the rest.
 */
final class TraceIndexQueries {
  private TraceIndexQueries() {}

  static String operation(List<Object> p, String service, String operation, long from, long to,
      long minDuration, long maxDuration) {
    long hash = TagRows.operationHash(service, operation);
    StringBuilder q = element(p, hash, from, to, "u.i <= cardinality(r.op_durations)");
    if (minDuration != 0) {
      q.append(" AND r.op_durations[u.i] >= ?");
      p.add(minDuration);
    }
    if (maxDuration != 0) {
      q.append(" AND r.op_durations[u.i] <= ?");
      p.add(maxDuration);
    }
    return rows(q, p, service, hash, from, to);
  }

  static String tag(List<Object> p, String service, String key, String value, long from, long to) {
    long hash = TagRows.hash(service, key, value);
    return rows(element(p, hash, from, to, "u.i > cardinality(r.op_durations)"), p, service, hash,
        from, to);
  }

  /**
   * The element: its position in the row ({@code array_position}, exact because a row holds each
   * term once), of the kind, starting in range.
   */
  private static StringBuilder element(List<Object> p, long hash, long from, long to, String kind) {
    p.add(hash);
    p.add(from);
    p.add(to);
    return new StringBuilder(512).append("SELECT trace_id, min(r.start_ns + r.term_offsets[u.i]) AS ts"
        + " FROM trace_index r CROSS JOIN LATERAL (SELECT array_position(r.terms, ?) AS i) u"
        + " WHERE r.start_ns + r.term_offsets[u.i] >= ? AND r.start_ns + r.term_offsets[u.i] <= ?"
        + " AND ").append(kind);
  }

  /** The rows that may hold the element: of the service, with the term, starting near the range. */
  private static String rows(StringBuilder q, List<Object> p, String service, long hash, long from,
      long to) {
    q.append(" AND r.service = ? AND r.terms @> ARRAY[?]::bigint[]"
        + " AND r.start_ns >= ? AND r.start_ns <= ? GROUP BY trace_id");
    p.add(service);
    p.add(hash);
    p.add(from >= Long.MIN_VALUE + TraceRows.MAX_SPREAD_NANOS
        ? from - TraceRows.MAX_SPREAD_NANOS : Long.MIN_VALUE);
    p.add(to);
    return q.toString();
  }

  static String service(List<Object> p, String service, long from, long to, long minDuration,
      long maxDuration, boolean errorOnly) {
    StringBuilder q = new StringBuilder("SELECT trace_id, min(start_ns) AS ts FROM trace_index WHERE ");
    if (!service.isEmpty()) {
      q.append("service = ? AND ");
      p.add(service);
    }
    q.append("start_ns >= ? AND start_ns <= ? AND duration_ns IS NOT NULL");
    p.add(from);
    p.add(to);
    TableIndexQueries.duration(q, p, minDuration, maxDuration);
    if (errorOnly) q.append(" AND error");
    return q.append(" GROUP BY trace_id").toString();
  }
}
