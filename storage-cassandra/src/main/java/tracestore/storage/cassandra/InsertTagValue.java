package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** A value seen for an indexed tag key, in the key's partition. */
final class InsertTagValue {
  static final String TABLE = "tag_values";
  static final String CQL = "INSERT INTO %s.tag_values (key, value) VALUES (?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertTagValue(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(String key, String value) {
    return PendingRow.of(TABLE, key, ctx.write(ps).setString(0, key).setString(1, value).build());
  }
}
