package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.TraceHit;
import tracestore.storage.model.TraceId;

/**
 * Search: an AND of predicates, each read from one index, intersected hour bucket by hour bucket,
 * newest first, until more than {@code limit} distinct traces match.
 *
 * <ul>
 *   <li>Each predicate reads, per bucket, the rows of its partition(s) whose start lies in the range
 *       (clustering range; no ALLOW FILTERING, no secondary index) and keeps per trace the earliest
 *       start of a satisfying row. Duration and error conditions are checked in memory on rows of
 *       that one bounded partition (see RATIONALE.md).
 *   <li>The newest bucket reads every predicate; the one that matched the fewest rows there drives
 *       the older buckets. When the driver matches nothing in a bucket (nor in the next newer one),
 *       the other predicates are not read for it. A driver match also reads the others in the next
 *       newer bucket, so a trace whose entries straddle one hour boundary is still found.
 *   <li>A trace is a hit once every predicate has a row for it, in any bucket read; its start is the
 *       earliest of those rows. Hits are ordered by {@link SearchCursor#HIT_ORDER}; the search stops
 *       after the first bucket that brings more than {@code limit} hits, and then the page is
 *       incomplete with a cursor; when every bucket of the range was read it is complete.
 * </ul>
 */
final class CassandraSearch {
  /** Posting rows per page: each holds up to 1,000 entries. */
  static final int PAGE_SIZE = 100;

  private final Statements st;
  private final boolean readLegacyTags;

  /**
   * @param readLegacyTags also read schema V001's {@code tag_index}, because it held rows written
   *     before V003 when the storage was built
   */
  CassandraSearch(Statements st, boolean readLegacyTags) {
    this.st = st;
    this.readLegacyTags = readLegacyTags;
  }

