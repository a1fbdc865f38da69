package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The values seen for one tag key. */
final class SelectTagValues {
  static final String CQL = "SELECT value FROM %s.tag_values WHERE key = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectTagValues(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String key) {
    return ctx.read(ps).setString(0, key).build();
  }
}
