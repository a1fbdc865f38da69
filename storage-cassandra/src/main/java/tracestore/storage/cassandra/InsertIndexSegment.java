package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;

/**
 * Index segments (schema V005): every service, operation and tag entry of one (service, hour) of an
 * index flush in one row ({@link IndexSegment}), instead of one posting row per operation and per
 * tag value. One row per (service, hour) per flush; more only past {@link IndexSegment#MAX_TRACES}.
 */
final class InsertIndexSegment {
  static final String TABLE = "index_segments";
  static final String CQL =
      "INSERT INTO %s.index_segments (service, bucket, segment, min_start, max_start, terms, postings)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertIndexSegment(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  List<PendingRow> rows(
      List<ServiceIndexEntry> services, List<OperationIndexEntry> operations, List<TagIndexEntry> tags) {
    Map<ServiceHour, IndexSegment.Builder> builders = new LinkedHashMap<>();
    for (ServiceIndexEntry e : services) {
      builder(builders, e.service(), e.startEpochNanos())
          .add(IndexSegment.SERVICE, "", "", e.traceId(), e.startEpochNanos(), e.durationNanos(), e.error());
    }
    for (OperationIndexEntry e : operations) {
      builder(builders, e.service(), e.startEpochNanos())
          .add(IndexSegment.OPERATION, e.operation(), "", e.traceId(), e.startEpochNanos(), e.durationNanos(), false);
    }
    for (TagIndexEntry e : tags) {
      builder(builders, e.service(), e.startEpochNanos())
          .add(IndexSegment.TAG, e.key(), e.value(), e.traceId(), e.startEpochNanos(), 0, false);
    }
    List<PendingRow> out = new ArrayList<>(builders.size());
    for (Map.Entry<ServiceHour, IndexSegment.Builder> b : builders.entrySet()) {
      ServiceHour p = b.getKey();
      for (IndexSegment.Encoded s : b.getValue().build()) {
        out.add(
            new PendingRow(
                p,
                ctx.write(ps)
                    .setString(0, p.service())
                    .setInt(1, p.bucket())
                    .setLong(2, s.id())
                    .setLong(3, s.minStart())
                    .setLong(4, s.maxStart())
                    .setByteBuffer(5, s.terms())
                    .setByteBuffer(6, s.entries())
                    .build()));
      }
    }
    return out;
  }

  private static IndexSegment.Builder builder(Map<ServiceHour, IndexSegment.Builder> builders, String service, long start) {
    int bucket = Buckets.of(start);
    return builders.computeIfAbsent(new ServiceHour(service, bucket), k -> new IndexSegment.Builder(bucket));
  }
}
