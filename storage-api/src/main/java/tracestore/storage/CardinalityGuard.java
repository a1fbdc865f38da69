package tracestore.storage;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per tag key, up to {@code maxValuesPerKey} distinct values (as 64-bit hashes) and up
 * to {@code maxKeys} keys. A value is admitted when it was seen before or its key still has room;
 * a key that ran out of room is <em>saturated</em>. Thread-safe; memory is bounded by {@code maxKeys
 * * maxValuesPerKey} hashes. A hash collision admits a value as if seen before, which at worst
 * indexes a few values beyond the bound.
 */
final class CardinalityGuard {
  private final int maxValuesPerKey;
  private final int maxKeys;
  private final ConcurrentHashMap<String, KeyValues> keys = new ConcurrentHashMap<>();
  private volatile boolean keyLimitReached;

  CardinalityGuard(int maxValuesPerKey, int maxKeys) {
    this.maxValuesPerKey = maxValuesPerKey;
    this.maxKeys = maxKeys;
  }

  /** True when {@code key=value} may be indexed. */
  boolean admit(String key, String value) {
    KeyValues values = keys.get(key);
    if (values == null) {
      if (keys.size() >= maxKeys) {
        keyLimitReached = true;
        return false;
      }
      values = keys.computeIfAbsent(key, k -> new KeyValues());
    }
    return values.admit(hash(value), maxValuesPerKey);
  }

  /** Keys that reached their value bound, sorted. */
  Set<String> saturatedKeys() {
    Set<String> out = new TreeSet<>();
    keys.forEach((k, v) -> {
      if (v.saturated()) out.add(k);
    });
    return out;
  }

  boolean keyLimitReached() {
    return keyLimitReached;
  }

  /** 64-bit FNV-1a over the UTF-16 chars. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = s.length(); i < n; i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static final class KeyValues {
    private final Set<Long> seen = new HashSet<>();
    private boolean saturated;

    synchronized boolean admit(long hash, int max) {
      if (seen.contains(hash)) return true;
      if (seen.size() >= max) {
        saturated = true;
        return false;
      }
      seen.add(hash);
      return true;
    }

    synchronized boolean saturated() {
      return saturated;
    }
  }
}
