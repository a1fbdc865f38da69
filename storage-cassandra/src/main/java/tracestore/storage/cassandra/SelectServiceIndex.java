package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Service index rows of one (service, hour) partition whose start lies in [from, to]. */
final class SelectServiceIndex {
  static final String CQL =
      "SELECT start, trace_id, duration, error FROM %s.service_index"
          + " WHERE service = ? AND bucket = ? AND start >= ? AND start <= ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectServiceIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, int bucket, long from, long to, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setInt(1, bucket)
        .setLong(2, from)
        .setLong(3, to)
        .setPageSize(pageSize)
        .build();
  }
}
