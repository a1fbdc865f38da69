package tracestore.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AND of predicates over a time range. Build with {@link #newBuilder()}; {@link Builder#build()}
 * validates and names the bad setting.
 *
 * <p>Semantics, trace-level, over index entries whose start lies in [{@code
 * startEpochNanos}, {@code endEpochNanos}] (both inclusive):
 *
 * <ul>
 *   <li>{@code service}: the trace has spans of this service (empty: any service);
 *   <li>{@code operation}: it has a span of that name in {@code service} (requires a service);
 *   <li>{@code remoteService}: a span of {@code service} calls it (requires a service);
 *   <li>{@code tags}: for every key=value, a span of {@code service} carries it (requires a service);
 *   <li>{@code minDurationNanos}/{@code maxDurationNanos}: the longest span of {@code service} (of
 *       {@code operation} when given) lies in the range, inclusive; 0 means unbounded;
 *   <li>{@code errorOnly}: a span of {@code service} (any, when no service) is an error.
 * </ul>
 *
 * <p>Hits are ordered by the trace's earliest matching start, newest first, then by trace id
 * descending. A {@code cursor} from a previous result continues strictly after its last hit.
 *
 * <p><b>Precisely</b> (what the contract suite and the in-memory reference store check). Each
 * predicate the request uses reads one kind of index entry, always restricted to entries whose
 * {@code startEpochNanos} lies in the inclusive time range:
 *
 * <ul>
 *   <li>{@code operation}: {@link OperationIndexEntry}s of (service, operation), of any kind,
 *       whose {@code durationNanos} lies in the duration range when one is given;
 *   <li>each tag: {@link TagIndexEntry}s of (service, key, value), the value compared exactly (an
 *       empty value matches only an empty value; values longer than the index policy's bound must
 *       be truncated by the caller with {@link IndexPolicy#indexedValue});
 *   <li>{@code remoteService}: {@link TagIndexEntry}s of (service, {@link
 *       TagIndexEntry#REMOTE_SERVICE_KEY}, remoteService);
 *   <li>a duration range without {@code operation}: {@link ServiceIndexEntry}s of the service
 *       whose {@code durationNanos} lies in it;
 *   <li>{@code errorOnly}: {@link ServiceIndexEntry}s of the service (of any service, when none is
 *       given) with {@code error} set;
 *   <li>none of the above: {@link ServiceIndexEntry}s of the service (of any service, when none).
 * </ul>
 *
 * A trace is a hit when every predicate used has at least one such entry for it; different
 * predicates may be met by different entries, from different batches. The service itself needs
 * no entry of its own when another predicate names it. The hit's {@link
 * TraceHit#startEpochNanos()} is the earliest start among all the entries that met a predicate.
 * Duration is thus checked per entry: an entry's duration is the longest of its spans in one
 * batch, so for a trace written in one batch it is the longest span of the service (operation).
 *
 * <p><b>Tags the index policy does not index</b> are answered by {@link VerifyingReader}, which
 * checks them against the stored spans of the candidates the other predicates give; such a hit's
 * start is the one the other predicates give.
 *
 * <p><b>Paging.</b> A backend's page holds exactly {@code limit} hits unless it is {@linkplain
 * SearchResult#complete() complete}; a page holding exactly {@code limit} hits may be incomplete
 * even when nothing follows, and then the next page is empty and complete. A {@link
 * VerifyingReader} page may hold fewer hits and still not be complete, when it ran out of its
 * bound on candidates: its cursor continues the search. Hits written after the
 * first page may or may not appear on later pages; hits that existed before it are never lost or
 * repeated. Cursors are made and read with {@link SearchCursor}; a malformed one is an {@link
 * IllegalArgumentException}.
 *
 * <p><b>Units.</b> All times are nanoseconds since the epoch. A backend that keeps index times
 * in microseconds rounds the range start up and its end down to whole microseconds, so that a
 * time one nanosecond outside the range stays outside.
 */
public final class SearchRequest {
  public static final int MAX_LIMIT = 10_000;

  private final long startEpochNanos;
  private final long endEpochNanos;
  private final String service;
  private final String operation;
  private final String remoteService;
  private final Map<String, String> tags;
  private final long minDurationNanos;
  private final long maxDurationNanos;
  private final boolean errorOnly;
  private final int limit;
  private final String cursor;

  SearchRequest(Builder b) {
    startEpochNanos = b.startEpochNanos;
    endEpochNanos = b.endEpochNanos;
    service = b.service;
    operation = b.operation;
    remoteService = b.remoteService;
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    minDurationNanos = b.minDurationNanos;
    maxDurationNanos = b.maxDurationNanos;
    errorOnly = b.errorOnly;
    limit = b.limit;
    cursor = b.cursor;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.startEpochNanos = startEpochNanos;
    b.endEpochNanos = endEpochNanos;
    b.service = service;
    b.operation = operation;
    b.remoteService = remoteService;
    b.tags.putAll(tags);
    b.minDurationNanos = minDurationNanos;
    b.maxDurationNanos = maxDurationNanos;
    b.errorOnly = errorOnly;
    b.limit = limit;
    b.cursor = cursor;
    return b;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** Empty means any service. */
  public String service() {
    return service;
  }

  /** Empty means any operation. */
  public String operation() {
    return operation;
  }

  /** Empty means any. */
  public String remoteService() {
    return remoteService;
  }

  /** Key to value, all must match; insertion-ordered; possibly empty. */
  public Map<String, String> tags() {
    return tags;
  }

  /** 0 means no lower bound. */
  public long minDurationNanos() {
    return minDurationNanos;
  }

  /** 0 means no upper bound. */
  public long maxDurationNanos() {
    return maxDurationNanos;
  }

  public boolean errorOnly() {
    return errorOnly;
  }

  /** 1 to {@link #MAX_LIMIT}. */
  public int limit() {
    return limit;
  }

  /** The cursor of a previous result, or null to start from the newest. */
  public String cursor() {
    return cursor;
  }

  @Override
  public String toString() {
    return "SearchRequest{" + startEpochNanos + ".." + endEpochNanos
        + (service.isEmpty() ? "" : " service=" + service)
        + (operation.isEmpty() ? "" : " operation=" + operation)
        + (remoteService.isEmpty() ? "" : " remoteService=" + remoteService)
        + (tags.isEmpty() ? "" : " tags=" + tags)
        + (minDurationNanos == 0 ? "" : " min=" + minDurationNanos)
        + (maxDurationNanos == 0 ? "" : " max=" + maxDurationNanos)
        + (errorOnly ? " errorOnly" : "")
        + " limit=" + limit
        + (cursor == null ? "" : " cursor=" + cursor)
        + '}';
  }

  public static final class Builder {
    long startEpochNanos;
    long endEpochNanos = Long.MIN_VALUE;
    String service = "";
    String operation = "";
    String remoteService = "";
    final Map<String, String> tags = new LinkedHashMap<>();
    long minDurationNanos;
    long maxDurationNanos;
    boolean errorOnly;
    int limit = 10;
    String cursor;

    Builder() {}

    /** Inclusive time range, nanoseconds since the epoch. */
    public Builder timeRange(long startEpochNanos, long endEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    public Builder service(String service) {
      this.service = service == null ? "" : service;
      return this;
    }

    public Builder operation(String operation) {
      this.operation = operation == null ? "" : operation;
      return this;
    }

    public Builder remoteService(String remoteService) {
      this.remoteService = remoteService == null ? "" : remoteService;
      return this;
    }

    public Builder tag(String key, String value) {
      if (key == null || key.isEmpty()) throw new IllegalArgumentException("tag key is empty");
      if (value == null) throw new IllegalArgumentException("tag value for " + key + " == null");
      tags.put(key, value);
      return this;
    }

    public Builder minDurationNanos(long nanos) {
      this.minDurationNanos = nanos;
      return this;
    }

    public Builder maxDurationNanos(long nanos) {
      this.maxDurationNanos = nanos;
      return this;
    }

    public Builder errorOnly(boolean errorOnly) {
      this.errorOnly = errorOnly;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder cursor(String cursor) {
      this.cursor = cursor == null || cursor.isEmpty() ? null : cursor;
      return this;
    }

    /** @throws IllegalArgumentException naming the setting that is wrong */
    public SearchRequest build() {
      if (endEpochNanos == Long.MIN_VALUE) throw new IllegalArgumentException("timeRange is not set");
      if (startEpochNanos < 0) throw new IllegalArgumentException("start time < 0: " + startEpochNanos);
      if (endEpochNanos < startEpochNanos) {
        throw new IllegalArgumentException(
            "time range is reversed: end " + endEpochNanos + " < start " + startEpochNanos);
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
      }
      if (minDurationNanos < 0) throw new IllegalArgumentException("minDuration < 0: " + minDurationNanos);
      if (maxDurationNanos < 0) throw new IllegalArgumentException("maxDuration < 0: " + maxDurationNanos);
      if (maxDurationNanos != 0 && maxDurationNanos < minDurationNanos) {
        throw new IllegalArgumentException(
            "maxDuration " + maxDurationNanos + " < minDuration " + minDurationNanos);
      }
      if (service.isEmpty()) {
        List<String> needService = new ArrayList<>();
        if (!operation.isEmpty()) needService.add("operation");
        if (!remoteService.isEmpty()) needService.add("remoteService");
        if (!tags.isEmpty()) needService.add("tags");
        if (minDurationNanos != 0 || maxDurationNanos != 0) needService.add("duration");
        if (!needService.isEmpty()) {
          throw new IllegalArgumentException(needService + " need a service to search within");
        }
      }
      return new SearchRequest(this);
    }
  }
}
