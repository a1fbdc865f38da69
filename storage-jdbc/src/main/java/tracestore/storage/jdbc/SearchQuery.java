package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.SearchRequest;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * The SQL of one search and its bound values. Every value the caller gave (names, tag keys and
 * values, times, the cursor) is a bind parameter, never spliced into the text.
 *
 * <p>Shape: the service index (one service, or all by time) is grouped by trace; every other
 * predicate is a semi-join {@code trace_id IN (...)} over its own index, each an index range scan
 * bounded by the service (and key/value or operation) and the time range:
 *
 * <pre>
 * SELECT s.trace_id, min(s.start_ns) AS ts FROM service_index s
 * WHERE s.service = ? AND s.start_ns BETWEEN ? AND ?
 *   AND s.trace_id IN (SELECT ... FROM operation_index ...)   -- operation, its duration
 *   AND s.trace_id IN (SELECT ... FROM tag_index ...)         -- one per tag, remote service
 *   AND s.trace_id IN (SELECT ... FROM service_index ... error) -- errorOnly
 * GROUP BY s.trace_id
 * HAVING [max(s.duration_ns) in range] [(ts, trace_id) before the cursor]
 * ORDER BY ts DESC, s.trace_id DESC LIMIT ?
 * </pre>
 *
 * A hit's start is the earliest start among the trace's service-index entries in the range.
 */
final class SearchQuery {
  final String sql;
  private final List<Object> params;

  private SearchQuery(String sql, List<Object> params) {
    this.sql = sql;
    this.params = params;
  }

  static SearchQuery of(SearchRequest r, SearchCursor cursor, int fetchLimit, Dialect d) {
    StringBuilder sql = new StringBuilder(512);
    List<Object> p = new ArrayList<>();
    boolean hasService = !r.service().isEmpty();
    boolean hasOperation = !r.operation().isEmpty();
    long min = r.minDurationNanos();
    long max = r.maxDurationNanos();

    sql.append("SELECT s.trace_id, min(s.start_ns) AS ts FROM service_index s WHERE ");
    if (hasService) {
      sql.append("s.service = ? AND ");
      p.add(r.service());
    }
    sql.append("s.start_ns >= ? AND s.start_ns <= ?");
    p.add(r.startEpochNanos());
    p.add(r.endEpochNanos());

    if (hasOperation) {
      sql.append(" AND s.trace_id IN (SELECT o.trace_id FROM operation_index o"
          + " WHERE o.service = ? AND o.operation = ? AND o.start_ns >= ? AND o.start_ns <= ?");
      p.add(r.service());
      p.add(r.operation());
      p.add(r.startEpochNanos());
      p.add(r.endEpochNanos());
      if (min != 0 || max != 0) {
        sql.append(" GROUP BY o.trace_id HAVING ");
        appendDurationRange(sql, p, "max(o.duration_ns)", min, max);
      }
      sql.append(')');
    }

    List<Map.Entry<String, String>> tags = new ArrayList<>(r.tags().entrySet());
    if (!r.remoteService().isEmpty()) {
      tags.add(Map.entry(TagIndexEntry.REMOTE_SERVICE_KEY, r.remoteService()));
    }
    for (Map.Entry<String, String> tag : tags) {
      sql.append(" AND s.trace_id IN (SELECT t.trace_id FROM tag_index t WHERE t.service = ?"
          + " AND t.tag_key = ? AND t.tag_value = ? AND t.start_ns >= ? AND t.start_ns <= ?)");
      p.add(r.service());
      p.add(tag.getKey());
      p.add(tag.getValue());
      p.add(r.startEpochNanos());
      p.add(r.endEpochNanos());
    }

    if (r.errorOnly()) {
      sql.append(" AND s.trace_id IN (SELECT e.trace_id FROM service_index e WHERE ");
      if (hasService) {
        sql.append("e.service = ? AND ");
        p.add(r.service());
      }
      sql.append("e.start_ns >= ? AND e.start_ns <= ? AND e.error = ").append(d.trueLiteral())
          .append(')');
      p.add(r.startEpochNanos());
      p.add(r.endEpochNanos());
    }

    sql.append(" GROUP BY s.trace_id");
    List<String> having = new ArrayList<>();
    if (!hasOperation && (min != 0 || max != 0)) {
      StringBuilder h = new StringBuilder();
      appendDurationRange(h, p, "max(s.duration_ns)", min, max);
      having.add(h.toString());
    }
    if (cursor != null) {
      having.add("(min(s.start_ns) < ? OR (min(s.start_ns) = ? AND s.trace_id < ?))");
      p.add(cursor.startEpochNanos());
      p.add(cursor.startEpochNanos());
      p.add(cursor.traceId());
    }
    if (!having.isEmpty()) sql.append(" HAVING ").append(String.join(" AND ", having));
    sql.append(" ORDER BY ts DESC, s.trace_id DESC LIMIT ?");
    p.add(fetchLimit);
    return new SearchQuery(sql.toString(), p);
  }

  private static void appendDurationRange(
      StringBuilder sql, List<Object> p, String expr, long min, long max) {
    if (min != 0) {
      sql.append(expr).append(" >= ?");
      p.add(min);
    }
    if (max != 0) {
      if (min != 0) sql.append(" AND ");
      sql.append(expr).append(" <= ?");
      p.add(max);
    }
  }

  void bind(PreparedStatement ps, Dialect d) throws SQLException {
    int i = 1;
    for (Object o : params) {
      if (o instanceof String s) {
        ps.setString(i++, s);
      } else if (o instanceof Long l) {
        ps.setLong(i++, l);
      } else if (o instanceof Integer n) {
        ps.setInt(i++, n);
      } else if (o instanceof TraceId t) {
        d.bindTraceId(ps, i++, t);
      } else {
        throw new IllegalStateException("unexpected parameter " + o);
      }
    }
  }
}
