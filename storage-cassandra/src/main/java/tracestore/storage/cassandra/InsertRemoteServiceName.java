package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** A remote service called by a service, in the caller's partition. */
final class InsertRemoteServiceName {
  static final String TABLE = "remote_service_names";
  static final String CQL = "INSERT INTO %s.remote_service_names (service, remote_service) VALUES (?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertRemoteServiceName(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(String service, String remoteService) {
    return PendingRow.of(TABLE, service, ctx.write(ps).setString(0, service).setString(1, remoteService).build());
  }
}