  SearchResult search(SearchRequest r) {
    SearchCursor cursor = r.cursor() == null ? null : SearchCursor.decode(r.cursor());
    long from = r.startEpochNanos();
    long to = cursor == null ? r.endEpochNanos() : Math.min(r.endEpochNanos(), cursor.startEpochNanos());
    if (to < from) return new SearchResult(List.of(), null, true);

    List<Predicate> predicates = predicates(r);
    int n = predicates.size();
    List<Map<TraceId, Long>> earliest = new ArrayList<>(n);
    List<BitSet> bucketsRead = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      earliest.add(new HashMap<>());
      bucketsRead.add(new BitSet());
    }
    int newest = Buckets.of(to);
    int oldest = Buckets.of(from);
    int driver = -1;
    boolean driverMatchedNewer = false;
    List<TraceHit> hits = List.of();
    for (int b = newest; b >= oldest; b--) {
      if (driver < 0) {
        int[] matched = readAll(predicates, allIndexes(n), b, from, to, earliest, bucketsRead, newest);
        driver = 0;
        for (int i = 1; i < n; i++) if (matched[i] < matched[driver]) driver = i;
        driverMatchedNewer = matched[driver] > 0;
      } else {
        int matched = readAll(predicates, List.of(driver), b, from, to, earliest, bucketsRead, newest)[driver];
        if (n > 1 && (matched > 0 || driverMatchedNewer)) {
          List<Integer> others = new ArrayList<>();
          for (int i = 0; i < n; i++) if (i != driver) others.add(i);
          readAll(predicates, others, b, from, to, earliest, bucketsRead, newest);
          if (matched > 0 && b < newest) readAll(predicates, others, b + 1, from, to, earliest, bucketsRead, newest);
        }
        driverMatchedNewer = matched > 0;
      }
      hits = hits(earliest, driver, cursor);
      if (hits.size() > r.limit()) break;
    }
    if (hits.size() <= r.limit()) return new SearchResult(hits, null, true);
    List<TraceHit> page = hits.subList(0, r.limit());
    return new SearchResult(page, SearchCursor.after(page.get(page.size() - 1)).encode(), false);
  }

  private static List<Integer> allIndexes(int n) {
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) all.add(i);
    return all;
  }

  /** Reads bucket {@code b} of each listed predicate not read yet; returns rows matched per predicate. */
  private int[] readAll(
      List<Predicate> predicates,
      List<Integer> which,
      int b,
      long from,
      long to,
      List<Map<TraceId, Long>> earliest,
      List<BitSet> bucketsRead,
      int newest) {
    int[] matched = new int[predicates.size()];
    long lo = Math.max(from, Buckets.start(b));
    long hi = Math.min(to, Buckets.end(b));
    List<BoundStatement> statements = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i : which) {
      BitSet read = bucketsRead.get(i);
      if (read.get(newest - b)) continue;
      read.set(newest - b);
      for (BoundStatement s : predicates.get(i).statements(st, b)) {
        statements.add(s);
        owner.add(i);
      }
    }
    if (statements.isEmpty()) return matched;
    Reads.forEachRow(
        st.ctx.session(),
        statements,
        (row, s) -> {
          if (row.getLong("max_start") < lo || row.getLong("min_start") > hi) return;
          int i = owner.get(s);
          Predicate predicate = predicates.get(i);
          Map<TraceId, Long> found = earliest.get(i);
          Postings.decode(
              row.getByteBuffer("traces"),
              predicate.width(),
              (id, start, duration, error) -> {
                if (start < lo || start > hi || !predicate.accepts(duration, error)) return;
                matched[i]++;
                found.merge(id, start, Math::min);
              });
        },
        "searching");
    return matched;
  }

  private static List<TraceHit> hits(List<Map<TraceId, Long>> earliest, int driver, SearchCursor cursor) {
    List<TraceHit> hits = new ArrayList<>();
    for (Map.Entry<TraceId, Long> e : earliest.get(driver).entrySet()) {
      long start = e.getValue();
      boolean all = true;
      for (int i = 0; i < earliest.size() && all; i++) {
        Long s = earliest.get(i).get(e.getKey());
        if (s == null) all = false;
        else start = Math.min(start, s);
      }
      if (!all) continue;
      TraceHit hit = new TraceHit(e.getKey(), start);
      if (cursor == null || cursor.precedes(hit)) hits.add(hit);
    }
    hits.sort(SearchCursor.HIT_ORDER);
    return hits;
  }

  /** The predicates of a request, as the SPI defines them (see docs/spi.md, "Searching"). */
  private List<Predicate> predicates(SearchRequest r) {
    List<Predicate> out = new ArrayList<>();
    String service = r.service();
    long min = r.minDurationNanos();
    long max = r.maxDurationNanos();
    for (Map.Entry<String, String> tag : r.tags().entrySet()) {
      out.add(new TagPredicate(service, tag.getKey(), tag.getValue(), readLegacyTags));
    }
    if (!r.remoteService().isEmpty()) {
      out.add(new TagPredicate(service, TagIndexEntry.REMOTE_SERVICE_KEY, r.remoteService(), readLegacyTags));
    }
    if (!r.operation().isEmpty()) out.add(new OperationPredicate(service, r.operation(), min, max));
    boolean duration = min != 0 || max != 0;
    if (duration && r.operation().isEmpty()) out.add(new ServicePredicate(services(service), min, max, false));
    if (r.errorOnly()) out.add(new ServicePredicate(services(service), 0, 0, true));
    if (out.isEmpty()) out.add(new ServicePredicate(services(service), 0, 0, false));
    return out;
  }

  /** The service, or every known service when the request names none. */
  private List<String> services(String service) {
    if (!service.isEmpty()) return List.of(service);
    List<String> all = new ArrayList<>();
    Reads.forEachRow(st.ctx.session(), st.selectServiceNames.bind(), (row, i) -> all.add(row.getString(0)), "listing services");
    return all;
  }

  static boolean durationIn(long duration, long min, long max) {
    return duration >= min && (max == 0 || duration <= max);
  }

  /** One AND-ed condition: the posting reads of one bucket, and a check of each entry. */
  private interface Predicate {
    List<BoundStatement> statements(Statements st, int bucket);

    /** The record width of its postings (see {@link Postings}). */
    int width();

    boolean accepts(long duration, boolean error);
  }

  private record TagPredicate(String service, String key, String value, boolean legacy) implements Predicate {
    @Override
    public List<BoundStatement> statements(Statements st, int bucket) {
      BoundStatement current = st.selectTagIndex.bind(service, key, value, bucket, PAGE_SIZE);
      if (!legacy) return List.of(current);
      return List.of(current, st.selectLegacyTagIndex.bind(service, key, value, bucket, PAGE_SIZE));
    }

    @Override
    public int width() {
      return Postings.TAG_WIDTH;
    }

    @Override
    public boolean accepts(long duration, boolean error) {
      return true;
    }
  }

  private record OperationPredicate(String service, String operation, long min, long max) implements Predicate {
    @Override
    public List<BoundStatement> statements(Statements st, int bucket) {
      return List.of(st.selectOperationIndex.bind(service, operation, bucket, PAGE_SIZE));
    }

    @Override
    public int width() {
      return Postings.OPERATION_WIDTH;
    }

    @Override
    public boolean accepts(long duration, boolean error) {
      return durationIn(duration, min, max);
    }
  }

  private record ServicePredicate(List<String> services, long min, long max, boolean errorOnly)
      implements Predicate {
    @Override
    public List<BoundStatement> statements(Statements st, int bucket) {
      List<BoundStatement> out = new ArrayList<>(services.size());
      for (String s : services) out.add(st.selectServiceIndex.bind(s, bucket, PAGE_SIZE));
      return out;
    }

    @Override
    public int width() {
      return Postings.SERVICE_WIDTH;
    }

    @Override
    public boolean accepts(long duration, boolean error) {
      return durationIn(duration, min, max) && (!errorOnly || error);
    }
  }
}
