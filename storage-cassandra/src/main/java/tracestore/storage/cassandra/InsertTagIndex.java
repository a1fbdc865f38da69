package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.storage.TagIndexEntry;

/**
 * Tag index postings: one row per (service, key, hour, value) per batch, in the partition (service,
 * key, hour), so one batch writes all values of a key in one single-partition batch.
 */
final class InsertTagIndex {
  static final String TABLE = "tag_index";
  static final String CQL =
      "INSERT INTO %s.tag_index (service, key, bucket, value, posting, min_start, max_start, traces)"
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
            e -> new Group(new Partition(e.service(), e.key(), Buckets.of(e.startEpochNanos())), e.value()));
    for (Map.Entry<Group, List<TagIndexEntry>> g : groups.entrySet()) {
      List<Postings.Entry> list = new ArrayList<>(g.getValue().size());
      for (TagIndexEntry e : g.getValue()) list.add(new Postings.Entry(e.traceId(), e.startEpochNanos(), 0, false));
      Partition p = g.getKey().partition();
      for (Postings.Posting posting : Postings.of(list, Postings.TAG_WIDTH)) {
        out.add(
            new PendingRow(
                TABLE,
                p,
                ctx.write(ps)
                    .setString(0, p.service())
                    .setString(1, p.key())
                    .setInt(2, p.bucket())
                    .setString(3, g.getKey().value())
                    .setLong(4, posting.id())
                    .setLong(5, posting.minStart())
                    .setLong(6, posting.maxStart())
                    .setByteBuffer(7, posting.entries())
                    .build()));
      }
    }
    return out;
  }

  private record Partition(String service, String key, int bucket) {}

  private record Group(Partition partition, String value) {}
}
