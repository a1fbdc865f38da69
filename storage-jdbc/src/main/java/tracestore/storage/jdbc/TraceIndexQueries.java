package tracestore.storage.jdbc;

import java.util.List;

/**
 * PostgreSQL's search subqueries ({@link Dialect#operationPredicate} and friends) over {@code
 * trace_index} (V007, {@link BatchRows}: one row per service and batch, holding parts of several
 * traces).
 *
 * <p>Each subquery finds the candidate rows (of the service, starting from {@link
 * BatchRows#LOOKBACK_NANOS} before the range to its end: the (service, start_ns) b-tree, or for an
 * operation or tag the GIN over {@code terms} when the planner estimates the term rare), then
 * unnests only what matches and checks every entry exactly: a service predicate each part's service
 * entry (its own start, duration and error), an operation or tag predicate each position of the
 * term in the row ({@code array_positions}: a row holds a term once per part at most), with the
 * element's own start, kind (operations are the first {@code cardinality(op_durations)} elements)
 * and, for operations, duration. The trace is the element's part's ({@code term_parts}).
 *
 * <p>Each subquery ends in {@code WHERE true GROUP BY trace_id} over a derived table, so {@link
 * SearchQuery}'s trace filter can narrow it to one trace by name.
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

  /** The term's positions in the row, of the kind, starting in range. */
  private static StringBuilder element(List<Object> p, long hash, long from, long to, String kind) {
    p.add(hash);
    p.add(from);
    p.add(to);
    return new StringBuilder(640).append("SELECT trace_id, min(ts) AS ts FROM (SELECT"
        + " r.trace_ids[r.term_parts[u.i]] AS trace_id, r.start_ns + r.term_offsets[u.i] AS ts"
        + " FROM trace_index r CROSS JOIN LATERAL unnest(array_positions(r.terms, ?::bigint)) AS u(i)"
        + " WHERE r.start_ns + r.term_offsets[u.i] >= ? AND r.start_ns + r.term_offsets[u.i] <= ?"
        + " AND ").append(kind);
  }

  /** The rows that may hold the element: of the service, with the term, starting near the range. */
  private static String rows(StringBuilder q, List<Object> p, String service, long hash, long from,
      long to) {
    q.append(" AND r.service = ? AND r.terms @> ARRAY[?]::bigint[]"
        + " AND r.start_ns >= ? AND r.start_ns <= ?) e WHERE true GROUP BY trace_id");
    p.add(service);
    p.add(hash);
    p.add(lookback(from));
    p.add(to);
    return q.toString();
  }

  private static long lookback(long from) {
    return from >= Long.MIN_VALUE + BatchRows.LOOKBACK_NANOS
        ? from - BatchRows.LOOKBACK_NANOS : Long.MIN_VALUE;
  }

  static String service(List<Object> p, String service, long from, long to, long minDuration,
      long maxDuration, boolean errorOnly) {
    StringBuilder q = new StringBuilder(512).append("SELECT trace_id, min(ts) AS ts FROM (SELECT"
        + " r.trace_ids[k] AS trace_id, r.start_ns + r.part_offsets[k] AS ts FROM trace_index r"
        + " CROSS JOIN LATERAL generate_subscripts(r.trace_ids, 1) AS k WHERE ");
    if (!service.isEmpty()) {
      q.append("r.service = ? AND ");
      p.add(service);
    }
    q.append("r.start_ns >= ? AND r.start_ns <= ? AND r.durations[k] >= 0"
        + " AND r.start_ns + r.part_offsets[k] >= ? AND r.start_ns + r.part_offsets[k] <= ?");
    p.add(lookback(from));
    p.add(to);
    p.add(from);
    p.add(to);
    if (minDuration != 0) {
      q.append(" AND r.durations[k] >= ?");
      p.add(minDuration);
    }
    if (maxDuration != 0) {
      q.append(" AND r.durations[k] <= ?");
      p.add(maxDuration);
    }
    if (errorOnly) q.append(" AND r.errors[k]");
    return q.append(") e WHERE true GROUP BY trace_id").toString();
  }
}
