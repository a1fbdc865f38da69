package tracestore.storage.inmemory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import tracestore.storage.Chunk;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.Operation;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.RollupStore;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.Spans;
import tracestore.storage.Storage;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * The reference {@link Storage}: chunk payloads kept as bytes and decoded on read, index entries
 * kept as sets (so rewriting an entry is a no-op), and search evaluated by a full scan exactly as
 * {@link SearchRequest} defines it. Simple rather than fast; thread-safe. Rollups are not
 * supported (the {@link RollupStore} defaults).
 */
public final class InMemoryStorage implements Storage {
  private final Map<TraceId, Map<Long, byte[]>> chunks = new ConcurrentHashMap<>();
  private final Map<Long, byte[]> dictionaries = new ConcurrentHashMap<>();
  private final ChunkDictionaries decodedDictionaries = new ChunkDictionaries(id -> {
    byte[] p = dictionaries.get(id);
    return p == null ? null : p.clone();
  });
  private final Set<ServiceIndexEntry> serviceEntries = ConcurrentHashMap.newKeySet();
  private final Set<OperationIndexEntry> operationEntries = ConcurrentHashMap.newKeySet();
  private final Set<TagIndexEntry> tagEntries = ConcurrentHashMap.newKeySet();
  private final Writer writer = new Writer();
  private final Reader reader = new Reader();
  private final RollupStore rollups = new RollupStore() {};

  @Override
  public SpanWriter writer() {
    return writer;
  }

  @Override
  public TraceReader reader() {
    return reader;
  }

  @Override
  public RollupStore rollups() {
    return rollups;
  }

  @Override
  public void check() {}

  @Override
  public void close() {}

  /** How many distinct dictionaries are stored. */
  public int dictionaryCount() {
    return dictionaries.size();
  }

  /** How many chunks are stored, over all traces. */
  public int chunkCount() {
    int n = 0;
    for (Map<Long, byte[]> m : chunks.values()) n += m.size();
    return n;
  }

  /** Forgets everything. */
  public void clear() {
    chunks.clear();
    dictionaries.clear();
    serviceEntries.clear();
    operationEntries.clear();
    tagEntries.clear();
  }

  private final class Writer implements SpanWriter {
    @Override
    public CompletionStage<Void> write(WriteBatch batch) {
      WriteBatches.validate(batch); // throws before anything is stored
      // Dictionaries first, by id, never replaced: chunks may only reference stored ones.
      for (ChunkDictionary d : batch.dictionaries()) dictionaries.putIfAbsent(d.id(), d.payload().clone());
      for (Chunk c : batch.chunks()) {
        chunks.computeIfAbsent(c.traceId(), k -> new ConcurrentHashMap<>())
            .put(c.chunkId(), c.payload().clone());
      }
      serviceEntries.addAll(batch.serviceEntries());
      operationEntries.addAll(batch.operationEntries());
      tagEntries.addAll(batch.tagEntries());
      return CompletableFuture.completedFuture(null);
    }
  }

  private final class Reader implements TraceReader {
    @Override
    public List<Span> getTrace(TraceId traceId) {
      Map<Long, byte[]> stored = chunks.get(traceId);
      if (stored == null) return List.of();
      List<List<Span>> decoded = new ArrayList<>();
      for (byte[] payload : stored.values()) {
        decoded.add(ChunkDecoder.decode(payload, traceId, decodedDictionaries));
      }
      return Spans.dedupeAndSort(decoded);
    }

    @Override
    public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
      List<List<Span>> out = new ArrayList<>();
      for (TraceId id : new LinkedHashSet<>(traceIds)) {
        List<Span> trace = getTrace(id);
        if (!trace.isEmpty()) out.add(trace);
      }
      return out;
    }

