package tracestore.storage;

import java.util.Collection;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Blocking reads. Thread-safe. Failures throw {@link StorageException}; malformed input throws
 * {@link IllegalArgumentException}. "Not found" is an empty list, never an exception. A stored
 * chunk that does not decode fails the read with a non-retryable {@link StorageException} (the
 * codec's {@code CorruptChunkException}); a reader never returns a partial trace instead.
 */
public interface TraceReader {
  /**
   * The spans of one trace, each exactly once (duplicates from replayed or overlapping chunks are
   * removed), ordered by start time then span id. Empty when the trace is unknown. Backends get
   * this by passing the decoded chunks to {@link Spans#dedupeAndSort}.
   */
  List<Span> getTrace(TraceId traceId);

  /**
   * Several traces at once, in the order asked, unknown ones omitted; an id asked twice is
   * answered once, at its first position. Each is as {@link #getTrace}.
   */
  List<List<Span>> getTraces(Collection<TraceId> traceIds);

  /** See {@link SearchRequest} for the semantics of each predicate and of the cursor. */
  SearchResult search(SearchRequest request);

  /**
   * Every service name, sorted. Here and below, "sorted" means by {@link String#compareTo}, each
   * name once; a backend whose database collates differently sorts in Java.
   */
  List<String> services();

  /**
   * The operations of a service, sorted by name then kind (in {@code SpanKind} order); spans
   * without a name are not listed. Empty for an unknown service.
   */
  List<Operation> operations(String service);

  /** Remote services called by a service, sorted. */
  List<String> remoteServices(String service);

  /** Indexed tag keys, sorted; {@link TagIndexEntry#REMOTE_SERVICE_KEY} among them once used. */
  List<String> tagKeys();

  /**
   * Indexed values seen for a key (of any service), as text, the empty value included, sorted.
   * Bounded by the index policy's cardinality guard.
   */
  List<String> tagValues(String key);
}
