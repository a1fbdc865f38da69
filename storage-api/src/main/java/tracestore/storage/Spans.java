package tracestore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
  public static final Comparator<Span> READ_ORDER =
      Comparator.comparingLong(Span::startEpochNanos)
          .thenComparing(Span::spanId, Long::compareUnsigned)
          .thenComparing(Span::kind)
          .thenComparing(Span::service)
          .thenComparing(Span::name)
          .thenComparingLong(Span::durationNanos)
          .thenComparing(Span::parentSpanId, Long::compareUnsigned)
          .thenComparing(Span::statusCode)
          .thenComparing(Span::statusMessage)
          .thenComparing(Span::remoteService)
          .thenComparing(s -> s.tags().toString())
          .thenComparing(s -> s.logs().toString())
          .thenComparing(s -> s.links().toString())
          .thenComparing(s -> s.resource().toString())
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
    Set<Span> unique = new LinkedHashSet<>(Math.max(16, size * 4 / 3 + 1));
    for (Collection<Span> c : chunks) unique.addAll(c);
    return sorted(unique);
  }

  /** {@link #dedupeAndSort(Collection)} for spans already in one collection. */
  public static List<Span> dedupeAndSort(List<Span> spans) {
    return sorted(new LinkedHashSet<>(spans));
  }

  private static List<Span> sorted(Set<Span> unique) {
    List<Span> out = new ArrayList<>(unique);
    out.sort(READ_ORDER);
    return Collections.unmodifiableList(out);
  }
}
