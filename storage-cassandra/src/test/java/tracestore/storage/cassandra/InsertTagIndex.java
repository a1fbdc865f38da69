package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.TagIndexEntry;

/**
 * Tag index postings (schema V003): one row per (service, hour, key, value) per batch, in the
 * partition (service, hour) that the service and operation postings use too, so one write batch
 * sends all index rows of a service and hour as one single-partition-key batch.
 *
 * <p>Schema V003's layout: no longer written since V005's index segments; kept so tests can
 * write rows of that layout and check that searches still find them.
 */
final class InsertTagIndex {
  static final String TABLE = "service_tag_index";
  static final String CQL =
      "INSERT INTO %s.service_tag_index (service, bucket, key, value, posting, min_start, max_start, traces)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  List<PendingRow> rows(List<TagIndexEntry> entries) {
    List<PendingRow> out = new ArrayList<>();
    Map<Group, List<TagIndexEntry>> groups =
        Postings.group(
            entries,
            e -> new Group(new ServiceHour(e.service(), Buckets.of(e.startEpochNanos())), e.key(), e.value()));
    for (Map.Entry<Group, List<TagIndexEntry>> g : groups.entrySet()) {
      List<Postings.Entry> list = new ArrayList<>(g.getValue().size());
      for (TagIndexEntry e : g.getValue()) list.add(new Postings.Entry(e.traceId(), e.startEpochNanos(), 0, false));
      Group k = g.getKey();
      ServiceHour p = k.partition();
      for (Postings.Posting posting : Postings.of(list, Postings.TAG_WIDTH)) {
        out.add(
            new PendingRow(
                p,
                ctx.write(ps)
                    .setString(0, p.service())
                    .setInt(1, p.bucket())
                    .setString(2, k.key())
                    .setString(3, k.value())
                    .setLong(4, posting.id())
                    .setLong(5, posting.minStart())
                    .setLong(6, posting.maxStart())
                    .setByteBuffer(7, posting.entries())
                    .build()));
      }
    }
    return out;
  }

  private record Group(ServiceHour partition, String key, String value) {}
}
