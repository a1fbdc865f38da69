package tracestore.storage;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import tracestore.storage.model.TagValue;

/**
 * Which span tags become {@link TagIndexEntry tag index entries}, and how. Immutable; build with
 * {@link #newBuilder()}; {@link #defaults()} suits most deployments.
 *
 * <p>The index only makes search <em>fast</em>: a tag whose key is not indexed is still found,
 * because {@link VerifyingReader} checks such tags against the stored spans of the candidates the
 * indexed predicates give. So the policy trades write cost against search speed, never against
 * search results.
 *
 * <ul>
 *   <li><b>Keys</b>: a key is indexed when it is in the allow list (an empty allow list allows
 *       every key) and not in the deny list. The default allow list ({@link
 *       #DEFAULT_ALLOWED_KEYS}) names the OpenTelemetry and Zipkin keys people search by whose
 *       values repeat across traces (methods, routes, status codes, systems, tables, queues,
 *       exception types) plus user ids; {@link #everyKey()} indexes every key instead. The deny
 *       list names id-like keys whose values are unique per request ({@link
 *       #DEFAULT_DENIED_KEYS}).
 *   <li><b>Types</b>: by default every value type is indexed as text ({@link TagValue#asString()}),
 *       so the index holds every tag of an indexed key and a search on that key can trust it
 *       ({@link #covers}). Leaving types out makes those keys verified instead.
 *   <li><b>Length</b>: values longer than {@link #maxValueLength()} UTF-16 chars are truncated to it
 *       (never inside a surrogate pair). A search for a longer value must truncate it the same way
 *       first: {@link #indexedValue(String)}.
 *   <li><b>Cardinality guard</b>: it bounds the <em>autocomplete</em> names only, never the search
 *       index. Per key, at most {@link #maxValuesPerKey()} distinct values are listed by one
 *       process; once a key has that many, new values are still indexed for search but no longer
 *       listed ({@link TagIndexEntry#listed()}, {@link WriteBatches#saturatedKeys()}). At most
 *       {@link #maxKeys()} keys are tracked; values of keys beyond that are not listed. Memory is
 *       bounded by {@code maxKeys * maxValuesPerKey} 64-bit hashes.
 * </ul>
 *
 * The remote service of a span is always indexed (as {@link TagIndexEntry#REMOTE_SERVICE_KEY}),
 * whatever the key lists say, because remote-service search depends on it.
 */
public final class IndexPolicy {
  /** Keys denied by default: ids and free text whose values are unique per request or huge. */
  public static final Set<String> DEFAULT_DENIED_KEYS =
      Set.of(
          "trace.id", "traceId", "trace_id",
          "span.id", "spanId", "span_id",
          "parent.id", "parentId", "parent_id",
          "request.id", "request_id", "http.request_id", "x-request-id", "guid:x-request-id",
          "correlation.id", "correlation_id", "messaging.message.id", "message.id",
          "thread.id", "db.statement", "db.query.text", "exception.stacktrace");

  /**
   * Keys indexed by default: what people filter traces by, with values that repeat across traces
   * (so the index stays a small fraction of the write cost), in both the current OpenTelemetry
   * semantic conventions and the older names still emitted by many SDKs and by Zipkin
   * instrumentation. User ids are the exception to "values repeat": finding one user's traces is
   * among the most common searches, and a user id is one entry per trace.
   */
  public static final Set<String> DEFAULT_ALLOWED_KEYS =
      Set.of(
          "error", "error.type", "exception.type", "otel.status_code",
          "http.method", "http.request.method", "http.status_code", "http.response.status_code",
          "http.route",
          "rpc.system", "rpc.service", "rpc.method", "rpc.grpc.status_code",
          "db.system", "db.name", "db.namespace", "db.operation", "db.operation.name",
          "db.sql.table", "db.collection.name",
          "messaging.system", "messaging.destination.name", "messaging.operation",
          "server.address", "net.peer.name",
          "user.id", "enduser.id");

  public static final int DEFAULT_MAX_VALUE_LENGTH = 256;
  public static final int DEFAULT_MAX_VALUES_PER_KEY = 1_000;
  public static final int DEFAULT_MAX_KEYS = 1_000;

  private static final IndexPolicy DEFAULTS = newBuilder().build();
  private static final IndexPolicy EVERY_KEY = newBuilder().allowedKeys(Set.of()).build();

  private final Set<String> allowedKeys;
  private final Set<String> deniedKeys;
  private final Set<TagValue.Type> indexedTypes;
  private final int maxValueLength;
  private final int maxValuesPerKey;
  private final int maxKeys;

  IndexPolicy(Builder b) {
    allowedKeys = Set.copyOf(b.allowedKeys);
    deniedKeys = Set.copyOf(b.deniedKeys);
    indexedTypes = Set.copyOf(b.indexedTypes);
    maxValueLength = b.maxValueLength;
    maxValuesPerKey = b.maxValuesPerKey;
    maxKeys = b.maxKeys;
  }

  /** The default allow list ({@link #DEFAULT_ALLOWED_KEYS}) and deny list, other bounds default. */
  public static IndexPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Every key not in the default deny list, other bounds default: the fastest tag search on any
   * key, at the highest write cost.
   */
  public static IndexPolicy everyKey() {
    return EVERY_KEY;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowedKeys.clear();
    b.allowedKeys.addAll(allowedKeys);
    b.deniedKeys.clear();
    b.deniedKeys.addAll(deniedKeys);
    b.indexedTypes.clear();
    b.indexedTypes.addAll(indexedTypes);
    b.maxValueLength = maxValueLength;
    b.maxValuesPerKey = maxValuesPerKey;
    b.maxKeys = maxKeys;
    return b;
  }

