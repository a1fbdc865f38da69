package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The operations of one service, with kinds. */
final class SelectOperationNames {
  static final String CQL = "SELECT operation, kind FROM %s.operation_names WHERE service = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectOperationNames(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service) {
    return ctx.read(ps).setString(0, service).build();
  }
}
