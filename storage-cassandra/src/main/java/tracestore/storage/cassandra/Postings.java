package tracestore.storage.cassandra;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import tracestore.storage.model.TraceId;

/**
 * The {@code entries} blob of an index posting: fixed-width big-endian records, one per trace, of
 * {@code trace_id (16) start (8)}, then {@code duration (8)} for the service and operation indexes,
 * then {@code error (1)} for the service index. A posting's id is a 64-bit hash of its records that
 * does not depend on their order, so a replayed batch overwrites its own rows instead of adding new
 * ones.
 */
final class Postings {
  /** Entries per posting row at most: about 33 KB for the widest records. */
  static final int MAX_ENTRIES = 1_000;

  static final int TAG_WIDTH = 24;
  static final int OPERATION_WIDTH = 32;
  static final int SERVICE_WIDTH = 33;

  /** Canonical order, needed only to split more than {@link #MAX_ENTRIES} the same way every time. */
  private static final Comparator<Entry> ORDER =
      (a, b) -> {
        int c = a.traceId().compareTo(b.traceId());
        if (c != 0) return c;
        c = Long.compare(a.start(), b.start());
        if (c != 0) return c;
        c = Long.compare(a.duration(), b.duration());
        return c != 0 ? c : Boolean.compare(a.error(), b.error());
      };

  private Postings() {}

  /** One trace in a posting. {@code duration} and {@code error} are ignored where the width omits them. */
  record Entry(TraceId traceId, long start, long duration, boolean error) {}

  /** One posting row to write: its blob, id and start range. */
  record Posting(long id, long minStart, long maxStart, ByteBuffer entries) {}

  /**
   * Splits {@code entries} (of one partition and clustering value) into postings of
   * at most {@link #MAX_ENTRIES}. The same entries always give the same rows: a posting's id does
   * not depend on the order of its records, and a group larger than one posting is first put in a
   * canonical order (rare, so the common case skips the sort).
   */
  static List<Posting> of(List<Entry> entries, int width) {
    List<Entry> ordered = entries;
    if (entries.size() > MAX_ENTRIES) {
      ordered = new ArrayList<>(entries);
      ordered.sort(ORDER);
    }
    List<Posting> out = new ArrayList<>((ordered.size() + MAX_ENTRIES - 1) / MAX_ENTRIES);
    for (int from = 0; from < ordered.size(); from += MAX_ENTRIES) {
      int to = Math.min(ordered.size(), from + MAX_ENTRIES);
      ByteBuffer b = ByteBuffer.allocate((to - from) * width);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long sum = 0;
      for (int i = from; i < to; i++) {
        Entry e = ordered.get(i);
        long high = e.traceId().high();
        long low = e.traceId().low();
        b.putLong(high).putLong(low).putLong(e.start());
        long h = mix(mix(mix(high) ^ low) ^ e.start());
        if (width >= OPERATION_WIDTH) {
          b.putLong(e.duration());
          h = mix(h ^ e.duration());
        }
        if (width >= SERVICE_WIDTH) {
          b.put((byte) (e.error() ? 1 : 0));
          h = mix(h ^ (e.error() ? 1 : 2));
        }
        sum += h; // a sum of record hashes: the same for any order of the records
        min = Math.min(min, e.start());
        max = Math.max(max, e.start());
      }
      out.add(new Posting(mix(sum ^ (to - from)), min, max, ByteBuffer.wrap(b.array())));
    }
    return out;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
  static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** Groups values by a key, keeping first-seen order. */
  static <T, K> java.util.Map<K, List<T>> group(List<T> values, Function<T, K> key) {
    java.util.Map<K, List<T>> out = new java.util.LinkedHashMap<>();
    for (T v : values) out.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(v);
    return out;
  }

  /** Receives one decoded entry. */
  interface EntryConsumer {
    void accept(TraceId traceId, long start, long duration, boolean error);
  }

  static void decode(ByteBuffer blob, int width, EntryConsumer consumer) {
    int p = blob.position();
    int end = blob.limit();
    if ((end - p) % width != 0) {
      throw new IllegalStateException("index posting of " + (end - p) + " bytes is not a multiple of " + width);
    }
    for (; p < end; p += width) {
      TraceId id = new TraceId(blob.getLong(p), blob.getLong(p + 8));
      long start = blob.getLong(p + 16);
      long duration = width >= OPERATION_WIDTH ? blob.getLong(p + 24) : 0;
      boolean error = width >= SERVICE_WIDTH && blob.get(p + 32) != 0;
      consumer.accept(id, start, duration, error);
    }
  }
}
