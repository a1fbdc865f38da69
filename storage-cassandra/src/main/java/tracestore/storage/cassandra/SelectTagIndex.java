package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Tag index rows of one value in a (service, key, hour) partition, start in [from, to]. */
final class SelectTagIndex {
  static final String CQL =
      "SELECT start, trace_id FROM %s.tag_index"
          + " WHERE service = ? AND key = ? AND bucket = ? AND value = ? AND start >= ? AND start <= ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, String key, String value, int bucket, long from, long to, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setString(1, key)
        .setInt(2, bucket)
        .setString(3, value)
        .setLong(4, from)
        .setLong(5, to)
        .setPageSize(pageSize)
        .build();
  }
}
