package tracestore.storage.cassandra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which names (services, operations, remote services, tag keys and values) were written
 * lately, so a batch rewrites only new ones. Bounded: least recently used entries are evicted beyond
 * {@code capacity}. An entry older than {@code refreshNanos} counts as unwritten again, so names that
 * stay in use are rewritten now and then and never expire by the tables' TTL. Thread-safe.
 */
final class NameCache {
  private final int capacity;
  private final long refreshNanos;
  private final LinkedHashMap<String, Long> writtenAt;

  NameCache(int capacity, long refreshNanos) {
    this.capacity = capacity;
    this.refreshNanos = refreshNanos;
    this.writtenAt =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > NameCache.this.capacity;
          }
        };
  }

  /** True when {@code key} was written less than the refresh interval ago. */
  synchronized boolean isFresh(String key, long nowNanos) {
    Long at = writtenAt.get(key);
    return at != null && nowNanos - at < refreshNanos;
  }

  /** Records that {@code key} is stored, after its write was acknowledged. */
  synchronized void written(String key, long nowNanos) {
    writtenAt.put(key, nowNanos);
  }

  synchronized int size() {
    return writtenAt.size();
  }
}
