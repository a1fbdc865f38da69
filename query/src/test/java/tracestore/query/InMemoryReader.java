package tracestore.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tracestore.storage.Operation;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * A brute-force {@link TraceReader} over a fixed list of spans, following {@link SearchRequest}'s
 * documented semantics literally. Used until storage-api's reference store is merged.
 */
final class InMemoryReader implements TraceReader {
  private final Map<TraceId, List<Span>> traces = new LinkedHashMap<>();

  InMemoryReader(Collection<Span> spans) {
    for (Span s : spans) traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    for (List<Span> t : traces.values()) {
      t.sort(Comparator.comparingLong(Span::startEpochNanos).thenComparingLong(Span::spanId));
    }
  }

  @Override
  public List<Span> getTrace(TraceId traceId) {
    return List.copyOf(traces.getOrDefault(traceId, List.of()));
  }

  @Override
  public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
    List<List<Span>> out = new ArrayList<>();
    for (TraceId id : traceIds) {
      List<Span> t = getTrace(id);
      if (!t.isEmpty()) out.add(t);
    }
    return out;
  }

  @Override
  public SearchResult search(SearchRequest r) {
    List<TraceHit> hits = new ArrayList<>();
    for (List<Span> trace : traces.values()) {
      TraceHit hit = match(trace, r);
      if (hit != null) hits.add(hit);
    }
    hits.sort(
        Comparator.comparingLong(TraceHit::startEpochNanos)
            .thenComparing(TraceHit::traceId)
            .reversed());
    int from = 0;
    if (r.cursor() != null) {
      String[] parts = r.cursor().split(":");
      if (parts.length != 2) throw new IllegalArgumentException("bad cursor: " + r.cursor());
      TraceHit last = new TraceHit(TraceId.parse(parts[1]), Long.parseLong(parts[0]));
      while (from < hits.size() && !isAfter(hits.get(from), last)) from++;
    }
    int to = Math.min(hits.size(), from + r.limit());
    List<TraceHit> page = hits.subList(from, to);
    if (to == hits.size()) return new SearchResult(page, null, true);
    TraceHit last = page.get(page.size() - 1);
    return new SearchResult(page, last.startEpochNanos() + ":" + last.traceId().toHex(), false);
  }

  /** True when {@code h} comes strictly after {@code last} in newest-first order. */
  private static boolean isAfter(TraceHit h, TraceHit last) {
    if (h.startEpochNanos() != last.startEpochNanos()) return h.startEpochNanos() < last.startEpochNanos();
    return h.traceId().compareTo(last.traceId()) < 0;
  }

  private static TraceHit match(List<Span> trace, SearchRequest r) {
    List<Span> scope = new ArrayList<>();
    for (Span s : trace) {
      if (s.startEpochNanos() < r.startEpochNanos() || s.startEpochNanos() > r.endEpochNanos()) continue;
      if (!r.service().isEmpty() && !s.service().equals(r.service())) continue;
      scope.add(s);
    }
    if (scope.isEmpty()) return null;
    if (!r.operation().isEmpty() && scope.stream().noneMatch(s -> s.name().equals(r.operation()))) return null;
    if (!r.remoteService().isEmpty()
        && scope.stream().noneMatch(s -> s.remoteService().equals(r.remoteService()))) {
      return null;
    }
    for (Map.Entry<String, String> e : r.tags().entrySet()) {
      boolean any = false;
      for (Span s : scope) {
        for (Tag t : s.tags()) {
          if (t.key().equals(e.getKey()) && t.value().asString().equals(e.getValue())) any = true;
        }
      }
      if (!any) return null;
    }
    if (r.minDurationNanos() != 0 || r.maxDurationNanos() != 0) {
      long longest = -1;
      for (Span s : scope) {
        if (!r.operation().isEmpty() && !s.name().equals(r.operation())) continue;
        longest = Math.max(longest, s.durationNanos());
      }
      if (longest < r.minDurationNanos()) return null;
      if (r.maxDurationNanos() != 0 && longest > r.maxDurationNanos()) return null;
    }
    if (r.errorOnly() && scope.stream().noneMatch(Span::isError)) return null;
    long start = scope.stream().mapToLong(Span::startEpochNanos).min().getAsLong();
    return new TraceHit(trace.get(0).traceId(), start);
  }

  @Override
  public List<String> services() {
    TreeSet<String> out = new TreeSet<>();
    for (List<Span> t : traces.values()) for (Span s : t) out.add(s.service());
    return List.copyOf(out);
  }

  @Override
  public List<Operation> operations(String service) {
    TreeSet<Operation> out =
        new TreeSet<>(Comparator.comparing(Operation::name).thenComparing(Operation::kind));
    for (List<Span> t : traces.values()) {
      for (Span s : t) if (s.service().equals(service)) out.add(new Operation(service, s.name(), s.kind()));
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> remoteServices(String service) {
    TreeSet<String> out = new TreeSet<>();
    for (List<Span> t : traces.values()) {
      for (Span s : t) {
        if (s.service().equals(service) && !s.remoteService().isEmpty()) out.add(s.remoteService());
      }
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> tagKeys() {
    TreeSet<String> out = new TreeSet<>();
    for (List<Span> t : traces.values()) for (Span s : t) for (Tag tag : s.tags()) out.add(tag.key());
    return List.copyOf(out);
  }

  @Override
  public List<String> tagValues(String key) {
    TreeSet<String> out = new TreeSet<>();
    for (List<Span> t : traces.values()) {
      for (Span s : t) for (Tag tag : s.tags()) if (tag.key().equals(key)) out.add(tag.value().asString());
    }
    return List.copyOf(out);
  }
}
