package tracestore.storage.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Merges copies of the same span: same span id, same service, same kind. A copy arrives twice when a
 * batch is replayed, or in parts when a span is split across chunks (Zipkin reports a span's start
 * and its finish separately).
 *
 * <p>The merge rule, deterministic whatever the input order:
 *
 * <ul>
 *   <li>the <em>base</em> is the copy with the longest duration (ties: earliest start, then input
 *       order); it supplies the start and the duration;
 *   <li>name, remote service and scope: the base's, or the first non-empty among the others;
 *   <li>parent: the base's, or the first non-zero among the others (a partial copy may lack it);
 *   <li>status: the most severe (ERROR, then OK, then UNSET), with the first non-empty message of
 *       that severity;
 *   <li>tags and resource: the union by key; on a conflicting value the base wins;
 *   <li>logs and links: the union of distinct values; logs sorted by time.
 * </ul>
 */
final class SpanMerger {
  private SpanMerger() {}

  /** Orders by identity, then by preference, so each run starts with its base. */
  private static final Comparator<Span> IDENTITY_THEN_PREFERENCE =
      (a, b) -> {
        int c = Long.compareUnsigned(a.spanId(), b.spanId());
        if (c != 0) return c;
        c = a.service().compareTo(b.service());
        if (c != 0) return c;
        c = Integer.compare(a.kind().ordinal(), b.kind().ordinal());
        if (c != 0) return c;
        c = Long.compare(b.durationNanos(), a.durationNanos());
        if (c != 0) return c;
        return Long.compare(a.startEpochNanos(), b.startEpochNanos());
      };

  /** The merged spans in no particular order; {@code copies[i]} counts the inputs behind {@code [i]}. */
  record Result(Span[] spans, int[] copies) {}

  static Result dedupe(Span[] input) {
    Span[] sorted = input.clone();
    Arrays.sort(sorted, IDENTITY_THEN_PREFERENCE); // stable: ties keep input order
    Span[] out = new Span[sorted.length];
    int[] copies = new int[sorted.length];
    int n = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i + 1;
      while (j < sorted.length && sameIdentity(sorted[i], sorted[j])) j++;
      out[n] = j - i == 1 ? sorted[i] : merge(sorted, i, j);
      copies[n++] = j - i;
      i = j;
    }
    return new Result(Arrays.copyOf(out, n), Arrays.copyOf(copies, n));
  }

  static boolean sameIdentity(Span a, Span b) {
    return a.spanId() == b.spanId() && a.kind() == b.kind() && a.service().equals(b.service());
  }

  /** Merges {@code run[from..to)}, whose first element is the base. */
  static Span merge(Span[] run, int from, int to) {
    Span base = run[from];
    boolean allEqual = true;
    for (int i = from + 1; i < to && allEqual; i++) allEqual = base.equals(run[i]);
    if (allEqual) return base; // the common case: a replayed batch

    Span.Builder b = base.toBuilder();
    StatusCode status = base.statusCode();
    for (int i = from + 1; i < to; i++) {
      Span s = run[i];
      if (b.parentSpanId == 0) b.parentSpanId(s.parentSpanId());
      if (b.name.isEmpty()) b.name(s.name());
      if (b.remoteService.isEmpty()) b.remoteService(s.remoteService());
      if (b.scopeName.isEmpty() && b.scopeVersion.isEmpty()) {
        b.scope(s.scopeName(), s.scopeVersion());
      }
      if (s.statusCode().compareTo(status) > 0) status = s.statusCode();
    }
    String message = "";
    for (int i = from; i < to && message.isEmpty(); i++) {
      if (run[i].statusCode() == status) message = run[i].statusMessage();
    }
    b.status(status, message);
    b.tags(unionByKey(run, from, to, false));
    b.resource(unionByKey(run, from, to, true));

    LinkedHashSet<SpanLog> logs = new LinkedHashSet<>();
    LinkedHashSet<SpanLink> links = new LinkedHashSet<>();
    for (int i = from; i < to; i++) {
      logs.addAll(run[i].logs());
      links.addAll(run[i].links());
    }
    List<SpanLog> sortedLogs = new ArrayList<>(logs);
    sortedLogs.sort(Comparator.comparingLong(SpanLog::epochNanos)); // stable
    b.logs(sortedLogs);
    b.links(new ArrayList<>(links));
    return b.build();
  }

  private static List<Tag> unionByKey(Span[] run, int from, int to, boolean resource) {
    List<Tag> baseTags = resource ? run[from].resource() : run[from].tags();
    List<Tag> out = new ArrayList<>(baseTags);
    HashSet<String> keys = new HashSet<>();
    for (Tag t : baseTags) keys.add(t.key());
    for (int i = from + 1; i < to; i++) {
      for (Tag t : resource ? run[i].resource() : run[i].tags()) {
        if (keys.add(t.key())) out.add(t);
      }
    }
    return out;
  }
}
