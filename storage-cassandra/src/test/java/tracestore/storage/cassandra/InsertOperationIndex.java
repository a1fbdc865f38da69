package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.OperationIndexEntry;

/**
 * Operation index postings: one row per (service, hour, operation) per batch, in the partition
 * (service, hour), so one batch writes all operations of a service in one single-partition batch.
 *
 * <p>Schema V003's layout: no longer written since V005's index segments; kept so tests can
 * write rows of that layout and check that searches still find them.
 */
final class InsertOperationIndex {
  static final String TABLE = "operation_index";
  static final String CQL =
      "INSERT INTO %s.operation_index (service, bucket, operation, posting, min_start, max_start, traces)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertOperationIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  List<PendingRow> rows(List<OperationIndexEntry> entries) {
    List<PendingRow> out = new ArrayList<>();
    Map<Group, List<OperationIndexEntry>> groups =
        Postings.group(
            entries, e -> new Group(new ServiceHour(e.service(), Buckets.of(e.startEpochNanos())), e.operation()));
    for (Map.Entry<Group, List<OperationIndexEntry>> g : groups.entrySet()) {
      List<Postings.Entry> list = new ArrayList<>(g.getValue().size());
      for (OperationIndexEntry e : g.getValue()) {
        list.add(new Postings.Entry(e.traceId(), e.startEpochNanos(), e.durationNanos(), false));
      }
      ServiceHour p = g.getKey().partition();
      for (Postings.Posting posting : Postings.of(list, Postings.OPERATION_WIDTH)) {
        out.add(
            new PendingRow(
                p,
                ctx.write(ps)
                    .setString(0, p.service())
                    .setInt(1, p.bucket())
                    .setString(2, g.getKey().operation())
                    .setLong(3, posting.id())
                    .setLong(4, posting.minStart())
                    .setLong(5, posting.maxStart())
                    .setByteBuffer(6, posting.entries())
                    .build()));
      }
    }
    return out;
  }

  private record Group(ServiceHour partition, String operation) {}
}
