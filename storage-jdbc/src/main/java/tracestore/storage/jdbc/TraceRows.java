package tracestore.storage.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * The parts of PostgreSQL's {@code trace_index} rows: the service, operation and tag entries of
 * one batch folded into one part per (trace, service), instead of one row per entry in three
 * tables. V003 stored each part as a row (about 0.3 per span against 2.1); V007 stores all parts
 * of a service in a batch in one row ({@link BatchRows}). "Row" below means a part.
 *
 * <p>A row holds at most one service entry, which then starts the row ({@code start_ns}); its
 * operation and tag entries are parallel arrays (hash, start offset from the row, and for
 * operations the duration), operations first. Every entry of a row starts within {@link
 * #MAX_SPREAD_NANOS} after the row and on the same UTC day: an entry outside goes to another row
 * of the same (trace, service). So a search for entries starting in [from, to] reads rows whose
 * start is in [from - MAX_SPREAD_NANOS, to] and checks each element's own start (and duration)
 * exactly; the offsets fit in an {@code integer}; and dropping a day's partition drops only
 * entries of that day. A row also holds each term at most once (the same operation under two span
 * kinds goes to a second row), so a search finds an element with {@code array_position}.
 */
final class TraceRows {
  private TraceRows() {}

  /** How far after its row an entry may start: 250 ms (fits an int of nanoseconds). */
  static final long MAX_SPREAD_NANOS = 250_000_000L;

  /**
   * One {@code trace_index} row. The arrays are owned by the row; nothing mutates them after
   * {@link #of} returns.
   *
   * @param hasService whether the row carries a service entry (then it starts at startEpochNanos)
   * @param terms operation hashes ({@code opDurations.length} of them), then tag hashes
   * @param offsets per term, its entry's start minus startEpochNanos
   */
  record Row(String service, TraceId traceId, long startEpochNanos, boolean hasService,
      long durationNanos, boolean error, long[] terms, int[] offsets, long[] opDurations) {}

  /**
   * The rows of one batch's entries, in no particular order. Equal entries give one element (or
   * one service entry), so the caller need not deduplicate them.
   */
  static List<Row> of(List<ServiceIndexEntry> service, List<OperationIndexEntry> operation,
      List<TagIndexEntry> tag) {
    Map<Key, Group> groups = new HashMap<>();
    for (ServiceIndexEntry e : service) {
      groups.computeIfAbsent(new Key(e.traceId(), e.service()), k -> new Group()).services.add(e);
    }
    for (OperationIndexEntry e : operation) {
      groups.computeIfAbsent(new Key(e.traceId(), e.service()), k -> new Group()).elements.add(
          new Element(TagRows.operationHash(e.service(), e.operation()), e.startEpochNanos(),
              e.durationNanos(), true));
    }
    for (TagIndexEntry e : tag) {
      groups.computeIfAbsent(new Key(e.traceId(), e.service()), k -> new Group()).elements.add(
          new Element(TagRows.hash(e.service(), e.key(), e.value()), e.startEpochNanos(), 0, false));
    }
    List<Row> rows = new ArrayList<>(groups.size() + 8);
    for (Map.Entry<Key, Group> g : groups.entrySet()) g.getValue().rows(g.getKey(), rows);
    return rows;
  }

  private record Key(TraceId traceId, String service) {}

  private record Element(long hash, long start, long duration, boolean operation) {}

  /** The entries of one (trace, service) while rows are formed. */
  private static final class Group {
    final List<ServiceIndexEntry> services = new ArrayList<>(1);
    final List<Element> elements = new ArrayList<>();

    void rows(Key key, List<Row> out) {
      // The usual case: one service entry at or before every element, all within the spread.
      List<Draft> drafts = new ArrayList<>(1);
      if (services.size() > 1) services.sort(Comparator.comparingLong(ServiceIndexEntry::startEpochNanos));
      for (ServiceIndexEntry s : services) {
        if (!holdsService(drafts, s)) drafts.add(new Draft(s.startEpochNanos(), s));
      }
      elements.sort(Comparator.comparingLong(Element::start)); // fewest rows when some must split
      elements:
      for (Element e : elements) {
        Draft home = null;
        for (Draft d : drafts) {
          int held = d.indexOf(e.hash());
          if (held >= 0) {
            if (d.elements.get(held).equals(e)) continue elements; // an equal entry: nothing new
          } else if (d.fits(e) && (home == null || d.start > home.start)) {
            home = d;
          }
        }
        if (home == null) {
          home = new Draft(e.start(), null);
          drafts.add(home);
        }
        home.add(e);
      }
      for (Draft d : drafts) out.add(d.row(key));
    }
  }

  /** Whether a row already holds a service entry equal to {@code s}. */
  private static boolean holdsService(List<Draft> drafts, ServiceIndexEntry s) {
    for (Draft d : drafts) if (s.equals(d.service)) return true;
    return false;
  }

  /** A row being filled. */
  private static final class Draft {
    final long start;
    final ServiceIndexEntry service;
    final List<Element> elements = new ArrayList<>();

    Draft(long start, ServiceIndexEntry service) {
      this.start = start;
      this.service = service;
    }

    /**
     * Within the spread and on the row's day (the caller checks that the row does not hold the
     * term yet).
     */
    boolean fits(Element e) {
      return e.start() >= start && e.start() - start <= MAX_SPREAD_NANOS
          && Partitions.dayOf(e.start()) == Partitions.dayOf(start);
    }

    /**
     * The index of the element with this term, or -1. A linear scan: a row holds about ten
     * terms, and a set would box every one.
     */
    int indexOf(long hash) {
      for (int i = 0; i < elements.size(); i++) if (elements.get(i).hash() == hash) return i;
      return -1;
    }

    void add(Element e) {
      elements.add(e);
    }

    Row row(Key key) {
      int ops = 0;
      for (Element e : elements) if (e.operation()) ops++;
      long[] terms = new long[elements.size()];
      int[] offsets = new int[elements.size()];
      long[] durations = new long[ops];
      int o = 0;
      int t = ops;
      for (Element e : elements) {
        int i = e.operation() ? o++ : t++;
        terms[i] = e.hash();
        offsets[i] = (int) (e.start() - start);
        if (e.operation()) durations[i] = e.duration();
      }
      return new Row(key.service(), key.traceId(), start, service != null,
          service == null ? 0 : service.durationNanos(), service != null && service.error(),
          terms, offsets, durations);
    }
  }
}
