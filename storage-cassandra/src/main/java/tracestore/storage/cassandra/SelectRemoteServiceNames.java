package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The remote services one service calls. */
final class SelectRemoteServiceNames {
  static final String CQL = "SELECT remote_service FROM %s.remote_service_names WHERE service = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectRemoteServiceNames(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service) {
    return ctx.read(ps).setString(0, service).build();
  }
}
