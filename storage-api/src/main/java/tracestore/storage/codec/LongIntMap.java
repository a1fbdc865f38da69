package tracestore.storage.codec;

import java.util.Arrays;

/**
 * A small open-addressing map from a non-zero long to the first int stored for it, reused across
 * chunks without boxing. Zero keys are never stored (span ids are never zero).
 */
final class LongIntMap {
  private long[] keys;
  private int[] values;
  private int size;

  LongIntMap(int capacityPow2) {
    keys = new long[capacityPow2];
    values = new int[capacityPow2];
  }

  /** Clears, dropping a table that one large chunk grew beyond {@code retain} slots. */
  void clear(int retain) {
    if (keys.length > retain) {
      keys = new long[retain];
      values = new int[retain];
    } else {
      Arrays.fill(keys, 0L);
    }
    size = 0;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) return values[i];
      if (k == 0) return -1;
    }
  }

  /** Stores {@code value} unless {@code key} is already present. */
  void putIfAbsent(long key, int value) {
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) return;
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) putIfAbsent(oldKeys[i], oldValues[i]);
    }
  }
}
