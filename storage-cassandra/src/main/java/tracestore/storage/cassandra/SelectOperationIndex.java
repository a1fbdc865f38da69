package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The postings of one operation in a (service, hour) partition: a clustering slice. */
final class SelectOperationIndex {
  static final String CQL =
      "SELECT min_start, max_start, traces FROM %s.operation_index"
          + " WHERE service = ? AND bucket = ? AND operation = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectOperationIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, String operation, int bucket, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setInt(1, bucket)
        .setString(2, operation)
        .setPageSize(pageSize)
        .build();
  }
}
