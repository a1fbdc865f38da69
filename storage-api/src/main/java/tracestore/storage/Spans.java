package tracestore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import tracestore.storage.model.Span;

/**
 * The reader side's shared step: backends decode a trace's chunks, then call {@link
 * #dedupeAndSort} so every backend returns the same list for the same stored spans.
 */
public final class Spans {
  /**
   * The order {@link TraceReader#getTrace} promises: start time, then span id (unsigned); the rest
   * only breaks ties between spans that share both (Zipkin's shared client/server spans, or
   * near-twins that differ in a tag), so the order never depends on the order chunks were read in
   * and is the same in every JVM (it avoids {@code hashCode}, which enum fields make vary per run).
   */
  public static final Comparator<Span> READ_ORDER = Spans::compareForRead;

  /** Only consulted when start and span id are equal, which is rare: allocation there is fine. */
  private static final Comparator<Span> TIE_BREAK =
      Comparator.comparing(Span::kind)
          .thenComparing(Span::service)
          .thenComparing(Span::name)
          .thenComparingLong(Span::durationNanos)
          .thenComparing(Span::parentSpanId, Long::compareUnsigned)
          .thenComparing(Span::statusCode)
          .thenComparing(Span::statusMessage)
          .thenComparing(Span::remoteService)
          .thenComparing(x -> x.tags().toString())
          .thenComparing(x -> x.logs().toString())
          .thenComparing(x -> x.links().toString())
          .thenComparing(x -> x.resource().toString())
          .thenComparing(Span::scopeName)
          .thenComparing(Span::scopeVersion);

  private Spans() {}

  /**
   * Removes exact duplicates (equal in every field, as a replayed or overlapping batch produces)
   * and sorts by {@link #READ_ORDER}. Spans that differ in any field are all kept.
   *
   * @param chunks the decoded spans of each chunk of one trace, in any order
   * @return an unmodifiable list
   */
  public static List<Span> dedupeAndSort(Collection<? extends Collection<Span>> chunks) {
    int size = 0;
    for (Collection<Span> c : chunks) size += c.size();
    ArrayList<Span> all = new ArrayList<>(size);
    for (Collection<Span> c : chunks) all.addAll(c);
    return Collections.unmodifiableList(sortDistinct(all));
  }

  /** {@link #dedupeAndSort(Collection)} for spans already in one collection. */
  public static List<Span> dedupeAndSort(List<Span> spans) {
    return Collections.unmodifiableList(sortDistinct(new ArrayList<>(spans)));
  }

  private static int compareForRead(Span a, Span b) {
    int c = Long.compare(a.startEpochNanos(), b.startEpochNanos());
    if (c != 0) return c;
    c = Long.compareUnsigned(a.spanId(), b.spanId());
    if (c != 0) return c;
    return a.equals(b) ? 0 : TIE_BREAK.compare(a, b);
  }

  /**
   * Sorts {@code spans} in place by {@link #READ_ORDER} and removes exact duplicates. Equal spans
   * compare as 0, so they end up in one run of mutually tied spans; each run (almost always one
   * span long) is deduplicated by {@code equals}, so near-twins that tie are still kept.
   */
  static ArrayList<Span> sortDistinct(ArrayList<Span> spans) {
    spans.sort(READ_ORDER);
    int out = 0;
    int runStart = 0;
    for (int i = 0, n = spans.size(); i < n; i++) {
      Span s = spans.get(i);
      if (out > runStart && READ_ORDER.compare(spans.get(runStart), s) != 0) runStart = out;
      boolean duplicate = false;
      for (int j = runStart; j < out && !duplicate; j++) duplicate = spans.get(j).equals(s);
      if (!duplicate) spans.set(out++, s);
    }
    spans.subList(out, spans.size()).clear();
    return spans;
  }
}
