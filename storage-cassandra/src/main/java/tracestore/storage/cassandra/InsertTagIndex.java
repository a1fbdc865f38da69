package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.TagIndexEntry;

/** One tag index row, in the partition (service, key, value, hour of start). */
final class InsertTagIndex {
  static final String CQL =
      "INSERT INTO %s.tag_index (service, key, value, bucket, start, trace_id) VALUES (?, ?, ?, ?, ?, ?)";

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
    return new PartitionKey(e.service(), e.key(), e.value(), Buckets.of(e.startEpochNanos()));
  }

  private BoundStatement bind(TagIndexEntry e) {
    return ctx.write(ps)
        .setString(0, e.service())
        .setString(1, e.key())
        .setString(2, e.value())
        .setInt(3, Buckets.of(e.startEpochNanos()))
        .setLong(4, e.startEpochNanos())
        .setByteBuffer(5, ByteBuffer.wrap(e.traceId().toBytes()))
        .build();
  }

  private record PartitionKey(String service, String key, String value, int bucket) {}
}
