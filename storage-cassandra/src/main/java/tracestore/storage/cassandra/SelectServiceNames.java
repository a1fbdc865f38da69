package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Every service name (one small partition). */
final class SelectServiceNames {
  static final String CQL = "SELECT service FROM %s.service_names WHERE part = 0";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectServiceNames(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind() {
    return ctx.read(ps).build();
  }
}
