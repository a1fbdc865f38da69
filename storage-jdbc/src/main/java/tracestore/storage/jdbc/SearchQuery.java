package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * The SQL of one search and its bound values. Every value the caller gave (names, tag keys and
 * values, times, durations, the cursor) is a bind parameter, never spliced into the text.
 *
 * <p>Each predicate of the request is one subquery, from the dialect ({@link
 * Dialect#operationPredicate}, {@link Dialect#tagPredicate}, {@link Dialect#servicePredicate}),
 * that yields per trace the earliest start of an index entry satisfying it:
 *
 * <ul>
 *   <li>operation (with the duration bounds): operation entries;
 *   <li>each tag, and the remote service as the tag {@code peer.service}: tag entries;
 *   <li>duration without operation, errorOnly, or nothing else: service entries.
 * </ul>
 *
 * (Both keep all three in a {@code trace_index} table of one row per trace and service per batch:
 * PostgreSQL under a GIN, see {@link TraceIndexQueries}; SQLite under an FTS5 index, see {@link
 * SqliteIndexQueries}.)
 * The subqueries are joined on trace id (an AND); a hit's start is the earliest of them, as
 * {@link SearchRequest} defines. Hits are ordered by start then trace id, both descending, and the
 * cursor continues strictly after its position.
 */
final class SearchQuery {
  final String sql;
  private final List<Object> params;

  private SearchQuery(String sql, List<Object> params) {
    this.sql = sql;
    this.params = params;
  }

  static SearchQuery of(SearchRequest r, SearchCursor cursor, int fetchLimit, Dialect d) {
    List<Object> p = new ArrayList<>();
    List<String> subqueries = predicates(r, d, p, null);
    StringBuilder sql = new StringBuilder(256 + 160 * subqueries.size());
    List<String> starts = new ArrayList<>();
    sql.append("SELECT trace_id, ts FROM (SELECT p0.trace_id AS trace_id, ");
    for (int i = 0; i < subqueries.size(); i++) starts.add("p" + i + ".ts");
    sql.append(d.least(starts)).append(" AS ts FROM ");
    for (int i = 0; i < subqueries.size(); i++) {
      if (i > 0) sql.append(" JOIN ");
      sql.append('(').append(subqueries.get(i)).append(") p").append(i);
      if (i > 0) sql.append(" ON p").append(i).append(".trace_id = p0.trace_id");
    }
    sql.append(") hits");
    if (cursor != null) {
      sql.append(" WHERE (ts < ? OR (ts = ? AND trace_id < ?))");
      p.add(cursor.startEpochNanos());
      p.add(cursor.startEpochNanos());
      p.add(cursor.traceId());
    }
    sql.append(" ORDER BY ts DESC, trace_id DESC LIMIT ?");
    p.add(fetchLimit);
    return new SearchQuery(sql.toString(), p);
  }

  /**
   * Whether one trace has an entry satisfying <em>any</em> predicate of {@code r} within r's
   * time range: one row or none. Each predicate is its index range narrowed to the trace.
   */
  static SearchQuery anyEntry(SearchRequest r, TraceId traceId, Dialect d) {
    List<Object> p = new ArrayList<>();
    List<String> subqueries = predicates(r, d, p, traceId);
    return new SearchQuery("SELECT 1 FROM (" + String.join(" UNION ALL ", subqueries)
        + ") x LIMIT 1", p);
  }

  /** One subquery per predicate, each yielding (trace_id, ts); optionally for one trace only. */
  private static List<String> predicates(
      SearchRequest r, Dialect d, List<Object> p, TraceId traceFilter) {
    List<String> subqueries = new ArrayList<>();
    String service = r.service();
    boolean duration = r.minDurationNanos() != 0 || r.maxDurationNanos() != 0;

    if (!r.operation().isEmpty()) {
      add(subqueries, p, traceFilter, d.operationPredicate(p, service, r.operation(),
          r.startEpochNanos(), r.endEpochNanos(), r.minDurationNanos(), r.maxDurationNanos()));
    }
    List<Map.Entry<String, String>> tags = new ArrayList<>(r.tags().entrySet());
    if (!r.remoteService().isEmpty()) {
      tags.add(Map.entry(TagIndexEntry.REMOTE_SERVICE_KEY, r.remoteService()));
    }
    for (Map.Entry<String, String> tag : tags) {
      add(subqueries, p, traceFilter, d.tagPredicate(
          p, service, tag.getKey(), tag.getValue(), r.startEpochNanos(), r.endEpochNanos()));
    }
    if (duration && r.operation().isEmpty()) {
      add(subqueries, p, traceFilter, d.servicePredicate(p, service, r.startEpochNanos(),
          r.endEpochNanos(), r.minDurationNanos(), r.maxDurationNanos(), false));
    }
    if (r.errorOnly() || subqueries.isEmpty()) {
      add(subqueries, p, traceFilter, d.servicePredicate(p, service, r.startEpochNanos(),
          r.endEpochNanos(), 0, 0, r.errorOnly()));
    }
    return subqueries;
  }

  /**
   * Adds one predicate's subquery; with a trace filter, narrows it to that trace (the filter's
   * parameter goes last, as its text does).
   */
  private static void add(List<String> subqueries, List<Object> p, TraceId traceFilter, String sql) {
    if (traceFilter == null) {
      subqueries.add(sql);
      return;
    }
    p.add(traceFilter);
    subqueries.add(sql.replace(" GROUP BY trace_id", " AND trace_id = ? GROUP BY trace_id"));
  }

  void bind(PreparedStatement ps, Dialect d) throws SQLException {
    int i = 1;
    for (Object o : params) {
      if (o instanceof String s) {
        d.setText(ps, i++, s);
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
