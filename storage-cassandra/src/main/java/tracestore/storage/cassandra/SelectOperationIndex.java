package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Operation index rows of one operation in a (service, hour) partition, start in [from, to]. */
final class SelectOperationIndex {
  static final String CQL =
      "SELECT start, trace_id, duration FROM %s.operation_index"
          + " WHERE service = ? AND bucket = ? AND operation = ? AND start >= ? AND start <= ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectOperationIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, String operation, int bucket, long from, long to, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setInt(1, bucket)
        .setString(2, operation)
        .setLong(3, from)
        .setLong(4, to)
        .setPageSize(pageSize)
        .build();
  }
}
