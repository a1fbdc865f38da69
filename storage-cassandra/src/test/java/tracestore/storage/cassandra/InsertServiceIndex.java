package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.ServiceIndexEntry;

/**
 * Service index postings: one row per (service, hour) per batch, listing its traces.
 *
 * <p>Schema V003's layout: no longer written since V005's index segments; kept so tests can
 * write rows of that layout and check that searches still find them.
 */
final class InsertServiceIndex {
  static final String TABLE = "service_index";
  static final String CQL =
      "INSERT INTO %s.service_index (service, bucket, posting, min_start, max_start, traces)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertServiceIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  List<PendingRow> rows(List<ServiceIndexEntry> entries) {
    List<PendingRow> out = new ArrayList<>();
    Map<ServiceHour, List<ServiceIndexEntry>> groups =
        Postings.group(entries, e -> new ServiceHour(e.service(), Buckets.of(e.startEpochNanos())));
    for (Map.Entry<ServiceHour, List<ServiceIndexEntry>> g : groups.entrySet()) {
      List<Postings.Entry> list = new ArrayList<>(g.getValue().size());
      for (ServiceIndexEntry e : g.getValue()) {
        list.add(new Postings.Entry(e.traceId(), e.startEpochNanos(), e.durationNanos(), e.error()));
      }
      ServiceHour p = g.getKey();
      for (Postings.Posting posting : Postings.of(list, Postings.SERVICE_WIDTH)) {
        out.add(
            new PendingRow(
                p,
                ctx.write(ps)
                    .setString(0, p.service())
                    .setInt(1, p.bucket())
                    .setLong(2, posting.id())
                    .setLong(3, posting.minStart())
                    .setLong(4, posting.maxStart())
                    .setByteBuffer(5, posting.entries())
                    .build()));
      }
    }
    return out;
  }
}