  /** Empty means every key not denied. */
  public Set<String> allowedKeys() {
    return allowedKeys;
  }

  public Set<String> deniedKeys() {
    return deniedKeys;
  }

  public Set<TagValue.Type> indexedTypes() {
    return indexedTypes;
  }

  /** In UTF-16 chars. */
  public int maxValueLength() {
    return maxValueLength;
  }

  public int maxValuesPerKey() {
    return maxValuesPerKey;
  }

  public int maxKeys() {
    return maxKeys;
  }

  /**
   * Whether tags with this key may be indexed at all (the cardinality guard aside). Keys longer
   * than {@link #maxValueLength()} or holding U+0000 never are.
   */
  public boolean isIndexableKey(String key) {
    return !deniedKeys.contains(key)
        && (allowedKeys.isEmpty() || allowedKeys.contains(key))
        && key.length() <= maxValueLength
        && key.indexOf('\0') < 0;
  }

  /**
   * Whether the index holds every tag with this key, so that a search on it may trust the index
   * alone; otherwise {@link VerifyingReader} checks the stored spans.
   */
  public boolean covers(String key) {
    return isIndexableKey(key) && indexedTypes.size() == TagValue.Type.values().length;
  }

  /** Whether values of this type are indexed. */
  public boolean isIndexableType(TagValue.Type type) {
    return indexedTypes.contains(type);
  }

  /**
   * The value as the tag index stores it: truncated to {@link #maxValueLength()} chars, never
   * splitting a surrogate pair, and with each U+0000 replaced by U+FFFD (PostgreSQL text cannot
   * hold NUL). Query code applies it to a searched value before asking a reader.
   */
  public String indexedValue(String value) {
    String v = value;
    if (v.length() > maxValueLength) {
      int end = maxValueLength;
      if (Character.isHighSurrogate(v.charAt(end - 1))) end--;
      v = v.substring(0, end);
    }
    return v.indexOf('\0') < 0 ? v : v.replace('\0', '\uFFFD');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexPolicy p
        && p.allowedKeys.equals(allowedKeys)
        && p.deniedKeys.equals(deniedKeys)
        && p.indexedTypes.equals(indexedTypes)
        && p.maxValueLength == maxValueLength
        && p.maxValuesPerKey == maxValuesPerKey
        && p.maxKeys == maxKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowedKeys, deniedKeys, indexedTypes, maxValueLength, maxValuesPerKey, maxKeys);
  }

  @Override
  public String toString() {
    return "IndexPolicy{allowed=" + (allowedKeys.isEmpty() ? "*" : allowedKeys)
        + " denied=" + deniedKeys.size() + " keys types=" + indexedTypes
        + " maxValueLength=" + maxValueLength + " maxValuesPerKey=" + maxValuesPerKey
        + " maxKeys=" + maxKeys + '}';
  }

  public static final class Builder {
    final Set<String> allowedKeys = new LinkedHashSet<>(DEFAULT_ALLOWED_KEYS);
    final Set<String> deniedKeys = new LinkedHashSet<>(DEFAULT_DENIED_KEYS);
    final Set<TagValue.Type> indexedTypes = EnumSet.allOf(TagValue.Type.class);
    int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
    int maxValuesPerKey = DEFAULT_MAX_VALUES_PER_KEY;
    int maxKeys = DEFAULT_MAX_KEYS;

    Builder() {}

    /**
     * Only these keys are indexed (replaces the allow list, defaults included); empty allows
     * every key.
     */
    public Builder allowedKeys(Collection<String> keys) {
      allowedKeys.clear();
      for (String k : keys) allowedKeys.add(requireKey(k, "allowedKeys"));
      return this;
    }

    /** These keys are never indexed (replaces the deny list, defaults included). */
    public Builder deniedKeys(Collection<String> keys) {
      deniedKeys.clear();
      for (String k : keys) deniedKeys.add(requireKey(k, "deniedKeys"));
      return this;
    }

    /** Adds to the deny list. */
    public Builder denyKey(String key) {
      deniedKeys.add(requireKey(key, "denyKey"));
      return this;
    }

    /**
     * Which value types are indexed (as text); default all. Keys whose values may have a type
     * left out are searched by verification ({@link IndexPolicy#covers}).
     */
    public Builder indexedTypes(Collection<TagValue.Type> types) {
      indexedTypes.clear();
      for (TagValue.Type t : types) indexedTypes.add(Objects.requireNonNull(t, "indexedTypes has null"));
      return this;
    }

    public Builder maxValueLength(int chars) {
      this.maxValueLength = chars;
      return this;
    }

    public Builder maxValuesPerKey(int values) {
      this.maxValuesPerKey = values;
      return this;
    }

    public Builder maxKeys(int keys) {
      this.maxKeys = keys;
      return this;
    }

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public IndexPolicy build() {
      if (maxValueLength < 2) {
        throw new IllegalArgumentException("maxValueLength must be >= 2, got " + maxValueLength);
      }
      if (maxValuesPerKey < 1) {
        throw new IllegalArgumentException("maxValuesPerKey must be >= 1, got " + maxValuesPerKey);
      }
      if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be >= 1, got " + maxKeys);
      return new IndexPolicy(this);
    }

    private static String requireKey(String key, String setting) {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException(setting + " contains an empty key");
      }
      return key;
    }
  }
}
