package tracestore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.codec.StringDictionary;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * Turns spans (of any number of traces) into one {@link WriteBatch}: the spans of each trace become
 * one {@link Chunk}, and the index entries are derived from them, one per trace per key per batch:
 *
 * <ul>
 *   <li>{@link ServiceIndexEntry} per (trace, service): earliest start, longest duration, and
 *       whether any of those spans {@linkplain Span#isError() is an error};
 *   <li>{@link OperationIndexEntry} per (trace, service, operation, kind), for non-empty span names:
 *       earliest start, longest duration;
 *   <li>{@link TagIndexEntry} per (trace, service, key, value) for tags the {@link IndexPolicy}
 *       admits, plus one per remote service under {@link TagIndexEntry#REMOTE_SERVICE_KEY}:
 *       earliest start, and whether the cardinality guard lets the value be listed for
 *       autocomplete.
 * </ul>
 *
 * Exact duplicate spans in the input are written once. The output is deterministic: the same spans
 * in any order give equal batches (entries in first-seen order of traces aside), so a replay
 * overwrites rather than adds.
 *
 * <p><b>Dictionaries.</b> Created with a {@link DictionaryPolicy} that is on, it also trains a string
 * dictionary from the traces it sees (a sample, with bounded memory) and, once one is adopted,
 * writes chunks that reference it (chunk format 3); every batch with such chunks carries the
 * dictionary in {@link WriteBatch#dictionaries()} (the same one until the next rotation; backends
 * store it once by id). Training costs the sampled traces one walk over their strings; a rebuild
 * (at most once per {@link DictionaryPolicy#rebuildInterval()}) runs in the calling thread.
 *
 * <p>Thread-safe. One instance should serve a whole process, because it holds the cardinality
 * guard's and the dictionary trainer's state; each calling thread gets its own {@link
 * ChunkEncoder} (a reusable buffer of at most about 1 MiB is kept per thread).
 */
public final class WriteBatches {
  private final IndexPolicy policy;
  private final DictionaryPolicy dictionaryPolicy;
  private final CardinalityGuard guard;
  private final ThreadLocal<ChunkEncoder> encoders = ThreadLocal.withInitial(ChunkEncoder::new);
  /** Null when dictionaries are off. */
  private final DictionaryTrainer trainer;

  private WriteBatches(IndexPolicy policy, DictionaryPolicy dictionaryPolicy, LongSupplier nanoClock) {
    this.policy = Objects.requireNonNull(policy, "policy == null");
    this.dictionaryPolicy = Objects.requireNonNull(dictionaryPolicy, "dictionaryPolicy == null");
    Objects.requireNonNull(nanoClock, "nanoClock == null");
    this.guard = new CardinalityGuard(policy.maxValuesPerKey(), policy.maxKeys());
    this.trainer = dictionaryPolicy.enabled() ? new DictionaryTrainer(dictionaryPolicy, nanoClock) : null;
  }

  /**
   * Without dictionaries ({@link DictionaryPolicy#off()}): every chunk is format 2 and decodes
   * without a stored dictionary. For tools and tests; a server passes its {@link DictionaryPolicy}.
   */
  public static WriteBatches create(IndexPolicy policy) {
    return new WriteBatches(policy, DictionaryPolicy.off(), System::nanoTime);
  }

  /** With {@link IndexPolicy#defaults()} and no dictionaries. */
  public static WriteBatches create() {
    return create(IndexPolicy.defaults());
  }

  /**
   * With a string dictionary trained as {@code dictionaries} says: once one is adopted, every batch
   * carries it in {@link WriteBatch#dictionaries()} and its chunks reference it (format 3), so the
   * backend must store dictionaries and decode through {@link
   * tracestore.storage.codec.ChunkDictionaries}.
   */
  public static WriteBatches create(IndexPolicy policy, DictionaryPolicy dictionaries) {
    return new WriteBatches(policy, dictionaries, System::nanoTime);
  }

  /** Like {@link #create(IndexPolicy, DictionaryPolicy)}, with the clock rebuilds are timed by. */
  public static WriteBatches create(
      IndexPolicy policy, DictionaryPolicy dictionaries, LongSupplier nanoClock) {
    return new WriteBatches(policy, dictionaries, nanoClock);
  }

  public IndexPolicy policy() {
    return policy;
  }

  public DictionaryPolicy dictionaryPolicy() {
    return dictionaryPolicy;
  }

  /** The dictionary new chunks reference, or null (dictionaries off, or none adopted yet). */
  public StringDictionary dictionary() {
    return trainer == null ? null : trainer.current();
  }

  /**
   * Tag keys whose cardinality guard tripped: new values of these are still indexed for search but
   * no longer listed for autocomplete. Sorted.
   */
  public Set<String> saturatedKeys() {
    return guard.saturatedKeys();
  }

  /**
   * True once more than {@link IndexPolicy#maxKeys()} distinct keys were seen; values of extra keys
   * are indexed for search but not listed for autocomplete.
   */
  public boolean keyLimitReached() {
    return guard.keyLimitReached();
  }

  /**
   * Groups, encodes and indexes {@code spans}. An empty input gives an empty batch.
   *
   * @throws IllegalArgumentException when a span cannot be encoded (see {@link ChunkEncoder#encode})
   */
  public WriteBatch toBatch(Collection<Span> spans) {
    Objects.requireNonNull(spans, "spans == null");
    Map<TraceId, ArrayList<Span>> byTrace = new LinkedHashMap<>();
    for (Span s : spans) {
      Objects.requireNonNull(s, "span == null");
      byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    ChunkEncoder encoder = encoders.get();
    // One dictionary for the whole batch, read once: a rebuild by another thread meanwhile only
    // applies to later batches.
    StringDictionary dictionary = trainer == null ? null : trainer.current();
    List<Chunk> chunks = new ArrayList<>(byTrace.size());
    Map<ServiceKey, ServiceIndexEntry> services = new LinkedHashMap<>();
    Map<OperationKey, OperationIndexEntry> operations = new LinkedHashMap<>();
    Map<TagKey, TagIndexEntry> tags = new LinkedHashMap<>();
    for (Map.Entry<TraceId, ArrayList<Span>> e : byTrace.entrySet()) {
      // Sorted and without exact duplicates: deterministic entries whatever the input order.
      List<Span> group = Spans.sortDistinct(e.getValue());
      chunks.add(encoder.encode(e.getKey(), group, dictionary));
      for (Span s : group) index(s, services, operations, tags);
      if (trainer != null) trainer.observe(e.getKey(), group);
    }
    if (trainer != null) trainer.maybeRebuild();
    return new WriteBatch(
        chunks,
        new ArrayList<>(services.values()),
        new ArrayList<>(operations.values()),
        new ArrayList<>(tags.values()),
        dictionary == null || chunks.isEmpty() ? List.of() : List.of(dictionary.stored()));
  }

  private void index(
      Span s,
      Map<ServiceKey, ServiceIndexEntry> services,
      Map<OperationKey, OperationIndexEntry> operations,
      Map<TagKey, TagIndexEntry> tags) {
    TraceId id = s.traceId();
    long start = s.startEpochNanos();
    long duration = s.durationNanos();
    services.merge(
        new ServiceKey(s.service(), id),
        new ServiceIndexEntry(s.service(), id, start, duration, s.isError()),
        (a, b) ->
            new ServiceIndexEntry(
                a.service(),
                id,
                Math.min(a.startEpochNanos(), b.startEpochNanos()),
                Math.max(a.durationNanos(), b.durationNanos()),
                a.error() || b.error()));
    if (!s.name().isEmpty()) {
      operations.merge(
          new OperationKey(s.service(), s.name(), s.kind(), id),
          new OperationIndexEntry(s.service(), s.name(), s.kind(), id, start, duration),
          (a, b) ->
              new OperationIndexEntry(
                  a.service(),
                  a.operation(),
                  a.kind(),
                  id,
                  Math.min(a.startEpochNanos(), b.startEpochNanos()),
                  Math.max(a.durationNanos(), b.durationNanos())));
    }
    if (!s.remoteService().isEmpty()) {
      addTag(tags, s.service(), TagIndexEntry.REMOTE_SERVICE_KEY, s.remoteService(), id, start, true);
    }
    List<Tag> spanTags = s.tags();
    for (int i = 0, n = spanTags.size(); i < n; i++) {
      Tag t = spanTags.get(i);
      if (!policy.isIndexableKey(t.key()) || !policy.isIndexableType(t.value().type())) continue;
      String value = policy.indexedValue(t.value().asString());
      // The guard bounds autocomplete only: a value it refuses is still searchable.
      addTag(tags, s.service(), t.key(), value, id, start, guard.admit(t.key(), value));
    }
  }

  private static void addTag(
      Map<TagKey, TagIndexEntry> tags,
      String service,
      String key,
      String value,
      TraceId id,
      long start,
      boolean listed) {
    // Duplicates of one (key, value) agree on listed: the guard admits a value again once it has
    // admitted it, and never admits one it refused while the key is full. So keep the earlier one.
    tags.merge(
        new TagKey(service, key, value, id),
        new TagIndexEntry(service, key, value, id, start, listed),
        (a, b) -> a.startEpochNanos() <= b.startEpochNanos() ? a : b);
  }

  /**
   * Checks a batch the way {@link SpanWriter#write} must before any I/O; backends call it first.
   * Every index entry must name a trace that has a chunk in the same batch, so no entry can point
   * at data that was never written.
   *
   * @throws IllegalArgumentException naming the first problem found
   */
  public static void validate(WriteBatch batch) {
    if (batch == null) throw new IllegalArgumentException("batch == null");
    Set<TraceId> traces = new HashSet<>();
    for (Chunk c : batch.chunks()) {
      if (c == null) throw new IllegalArgumentException("batch has a null chunk");
      if (c.traceId().isZero()) throw new IllegalArgumentException("chunk has a zero trace id: " + c);
      if (c.spanCount() < 1) throw new IllegalArgumentException("chunk has no spans: " + c);
      if (c.payload().length == 0) throw new IllegalArgumentException("chunk payload is empty: " + c);
      if (c.minStartEpochNanos() < 0 || c.maxEndEpochNanos() < c.minStartEpochNanos()) {
        throw new IllegalArgumentException(
            "chunk time range is invalid: " + c.minStartEpochNanos() + ".." + c.maxEndEpochNanos()
                + " in " + c);
      }
      traces.add(c.traceId());
    }
    for (ServiceIndexEntry e : batch.serviceEntries()) {
      if (e == null) throw new IllegalArgumentException("batch has a null service entry");
      checkEntry("service entry", e, e.traceId(), traces, e.startEpochNanos(), e.durationNanos());
      requireName("service", e.service(), e);
    }
    for (OperationIndexEntry e : batch.operationEntries()) {
      if (e == null) throw new IllegalArgumentException("batch has a null operation entry");
      checkEntry("operation entry", e, e.traceId(), traces, e.startEpochNanos(), e.durationNanos());
      requireName("service", e.service(), e);
      requireName("operation", e.operation(), e);
      if (e.kind() == null) throw new IllegalArgumentException("operation entry kind == null: " + e);
    }
    for (TagIndexEntry e : batch.tagEntries()) {
      if (e == null) throw new IllegalArgumentException("batch has a null tag entry");
      checkEntry("tag entry", e, e.traceId(), traces, e.startEpochNanos(), 0);
      requireName("service", e.service(), e);
      requireName("key", e.key(), e);
      if (e.value() == null) throw new IllegalArgumentException("tag entry value == null: " + e);
    }
  }

  private static void checkEntry(
      String what, Object e, TraceId id, Set<TraceId> traces, long start, long duration) {
    if (id == null || id.isZero()) throw new IllegalArgumentException(what + " has no trace id: " + e);
    if (!traces.contains(id)) {
      throw new IllegalArgumentException(what + " names trace " + id + ", which has no chunk in the batch: " + e);
    }
    if (start < 0) throw new IllegalArgumentException(what + " start < 0: " + e);
    if (duration < 0) throw new IllegalArgumentException(what + " duration < 0: " + e);
  }

  private static void requireName(String field, String value, Object e) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("index entry " + field + " is empty: " + e);
    }
  }

  private record ServiceKey(String service, TraceId traceId) {}

  private record OperationKey(String service, String operation, SpanKind kind, TraceId traceId) {}

  private record TagKey(String service, String key, String value, TraceId traceId) {}
}
