package tracestore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * A {@link TraceReader} that answers tag predicates the {@link IndexPolicy} does not index
 * ({@link IndexPolicy#covers} false) by checking the stored spans, so a narrow index makes such
 * searches slower but never wrong.
 *
 * <p>How: the backend searches with the other predicates (a tag search always names a service, so
 * there is at least the service); its hits are candidates, read in pages of {@link #PAGE} traces
 * with {@link TraceReader#getTraces}, and a candidate is a hit when, for every unindexed key=value,
 * a span of the service that starts inside the time range carries it (the value compared as the
 * index would store it, {@link IndexPolicy#indexedValue}). Hits keep the backend's order and start
 * times, so cursors are the backend's and paging stays exact.
 *
 * <p>Bounded: one call examines at most {@code maxCandidates} candidates. When that runs out before
 * {@code limit} hits are found, the page has fewer hits than {@code limit}, is not complete, and its
 * cursor continues after the last candidate examined; asking again goes on from there. Memory is
 * bounded by one page of candidate traces.
 *
 * <p>Indexed tag values are truncated as the index stores them ({@link IndexPolicy#indexedValue})
 * before the backend sees them, so callers need not. Everything else passes straight through.
 * Thread-safe when the backend is.
 */
public final class VerifyingReader implements TraceReader {
  /** Candidates read per round trip: big enough to amortize it, small enough to bound memory. */
  static final int PAGE = 50;

  /** Default bound on the candidates one search call examines. */
  public static final int DEFAULT_MAX_CANDIDATES = 2_000;

  private final TraceReader backend;
  private final IndexPolicy policy;
  private final int maxCandidates;

  private VerifyingReader(TraceReader backend, IndexPolicy policy, int maxCandidates) {
    this.backend = Objects.requireNonNull(backend, "backend == null");
    this.policy = Objects.requireNonNull(policy, "policy == null");
    if (maxCandidates < 1) throw new IllegalArgumentException("maxCandidates must be >= 1, got " + maxCandidates);
    this.maxCandidates = maxCandidates;
  }

  /** Wraps the reader of a store written with {@code policy}, with the default candidate bound. */
  public static VerifyingReader wrap(TraceReader backend, IndexPolicy policy) {
    return new VerifyingReader(backend, policy, DEFAULT_MAX_CANDIDATES);
  }

  /** As {@link #wrap(TraceReader, IndexPolicy)}, examining at most {@code maxCandidates} per call. */
  public static VerifyingReader wrap(TraceReader backend, IndexPolicy policy, int maxCandidates) {
    return new VerifyingReader(backend, policy, maxCandidates);
  }

  @Override
  public SearchResult search(SearchRequest request) {
    Map<String, String> verified = new LinkedHashMap<>();
    SearchRequest.Builder indexed = request.toBuilder();
    indexed.tags.clear();
    request.tags().forEach((key, value) -> {
      if (policy.covers(key)) {
        indexed.tag(key, policy.indexedValue(value));
      } else {
        verified.put(key, policy.indexedValue(value));
      }
    });
    if (verified.isEmpty()) return backend.search(indexed.build());

    List<TraceHit> hits = new ArrayList<>(request.limit());
    String cursor = request.cursor();
    TraceHit lastExamined = null;
    int examined = 0;
    while (examined < maxCandidates) {
      int ask = Math.min(PAGE, maxCandidates - examined);
      SearchResult page = backend.search(indexed.limit(ask).cursor(cursor).build());
      List<TraceId> ids = new ArrayList<>(page.hits().size());
      for (TraceHit h : page.hits()) ids.add(h.traceId());
      Map<TraceId, List<Span>> traces = byId(backend.getTraces(ids));
      for (TraceHit h : page.hits()) {
        examined++;
        lastExamined = h;
        if (carriesAll(traces.getOrDefault(h.traceId(), List.of()), request, verified)) {
          hits.add(h);
          if (hits.size() == request.limit()) {
            return new SearchResult(hits, SearchCursor.after(h).encode(), false);
          }
        }
      }
      if (page.complete()) return new SearchResult(hits, null, true);
      cursor = page.nextCursor();
    }
    return new SearchResult(hits, SearchCursor.after(lastExamined).encode(), false);
  }

  private static Map<TraceId, List<Span>> byId(List<List<Span>> traces) {
    Map<TraceId, List<Span>> out = new LinkedHashMap<>();
    for (List<Span> t : traces) {
      if (!t.isEmpty()) out.put(t.get(0).traceId(), t);
    }
    return out;
  }

  /** For each key=value, a span of the service inside the time range carries it. */
  private boolean carriesAll(List<Span> trace, SearchRequest request, Map<String, String> verified) {
    for (Map.Entry<String, String> want : verified.entrySet()) {
      boolean found = false;
      for (int i = 0, n = trace.size(); i < n && !found; i++) {
        Span s = trace.get(i);
        found = s.service().equals(request.service())
            && s.startEpochNanos() >= request.startEpochNanos()
            && s.startEpochNanos() <= request.endEpochNanos()
            && carries(s, want.getKey(), want.getValue());
      }
      if (!found) return false;
    }
    return true;
  }

  private boolean carries(Span s, String key, String value) {
    List<Tag> tags = s.tags();
    for (int i = 0, n = tags.size(); i < n; i++) {
      Tag t = tags.get(i);
      if (t.key().equals(key) && policy.indexedValue(t.value().asString()).equals(value)) return true;
    }
    return false;
  }

  @Override
  public List<Span> getTrace(TraceId traceId) {
    return backend.getTrace(traceId);
  }

  @Override
  public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
    return backend.getTraces(traceIds);
  }

  @Override
  public List<String> services() {
    return backend.services();
  }

  @Override
  public List<Operation> operations(String service) {
    return backend.operations(service);
  }

  @Override
  public List<String> remoteServices(String service) {
    return backend.remoteServices(service);
  }

  @Override
  public List<String> tagKeys() {
    return backend.tagKeys();
  }

  @Override
  public List<String> tagValues(String key) {
    return backend.tagValues(key);
  }
}
