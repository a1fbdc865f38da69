package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import tracestore.storage.model.TraceId;

/** SQLite: trace ids as 16-byte blobs (memcmp order equals {@link TraceId} order), no partitions. */
final class SqliteDialect implements Dialect {
  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public String name() {
    return "SQLite";
  }

  @Override
  public void bindTraceId(PreparedStatement ps, int index, TraceId id) throws SQLException {
    ps.setBytes(index, id.toBytes());
  }

  @Override
  public TraceId readTraceId(ResultSet rs, int index) throws SQLException {
    return TraceId.fromBytes(rs.getBytes(index));
  }

  /** The FTS5 id list of the operation's term over the range's ids; see {@link SqliteIndexQueries}. */
  @Override
  public String operationPredicate(java.util.List<Object> params, String service,
      String operation, long from, long to, long minDuration, long maxDuration) {
    return SqliteIndexQueries.operation(params, service, operation, from, to, minDuration, maxDuration);
  }

  @Override
  public String tagPredicate(java.util.List<Object> params, String service, String key,
      String value, long from, long to) {
    return SqliteIndexQueries.tag(params, service, key, value, from, to);
  }

  @Override
  public String servicePredicate(java.util.List<Object> params, String service, long from,
      long to, long minDuration, long maxDuration, boolean errorOnly) {
    return SqliteIndexQueries.service(params, service, from, to, minDuration, maxDuration,
        errorOnly);
  }

  @Override
  public String least(java.util.List<String> expressions) {
    return expressions.size() == 1 ? expressions.get(0) : "min(" + String.join(", ", expressions) + ')';
  }

  @Override
  public int maxParameters() {
    return 32_766;
  }

  @Override
  public boolean partitioned() {
    return false;
  }
}
