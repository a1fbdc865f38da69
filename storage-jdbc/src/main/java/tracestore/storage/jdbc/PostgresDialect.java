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

  /**
   * PostgreSQL text cannot hold U+0000, which span names and tag values may carry. Such text is
   * stored with an escape that is injective and leaves every other string unchanged: U+FFFF (a
   * noncharacter) becomes U+FFFF U+FFFF, and U+0000 becomes U+FFFF '0'. Searches bind the same
   * escaped form, so they still match exactly.
   */
  @Override
  public void setText(PreparedStatement ps, int index, String text) throws SQLException {
    ps.setString(index, escape(text));
  }

  @Override
  public String getText(ResultSet rs, int index) throws SQLException {
    return unescape(rs.getString(index));
  }

  static String escape(String s) {
    if (s == null || (s.indexOf('\u0000') < 0 && s.indexOf('\uffff') < 0)) return s;
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0000') {
        b.append('\uffff').append('0');
      } else if (c == '\uffff') {
        b.append('\uffff').append('\uffff');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    if (s == null || s.indexOf('\uffff') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\uffff' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        b.append(next == '0' ? '\u0000' : next);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String operationPredicate(java.util.List<Object> params, String service,
      String operation, long from, long to, long minDuration, long maxDuration) {
    return TraceIndexQueries.operation(params, service, operation, from, to, minDuration, maxDuration);
  }

  @Override
  public String tagPredicate(java.util.List<Object> params, String service, String key,
      String value, long from, long to) {
    return TraceIndexQueries.tag(params, service, key, value, from, to);
  }

  @Override
  public String servicePredicate(java.util.List<Object> params, String service, long from,
      long to, long minDuration, long maxDuration, boolean errorOnly) {
    return TraceIndexQueries.service(params, service, from, to, minDuration, maxDuration, errorOnly);
  }

  @Override
  public String least(java.util.List<String> expressions) {
    return expressions.size() == 1 ? expressions.get(0) : "LEAST(" + String.join(", ", expressions) + ')';
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
