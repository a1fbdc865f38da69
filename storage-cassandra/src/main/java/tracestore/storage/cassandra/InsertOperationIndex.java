package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.OperationIndexEntry;

/** One operation index row, in the partition (service, operation, hour of start). */
final class InsertOperationIndex {
  static final String CQL =
      "INSERT INTO %s.operation_index (service, operation, bucket, start, trace_id, duration)"
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
    return new PartitionKey(e.service(), e.operation(), Buckets.of(e.startEpochNanos()));
  }

  private BoundStatement bind(OperationIndexEntry e) {
    return ctx.write(ps)
        .setString(0, e.service())
        .setString(1, e.operation())
        .setInt(2, Buckets.of(e.startEpochNanos()))
        .setLong(3, e.startEpochNanos())
        .setByteBuffer(4, ByteBuffer.wrap(e.traceId().toBytes()))
        .setLong(5, e.durationNanos())
        .build();
  }

  private record PartitionKey(String service, String operation, int bucket) {}
}
