package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.OperationIndexEntry;

/** One operation index row, in the partition (service, hour of start), clustered by operation. */
final class InsertOperationIndex {
  static final String CQL =
      "INSERT INTO %s.operation_index (service, bucket, operation, start, trace_id, duration)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertOperationIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(OperationIndexEntry e) {
    return new PendingRow("operation_index", partition(e), bind(e));
  }

  private static Object partition(OperationIndexEntry e) {
    return new PartitionKey(e.service(), Buckets.of(e.startEpochNanos()));
  }

  private BoundStatement bind(OperationIndexEntry e) {
    return ctx.write(ps)
        .setString(0, e.service())
        .setInt(1, Buckets.of(e.startEpochNanos()))
        .setString(2, e.operation())
        .setLong(3, e.startEpochNanos())
        .setByteBuffer(4, ByteBuffer.wrap(e.traceId().toBytes()))
        .setLong(5, e.durationNanos())
        .build();
  }

  private record PartitionKey(String service, int bucket) {}
}
