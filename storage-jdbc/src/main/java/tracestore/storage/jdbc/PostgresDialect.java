package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import tracestore.storage.model.TraceId;

/** PostgreSQL: trace ids as uuid (16 bytes, memcmp order equals {@link TraceId} order). */
final class PostgresDialect implements Dialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public void bindTraceId(PreparedStatement ps, int index, TraceId id) throws SQLException {
    ps.setObject(index, new UUID(id.high(), id.low()));
  }

  @Override
  public TraceId readTraceId(ResultSet rs, int index) throws SQLException {
    UUID u = rs.getObject(index, UUID.class);
    return new TraceId(u.getMostSignificantBits(), u.getLeastSignificantBits());
  }

  @Override
  public String greatest(String a, String b) {
    return "GREATEST(" + a + ", " + b + ')';
  }

  @Override
  public String trueLiteral() {
    return "TRUE";
  }

  @Override
  public int maxParameters() {
    return 65_535;
  }

  @Override
  public boolean partitioned() {
    return true;
  }
}
