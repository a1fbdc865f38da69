package tracestore.storage.jdbc;

import java.util.List;

/**
 * SQLite's search subqueries ({@link Dialect#operationPredicate} and friends) over {@code
 * trace_index} and its FTS5 index {@code trace_terms} ({@link SqliteTraceRows}).
 *
 * <p>An operation or tag predicate reads the FTS id list of its term, limited to the ids of rows
 * that may hold an entry starting in [from, to] (rows start up to {@link
 * TraceRows#MAX_SPREAD_NANOS} before their entries, and ids are up to {@link
 * SqliteTraceRows#ID_SLACK} above the row's start), joins each row by id, finds the element with
 * {@code instr} and checks its own start (and, for operations, its duration) exactly. A service
 * predicate is a range of the (service, start_ns) index of the service entries, or over all
 * services an id range of the table.
 */
final class SqliteIndexQueries {
  private SqliteIndexQueries() {}

  static String operation(List<Object> p, String service, String operation, long from, long to,
      long minDuration, long maxDuration) {
    StringBuilder q = element(p, TagRows.operationHash(service, operation), from, to);
    q.append(" AND i < length(op_durations) / ").append(SqliteTraceRows.DURATION_WIDTH);
    String duration = "CAST(substr(op_durations, i * " + SqliteTraceRows.DURATION_WIDTH + " + 1, "
        + SqliteTraceRows.DURATION_WIDTH + ") AS INTEGER)";
    if (minDuration != 0) {
      q.append(" AND ").append(duration).append(" >= ?");
      p.add(minDuration);
    }
    if (maxDuration != 0) {
      q.append(" AND ").append(duration).append(" <= ?");
      p.add(maxDuration);
    }
    return q.append(" GROUP BY trace_id").toString();
  }

  static String tag(List<Object> p, String service, String key, String value, long from, long to) {
    return element(p, TagRows.hash(service, key, value), from, to)
        .append(" AND i >= length(op_durations) / ").append(SqliteTraceRows.DURATION_WIDTH)
        .append(" GROUP BY trace_id").toString();
  }

  /**
   * The rows holding the term whose id may fall in range (FTS first: CROSS JOIN fixes the order),
   * each with the element's position {@code i}, then the element's own start in [from, to].
   */
  private static StringBuilder element(List<Object> p, long hash, long from, long to) {
    p.add(SqliteTraceRows.term(hash));
    p.add(SqliteTraceRows.match(hash));
    p.add(minus(from, TraceRows.MAX_SPREAD_NANOS));
    p.add(plus(to, SqliteTraceRows.ID_SLACK));
    p.add(from);
    p.add(to);
    int w = SqliteTraceRows.TERM_WIDTH;
    int o = SqliteTraceRows.OFFSET_WIDTH;
    return new StringBuilder(768).append("SELECT trace_id, min(t) AS ts FROM (SELECT trace_id, i,"
        + " op_durations, start_ns + CAST(substr(term_offsets, i * " + o + " + 1, " + o
        + ") AS INTEGER) AS t FROM (SELECT trace_id, start_ns, term_offsets, op_durations,"
        + " (found - 1) / " + w + " AS i FROM (SELECT r.trace_id AS trace_id, r.start_ns AS start_ns,"
        + " r.term_offsets AS term_offsets, r.op_durations AS op_durations,"
        + " instr(r.terms, ?) AS found FROM trace_terms CROSS JOIN trace_index r"
        + " ON r.id = trace_terms.rowid WHERE trace_terms MATCH ? AND trace_terms.rowid >= ?"
        + " AND trace_terms.rowid <= ?) WHERE found > 0)) WHERE t >= ? AND t <= ?");
  }

  static String service(List<Object> p, String service, long from, long to, long minDuration,
      long maxDuration, boolean errorOnly) {
    StringBuilder q = new StringBuilder("SELECT trace_id, min(start_ns) AS ts FROM trace_index WHERE ");
    if (!service.isEmpty()) {
      q.append("service = ? AND ");
      p.add(service);
    } else {
      q.append("id >= ? AND id <= ? AND ");
      p.add(from);
      p.add(plus(to, SqliteTraceRows.ID_SLACK));
    }
    q.append("start_ns >= ? AND start_ns <= ? AND duration_ns IS NOT NULL");
    p.add(from);
    p.add(to);
    TableIndexQueries.duration(q, p, minDuration, maxDuration);
    if (errorOnly) q.append(" AND error = 1");
    return q.append(" GROUP BY trace_id").toString();
  }

  private static long minus(long a, long b) {
    return a >= Long.MIN_VALUE + b ? a - b : Long.MIN_VALUE;
  }

  private static long plus(long a, long b) {
    return a <= Long.MAX_VALUE - b ? a + b : Long.MAX_VALUE;
  }
}
