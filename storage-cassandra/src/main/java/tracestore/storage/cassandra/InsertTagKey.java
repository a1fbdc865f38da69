package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** An indexed tag key; all keys share partition 0. */
final class InsertTagKey {
  static final String TABLE = "tag_keys";
  static final String CQL = "INSERT INTO %s.tag_keys (part, key) VALUES (0, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertTagKey(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(String key) {
    return PendingRow.of(TABLE, "", ctx.write(ps).setString(0, key).build());
  }
}
