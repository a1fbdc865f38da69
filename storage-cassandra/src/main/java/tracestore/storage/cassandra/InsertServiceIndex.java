package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.ServiceIndexEntry;

/** One service index row, in the partition (service, hour of start). */
final class InsertServiceIndex {
  static final String CQL =
      "INSERT INTO %s.service_index (service, bucket, start, trace_id, duration, error)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertServiceIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(ServiceIndexEntry e) {
    return new PendingRow("service_index", partition(e), bind(e));
  }

  private static Object partition(ServiceIndexEntry e) {
    return new PartitionKey(e.service(), Buckets.of(e.startEpochNanos()));
  }

  private BoundStatement bind(ServiceIndexEntry e) {
    return ctx.write(ps)
        .setString(0, e.service())
        .setInt(1, Buckets.of(e.startEpochNanos()))
        .setLong(2, e.startEpochNanos())
        .setByteBuffer(3, ByteBuffer.wrap(e.traceId().toBytes()))
        .setLong(4, e.durationNanos())
        .setBoolean(5, e.error())
        .build();
  }

  private record PartitionKey(String service, int bucket) {}
}
