package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** A service name; all services share partition 0. */
final class InsertServiceName {
  static final String TABLE = "service_names";
  static final String CQL = "INSERT INTO %s.service_names (part, service) VALUES (0, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertServiceName(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(String service) {
    return PendingRow.of(TABLE, "", ctx.write(ps).setString(0, service).build());
  }
}
