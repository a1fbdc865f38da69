package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.TagIndexEntry;

/** One tag index row, in the partition (service, key, hour of start), clustered by value. */
final class InsertTagIndex {
  static final String CQL =
      "INSERT INTO %s.tag_index (service, key, bucket, value, start, trace_id) VALUES (?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  PendingRow row(TagIndexEntry e) {
    return new PendingRow("tag_index", partition(e), bind(e));
  }

  private static Object partition(TagIndexEntry e) {
    return new PartitionKey(e.service(), e.key(), Buckets.of(e.startEpochNanos()));
  }

  private BoundStatement bind(TagIndexEntry e) {
    return ctx.write(ps)
        .setString(0, e.service())
        .setString(1, e.key())
        .setInt(2, Buckets.of(e.startEpochNanos()))
        .setString(3, e.value())
        .setLong(4, e.startEpochNanos())
        .setByteBuffer(5, ByteBuffer.wrap(e.traceId().toBytes()))
        .build();
  }

  private record PartitionKey(String service, String key, int bucket) {}
}
