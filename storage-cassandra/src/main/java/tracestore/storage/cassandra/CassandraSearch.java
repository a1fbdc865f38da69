package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *   <li>Each predicate reads, per bucket, its (service, hour) partition(s) of {@code index_segments}
 *       (no ALLOW FILTERING, no secondary index): first the filters of every segment, then, in one
 *       single-partition {@code IN} read, the entries of the segments whose start range overlaps the
 *       search and whose filter may hold the predicate's term. The term is then compared exactly
 *       and per trace the earliest start of a satisfying entry is kept. Duration and error
 *       conditions are checked in memory on entries of that one bounded partition (see
 *       RATIONALE.md).
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
  /** Rows per page: postings of up to 1,000 entries, or segments of up to 2,000 traces. */
  static final int PAGE_SIZE = 100;

  private final Statements st;
  private final boolean readLegacyTags;
  private final boolean readLegacyIndexes;

  /**
   * @param readLegacyTags also read schema V001's {@code tag_index}, because it held rows written
   *     before V003 when the storage was built
   * @param readLegacyIndexes also read schema V003's posting tables, because they held rows written
   *     before V005 when the storage was built
   */
  CassandraSearch(Statements st, boolean readLegacyTags, boolean readLegacyIndexes) {
    this.st = st;
    this.readLegacyTags = readLegacyTags;
    this.readLegacyIndexes = readLegacyIndexes;
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

  /** Reads bucket {@code b} of each listed predicate not read yet; returns entries matched per predicate. */
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
    List<BoundStatement> legacy = new ArrayList<>();
    List<Integer> legacyOwner = new ArrayList<>();
    Map<String, List<Integer>> byService = new LinkedHashMap<>();
    for (int i : which) {
      BitSet read = bucketsRead.get(i);
      if (read.get(newest - b)) continue;
      read.set(newest - b);
      Predicate p = predicates.get(i);
      for (BoundStatement s : p.legacyStatements(st, b, readLegacyIndexes, readLegacyTags)) {
        legacy.add(s);
        legacyOwner.add(i);
      }
      for (String service : p.services()) byService.computeIfAbsent(service, k -> new ArrayList<>()).add(i);
    }
    if (!legacy.isEmpty()) readLegacy(predicates, legacy, legacyOwner, lo, hi, earliest, matched);
    if (!byService.isEmpty()) readSegments(predicates, byService, b, lo, hi, earliest, matched);
    return matched;
  }

  /**
   * The segments of each (service, bucket): their filters first, then the entries of those that
   * overlap [lo, hi] and may hold a term of one of the service's predicates.
   */
  private void readSegments(
      List<Predicate> predicates,
      Map<String, List<Integer>> byService,
      int b,
      long lo,
      long hi,
      List<Map<TraceId, Long>> earliest,
      int[] matched) {
    List<String> services = new ArrayList<>(byService.keySet());
    List<BoundStatement> filters = new ArrayList<>(services.size());
    for (String s : services) filters.add(st.selectSegmentFilters.bind(s, b, PAGE_SIZE));
    List<List<Long>> wanted = new ArrayList<>(services.size());
    for (int k = 0; k < services.size(); k++) wanted.add(new ArrayList<>());
    Reads.forEachRow(
        st.ctx.session(),
        filters,
        (row, k) -> {
          if (row.getLong(2) < lo || row.getLong(1) > hi) return;
          ByteBuffer terms = row.getByteBuffer(3);
          for (int i : byService.get(services.get(k))) {
            if (predicates.get(i).mayMatch(terms)) {
              wanted.get(k).add(row.getLong(0));
              return;
            }
          }
        },
        "searching");
    List<BoundStatement> fetches = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int k = 0; k < services.size(); k++) {
      List<Long> ids = wanted.get(k);
      for (int from = 0; from < ids.size(); from += SelectSegmentEntries.MAX_IN) {
        List<Long> some = ids.subList(from, Math.min(ids.size(), from + SelectSegmentEntries.MAX_IN));
        fetches.add(st.selectSegmentEntries.bind(services.get(k), b, some, PAGE_SIZE));
        owner.add(k);
      }
    }
    if (fetches.isEmpty()) return;
    Reads.forEachRow(
        st.ctx.session(),
        fetches,
        (row, f) -> {
          ByteBuffer entries = row.getByteBuffer(1);
          if (entries == null) return;
          for (int i : byService.get(services.get(owner.get(f)))) {
            Predicate predicate = predicates.get(i);
            Map<TraceId, Long> found = earliest.get(i);
            IndexSegment.scan(
                entries,
                b,
                predicate.kind(),
                predicate.a(),
                predicate.b(),
                (id, start, duration, error) -> {
                  if (start < lo || start > hi || !predicate.accepts(duration, error)) return;
                  matched[i]++;
                  found.merge(id, start, Math::min);
                });
          }
        },
        "searching");
  }

  /** Postings of the tables older schema versions wrote (V001 tag_index, V003), still read until they expire. */
  private void readLegacy(
      List<Predicate> predicates,
      List<BoundStatement> statements,
      List<Integer> owner,
      long lo,
      long hi,
      List<Map<TraceId, Long>> earliest,
      int[] matched) {
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
      out.add(new TagPredicate(service, tag.getKey(), tag.getValue()));
    }
    if (!r.remoteService().isEmpty()) {
      out.add(new TagPredicate(service, TagIndexEntry.REMOTE_SERVICE_KEY, r.remoteService()));
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

  /**
   * One AND-ed condition: the service(s) whose segments it reads, its term in a segment, its reads of
   * the tables older schema versions wrote, and a check of each entry.
   */
  private interface Predicate {
    List<String> services();

    /** The term's kind and strings, as {@link IndexSegment#scan} takes them. */
    byte kind();

    String a();

    String b();

    /** Whether a segment with filter {@code terms} may hold the term. */
    boolean mayMatch(ByteBuffer terms);

    /** Reads of V003's postings (when {@code v003}) and V001's tag_index (when {@code v001}). */
    List<BoundStatement> legacyStatements(Statements st, int bucket, boolean v003, boolean v001);

    /** The record width of its legacy postings (see {@link Postings}). */
    int width();

    boolean accepts(long duration, boolean error);
  }

  private record TagPredicate(String service, String key, String value, long hash) implements Predicate {
    TagPredicate(String service, String key, String value) {
      this(service, key, value, IndexSegment.termHash(IndexSegment.TAG, key, value));
    }

    @Override
    public List<String> services() {
      return List.of(service);
    }

    @Override
    public byte kind() {
      return IndexSegment.TAG;
    }

    @Override
    public String a() {
      return key;
    }

    @Override
    public String b() {
      return value;
    }

    @Override
    public boolean mayMatch(ByteBuffer terms) {
      return IndexSegment.mayContain(terms, hash);
    }

    @Override
    public List<BoundStatement> legacyStatements(Statements st, int bucket, boolean v003, boolean v001) {
      List<BoundStatement> out = new ArrayList<>(2);
      if (v003) out.add(st.selectTagIndex.bind(service, key, value, bucket, PAGE_SIZE));
      if (v001) out.add(st.selectLegacyTagIndex.bind(service, key, value, bucket, PAGE_SIZE));
      return out;
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

  private record OperationPredicate(String service, String operation, long min, long max, long hash)
      implements Predicate {
    OperationPredicate(String service, String operation, long min, long max) {
      this(service, operation, min, max, IndexSegment.termHash(IndexSegment.OPERATION, operation, ""));
    }

    @Override
    public List<String> services() {
      return List.of(service);
    }

    @Override
    public byte kind() {
      return IndexSegment.OPERATION;
    }

    @Override
    public String a() {
      return operation;
    }

    @Override
    public String b() {
      return "";
    }

    @Override
    public boolean mayMatch(ByteBuffer terms) {
      return IndexSegment.mayContain(terms, hash);
    }

    @Override
    public List<BoundStatement> legacyStatements(Statements st, int bucket, boolean v003, boolean v001) {
      return v003 ? List.of(st.selectOperationIndex.bind(service, operation, bucket, PAGE_SIZE)) : List.of();
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
    public byte kind() {
      return IndexSegment.SERVICE;
    }

    @Override
    public String a() {
      return "";
    }

    @Override
    public String b() {
      return "";
    }

    @Override
    public boolean mayMatch(ByteBuffer terms) {
      return true; // every segment holds its service's entries
    }

    @Override
    public List<BoundStatement> legacyStatements(Statements st, int bucket, boolean v003, boolean v001) {
      if (!v003) return List.of();
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
