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
 * then {@code error (1)} for the service index. A posting's id is a 64-bit hash of its blob, so a
 * replayed batch overwrites its own rows instead of adding new ones.
 */
final class Postings {
  /** Entries per posting row at most: about 33 KB for the widest records. */
  static final int MAX_ENTRIES = 1_000;

  static final int TAG_WIDTH = 24;
  static final int OPERATION_WIDTH = 32;
  static final int SERVICE_WIDTH = 33;

  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::traceId).thenComparingLong(Entry::start).thenComparingLong(Entry::duration)
          .thenComparing(Entry::error);

  private Postings() {}

  /** One trace in a posting. {@code duration} and {@code error} are ignored where the width omits them. */
  record Entry(TraceId traceId, long start, long duration, boolean error) {}

  /** One posting row to write: its blob, id and start range. */
  record Posting(long id, long minStart, long maxStart, ByteBuffer entries) {}

  /**
   * Splits {@code entries} (of one partition and clustering value) into postings of at most {@link
   * #MAX_ENTRIES}, in a canonical order so the same entries always give the same rows.
   */
  static List<Posting> of(List<Entry> entries, int width) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    List<Posting> out = new ArrayList<>();
    for (int from = 0; from < sorted.size(); from += MAX_ENTRIES) {
      List<Entry> slice = sorted.subList(from, Math.min(sorted.size(), from + MAX_ENTRIES));
      ByteBuffer b = ByteBuffer.allocate(slice.size() * width);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (Entry e : slice) {
        b.putLong(e.traceId().high()).putLong(e.traceId().low()).putLong(e.start());
        if (width >= OPERATION_WIDTH) b.putLong(e.duration());
        if (width >= SERVICE_WIDTH) b.put((byte) (e.error() ? 1 : 0));
        min = Math.min(min, e.start());
        max = Math.max(max, e.start());
      }
      byte[] bytes = b.array();
      out.add(new Posting(hash(bytes), min, max, ByteBuffer.wrap(bytes)));
    }
    return out;
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

  /** 64-bit FNV-1a. */
  static long hash(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte x : bytes) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
