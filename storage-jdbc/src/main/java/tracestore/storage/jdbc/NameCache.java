package tracestore.storage.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU set of names known to be stored. A name is added only after the transaction that
 * wrote it committed, so a failed write never hides a name. When full, the least recently used
 * name is forgotten (and simply rewritten, harmlessly, the next time it is seen). Thread-safe.
 */
final class NameCache {
  private final long maxWeight;
  private long weight;
  private final LinkedHashMap<Name, Boolean> names = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Name, Boolean> eldest) {
      if (weight <= maxWeight) return false;
      weight -= eldest.getKey().weight();
      return true;
    }
  };

  /** @param maxBytes approximate heap bound for the cached names */
  NameCache(long maxBytes) {
    this.maxWeight = maxBytes;
  }

  synchronized boolean contains(Name n) {
    return names.get(n) != null;
  }

  synchronized void addAll(Iterable<Name> stored) {
    for (Name n : stored) {
      if (names.put(n, Boolean.TRUE) == null) weight += n.weight();
    }
  }

  synchronized void clear() {
    names.clear();
    weight = 0;
  }

  synchronized int size() {
    return names.size();
  }
}
