package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Every indexed tag key (one small partition). */
final class SelectTagKeys {
  static final String CQL = "SELECT key FROM %s.tag_keys WHERE part = 0";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectTagKeys(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind() {
    return ctx.read(ps).build();
  }
}
