package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** An operation of a service with its span kind, in the service's partition. */
final class InsertOperationName {
  static final String TABLE = "operation_names";
  static final String CQL = "INSERT INTO %s.operation_names (service, operation, kind) VALUES (?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertOperationName(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(String service, String operation, String kind) {
    return PendingRow.of(TABLE, service, ctx.write(ps).setString(0, service).setString(1, operation).setString(2, kind).build());
  }
}