    @Override
    public SearchResult search(SearchRequest r) {
      SearchCursor cursor = r.cursor() == null ? null : SearchCursor.decode(r.cursor());
      // For each predicate the request uses: the earliest in-range start of a satisfying entry.
      List<Map<TraceId, Long>> matches = new ArrayList<>();
      String service = r.service();
      if (!r.operation().isEmpty()) {
        matches.add(earliest(operationEntries, e -> e.service().equals(service)
            && e.operation().equals(r.operation())
            && durationMatches(r, e.durationNanos()), OperationIndexEntry::traceId,
            OperationIndexEntry::startEpochNanos, r));
      }
      for (Map.Entry<String, String> tag : r.tags().entrySet()) {
        matches.add(tagMatches(service, tag.getKey(), tag.getValue(), r));
      }
      if (!r.remoteService().isEmpty()) {
        matches.add(tagMatches(service, TagIndexEntry.REMOTE_SERVICE_KEY, r.remoteService(), r));
      }
      boolean duration = r.minDurationNanos() != 0 || r.maxDurationNanos() != 0;
      if (duration && r.operation().isEmpty()) {
        matches.add(earliest(serviceEntries, e -> e.service().equals(service)
            && durationMatches(r, e.durationNanos()), ServiceIndexEntry::traceId,
            ServiceIndexEntry::startEpochNanos, r));
      }
      if (r.errorOnly()) {
        matches.add(earliest(serviceEntries, e -> (service.isEmpty() || e.service().equals(service))
            && e.error(), ServiceIndexEntry::traceId, ServiceIndexEntry::startEpochNanos, r));
      }
      if (matches.isEmpty()) {
        matches.add(earliest(serviceEntries, e -> service.isEmpty() || e.service().equals(service),
            ServiceIndexEntry::traceId, ServiceIndexEntry::startEpochNanos, r));
      }

      List<TraceHit> hits = new ArrayList<>();
      for (Map.Entry<TraceId, Long> candidate : matches.get(0).entrySet()) {
        long start = candidate.getValue();
        boolean all = true;
        for (Map<TraceId, Long> m : matches) {
          Long s = m.get(candidate.getKey());
          if (s == null) {
            all = false;
            break;
          }
          start = Math.min(start, s);
        }
        TraceHit hit = new TraceHit(candidate.getKey(), start);
        if (all && (cursor == null || cursor.precedes(hit))) hits.add(hit);
      }
      hits.sort(SearchCursor.HIT_ORDER);
      if (hits.size() <= r.limit()) return new SearchResult(hits, null, true);
      List<TraceHit> page = hits.subList(0, r.limit());
      return new SearchResult(page, SearchCursor.after(page.get(page.size() - 1)).encode(), false);
    }

    @Override
    public List<String> services() {
      return sorted(serviceEntries, e -> true, ServiceIndexEntry::service);
    }

    @Override
    public List<Operation> operations(String service) {
      Set<Operation> out =
          new TreeSet<>(Comparator.comparing(Operation::name).thenComparing(Operation::kind));
      for (OperationIndexEntry e : operationEntries) {
        if (e.service().equals(service)) out.add(new Operation(service, e.operation(), e.kind()));
      }
      return List.copyOf(out);
    }

    @Override
    public List<String> remoteServices(String service) {
      return sorted(tagEntries,
          e -> e.service().equals(service) && e.key().equals(TagIndexEntry.REMOTE_SERVICE_KEY),
          TagIndexEntry::value);
    }

    @Override
    public List<String> tagKeys() {
      return sorted(tagEntries, TagIndexEntry::listed, TagIndexEntry::key);
    }

    @Override
    public List<String> tagValues(String key) {
      return sorted(tagEntries, e -> e.listed() && e.key().equals(key), TagIndexEntry::value);
    }

    private Map<TraceId, Long> tagMatches(String service, String key, String value, SearchRequest r) {
      return earliest(tagEntries,
          e -> e.service().equals(service) && e.key().equals(key) && e.value().equals(value),
          TagIndexEntry::traceId, TagIndexEntry::startEpochNanos, r);
    }
  }

  private static boolean durationMatches(SearchRequest r, long durationNanos) {
    return durationNanos >= r.minDurationNanos()
        && (r.maxDurationNanos() == 0 || durationNanos <= r.maxDurationNanos());
  }

  /** Per trace, the earliest start of an entry that satisfies {@code p} and lies in the range. */
  private static <E> Map<TraceId, Long> earliest(
      Set<E> entries, Predicate<E> p, java.util.function.Function<E, TraceId> id,
      java.util.function.ToLongFunction<E> start, SearchRequest r) {
    Map<TraceId, Long> out = new HashMap<>();
    for (E e : entries) {
      long s = start.applyAsLong(e);
      if (s < r.startEpochNanos() || s > r.endEpochNanos() || !p.test(e)) continue;
      out.merge(id.apply(e), s, Math::min);
    }
    return out;
  }

  private static <E> List<String> sorted(
      Set<E> entries, Predicate<E> p, java.util.function.Function<E, String> name) {
    Set<String> out = new TreeSet<>();
    for (E e : entries) {
      if (p.test(e)) out.add(name.apply(e));
    }
    return List.copyOf(out);
  }
}
