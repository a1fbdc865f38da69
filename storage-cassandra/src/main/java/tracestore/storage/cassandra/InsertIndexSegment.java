package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
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
    Builders builders = new Builders();
    for (ServiceIndexEntry e : services) {
      builders.of(e.service(), e.startEpochNanos())
          .add(IndexSegment.SERVICE, "", "", e.traceId(), e.startEpochNanos(), e.durationNanos(), e.error());
    }
    for (OperationIndexEntry e : operations) {
      builders.of(e.service(), e.startEpochNanos())
          .add(IndexSegment.OPERATION, e.operation(), "", e.traceId(), e.startEpochNanos(), e.durationNanos(), false);
    }
    for (TagIndexEntry e : tags) {
      builders.of(e.service(), e.startEpochNanos())
          .add(IndexSegment.TAG, e.key(), e.value(), e.traceId(), e.startEpochNanos(), 0, false);
    }
    List<PendingRow> out = new ArrayList<>(builders.all.size());
    for (IndexSegment.Builder b : builders.all) {
      ServiceHour p = new ServiceHour(b.service(), b.bucket());
      for (IndexSegment.Encoded s : b.build()) {
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

  /**
   * The segment builders of one flush, in the order first used, found by service then hour without
   * allocating a key per entry (one service's entries nearly always fall in one or two hours).
   */
  private static final class Builders {
    final List<IndexSegment.Builder> all = new ArrayList<>();
    private final Map<String, List<IndexSegment.Builder>> byService = new HashMap<>();
    private IndexSegment.Builder last;

    IndexSegment.Builder of(String service, long start) {
      int bucket = Buckets.of(start);
      IndexSegment.Builder b = last;
      if (b != null && b.bucket() == bucket && (b.service() == service || b.service().equals(service))) return b;
      List<IndexSegment.Builder> hours = byService.get(service);
      if (hours == null) byService.put(service, hours = new ArrayList<>(2));
      b = null;
      for (int i = 0, n = hours.size(); i < n; i++) {
        if (hours.get(i).bucket() == bucket) {
          b = hours.get(i);
          break;
        }
      }
      if (b == null) {
        b = new IndexSegment.Builder(service, bucket);
        hours.add(b);
        all.add(b);
      }
      last = b;
      return b;
    }
  }
}
