package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import tracestore.storage.model.TraceId;

/**
 * What differs between PostgreSQL and SQLite. Everything else (table names, columns, statements)
 * is shared. Implementations are stateless.
 */
interface Dialect {
  /** Short name for messages: "PostgreSQL" or "SQLite". */
  String name();

  /** Binds a trace id in its stored form (uuid or 16-byte blob). */
  void bindTraceId(PreparedStatement ps, int index, TraceId id) throws SQLException;

  /** Reads a trace id bound by {@link #bindTraceId}. */
  TraceId readTraceId(ResultSet rs, int index) throws SQLException;

  /** Binds a name or tag text; see {@link PostgresDialect#setText} for why it may be escaped. */
  default void setText(PreparedStatement ps, int index, String text) throws SQLException {
    ps.setString(index, text);
  }

  /** Reads text bound by {@link #setText}. */
  default String getText(ResultSet rs, int index) throws SQLException {
    return rs.getString(index);
  }

  /**
   * The subqueries of {@link SearchQuery}, one per predicate, each yielding (trace_id, ts): the
   * earliest start per trace of an entry meeting the predicate in [from, to]. Each adds its
   * parameters to {@code params} in the order of its text, and ends with {@code " GROUP BY
   * trace_id"} (a trace filter is spliced in before it). Durations of 0 are unbounded.
   */
  String operationPredicate(java.util.List<Object> params, String service, String operation,
      long from, long to, long minDuration, long maxDuration);

  /** A tag predicate (the remote service is the tag {@code peer.service}); see above. */
  String tagPredicate(java.util.List<Object> params, String service, String key, String value,
      long from, long to);

  /**
   * A predicate over service entries: of {@code service} (any service when empty), with the
   * duration bounds, and only errors when {@code errorOnly}; see above.
   */
  String servicePredicate(java.util.List<Object> params, String service, long from, long to,
      long minDuration, long maxDuration, boolean errorOnly);

  /** SQL for the smallest of one or more expressions (LEAST, or SQLite's many-argument min). */
  String least(java.util.List<String> expressions);


  /** The most bind parameters one statement may carry. */
  int maxParameters();

  /** Whether raw tables are partitioned by day and need partitions created ahead. */
  boolean partitioned();
}
