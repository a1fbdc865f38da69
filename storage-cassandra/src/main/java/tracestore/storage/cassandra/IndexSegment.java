package tracestore.storage.cassandra;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.model.TraceId;

/**
 * The {@code postings} blob of an {@code index_segments} row (schema V005): every index entry of one
 * (service, hour) of one index flush, and the {@code terms} filter beside it.
 *
 * <p>Layout, all integers unsigned LEB128 varints unless said otherwise:
 *
 * <pre>
 *   version (1 byte, = 1)
 *   trace count, then each trace id (16 bytes, big-endian)
 *   term count, then per term:
 *     kind (1 byte: 0 service, 1 operation, 2 tag)
 *     operation, or key and value (each: UTF-8 length, bytes); the service term has none
 *     body length, then body: entry count, then per entry
 *       trace ordinal, start - hour start, duration (service and operation), error (1 byte, service)
 * </pre>
 *
 * A trace id is stored once per segment, whatever its number of entries; starts are offsets in the
 * hour (at most 6 bytes). The filter is the sorted distinct 64-bit hashes of the operation and tag
 * terms: a search reads the filters of a partition, fetches the segments that may hold its term and
 * then compares the term's strings exactly, so hash collisions cost a read, never a wrong hit.
 */
final class IndexSegment {
  static final byte VERSION = 1;
  static final byte SERVICE = 0;
  static final byte OPERATION = 1;
  static final byte TAG = 2;

  /** Traces per segment at most, so a segment stays a few tens of KB. */
  static final int MAX_TRACES = 2_000;

  private IndexSegment() {}

  /** One encoded segment: its id (a hash of {@code postings}), start range, filter and blob. */
  record Encoded(long id, long minStart, long maxStart, ByteBuffer terms, ByteBuffer entries) {}

  /** Receives one decoded entry. */
  interface EntryConsumer {
    void accept(TraceId traceId, long start, long duration, boolean error);
  }

  /** A term as the filter knows it. {@code a}/{@code b}: operation, or key and value; unused are "". */
  static long termHash(byte kind, String a, String b) {
    long h = 0xcbf29ce484222325L ^ kind;
    h = hashString(h, a);
    h = hashString(h, b);
    return Postings.mix(h);
  }

  private static long hashString(long h, String s) {
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
    return (h ^ s.length()) * 0x100000001b3L; // the length separates ("ab", "c") from ("a", "bc")
  }

  /** Whether the filter {@code terms} (sorted longs) may hold {@code hash}; a missing filter may hold anything. */
  static boolean mayContain(ByteBuffer terms, long hash) {
    if (terms == null) return true;
    int base = terms.position();
    int lo = 0;
    int hi = terms.remaining() / 8 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = terms.getLong(base + mid * 8);
      if (v < hash) lo = mid + 1;
      else if (v > hash) hi = mid - 1;
      else return true;
    }
    return false;
  }

  /**
   * Collects the entries of one (service, hour) of a flush; {@link #build()} splits them into
   * segments of at most {@link #MAX_TRACES} traces (a trace's entries stay in one segment). The same
   * entries in the same order always give the same bytes, so a replayed flush overwrites its rows.
   *
   * <p>Hot path (one call per index entry): nothing is allocated when the trace and term were seen
   * before. The last trace is remembered (a trace's entries tend to be adjacent), and terms are
   * found by their strings in nested maps rather than through a composite key object.
   */
  static final class Builder {
    private final String service;
    private final int bucket;
    private final long hourStart;
    private final Map<TraceId, int[]> traceSlots = new HashMap<>(); // {segment, ordinal}
    private final List<Part> parts = new ArrayList<>();
    private TraceId lastTrace;
    private int[] lastSlot;

    Builder(int bucket) {
      this("", bucket);
    }

    Builder(String service, int bucket) {
      this.service = service;
      this.bucket = bucket;
      this.hourStart = Buckets.start(bucket);
    }

    String service() {
      return service;
    }

    int bucket() {
      return bucket;
    }

    void add(byte kind, String a, String b, TraceId traceId, long start, long duration, boolean error) {
      int[] slot = slot(traceId);
      Part part = parts.get(slot[0]);
      Bytes body = part.term(kind, a, b);
      body.count++;
      body.varint(slot[1]).varint(start - hourStart);
      if (kind != TAG) body.varint(duration);
      if (kind == SERVICE) body.put(error ? 1 : 0);
      if (start < part.minStart) part.minStart = start;
      if (start > part.maxStart) part.maxStart = start;
    }

    private int[] slot(TraceId traceId) {
      if (traceId == lastTrace || traceId.equals(lastTrace)) return lastSlot;
      int[] slot = traceSlots.get(traceId);
      if (slot == null) {
        if (parts.isEmpty() || parts.get(parts.size() - 1).traces.size() >= MAX_TRACES) parts.add(new Part());
        Part part = parts.get(parts.size() - 1);
        slot = new int[] {parts.size() - 1, part.traces.size()};
        part.traces.add(traceId);
        traceSlots.put(traceId, slot);
      }
      lastTrace = traceId;
      lastSlot = slot;
      return slot;
    }

    List<Encoded> build() {
      List<Encoded> out = new ArrayList<>(parts.size());
      for (Part p : parts) out.add(p.encode());
      return out;
    }
  }

  /** One term's entries: its kind and strings, and the encoded body. */
  private static final class TermBody extends Bytes {
    final byte kind;
    final String a;
    final String b;

    TermBody(byte kind, String a, String b) {
      super(64);
      this.kind = kind;
      this.a = a;
      this.b = b;
    }
  }

  private static final class Part {
    final List<TraceId> traces = new ArrayList<>();
    /** Terms in the order first seen, which is the order they are encoded in. */
    final List<TermBody> terms = new ArrayList<>();
    TermBody service;
    final Map<String, TermBody> operations = new HashMap<>();
    final Map<String, Map<String, TermBody>> tags = new HashMap<>(); // key, then value
    long minStart = Long.MAX_VALUE;
    long maxStart = Long.MIN_VALUE;

    TermBody term(byte kind, String a, String b) {
      TermBody t;
      if (kind == SERVICE) {
        t = service;
        if (t == null) service = t = added(new TermBody(kind, "", ""));
      } else if (kind == OPERATION) {
        t = operations.get(a);
        if (t == null) operations.put(a, t = added(new TermBody(kind, a, "")));
      } else {
        Map<String, TermBody> values = tags.get(a);
        if (values == null) tags.put(a, values = new HashMap<>());
        t = values.get(b);
        if (t == null) values.put(b, t = added(new TermBody(kind, a, b)));
      }
      return t;
    }

    private TermBody added(TermBody t) {
      terms.add(t);
      return t;
    }

    Encoded encode() {
      int size = 16 + traces.size() * 16;
      for (TermBody t : terms) size += 24 + t.size + 3 * (t.a.length() + t.b.length());
      Bytes out = new Bytes(size);
      out.put(VERSION).varint(traces.size());
      for (TraceId id : traces) out.putLong(id.high()).putLong(id.low());
      out.varint(terms.size());
      long[] hashes = new long[terms.size()];
      int filtered = 0;
      for (TermBody t : terms) {
        out.put(t.kind);
        if (t.kind != SERVICE) {
          out.string(t.a);
          hashes[filtered++] = termHash(t.kind, t.a, t.b);
        }
        if (t.kind == TAG) out.string(t.b);
        out.varint(Bytes.varintSize(t.count) + t.size).varint(t.count).put(t.buf, t.size);
      }
      long[] sorted = Arrays.copyOf(hashes, filtered);
      Arrays.sort(sorted);
      ByteBuffer filter = ByteBuffer.allocate(sorted.length * 8);
      long previous = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i > 0 && sorted[i] == previous) continue;
        filter.putLong(sorted[i]);
        previous = sorted[i];
      }
      filter.flip();
      return new Encoded(out.hash(), minStart, maxStart, filter, ByteBuffer.wrap(out.buf, 0, out.size));
    }
  }

  /**
   * Calls {@code consumer} with each entry of the term ({@code kind}, {@code a}, {@code b}) in
   * {@code segment}; the strings are compared exactly. {@code bucket} is the segment's hour.
   */
  static void scan(ByteBuffer segment, int bucket, byte kind, String a, String b, EntryConsumer consumer) {
    byte[] wantA = kind == SERVICE ? null : a.getBytes(StandardCharsets.UTF_8);
    byte[] wantB = kind == TAG ? b.getBytes(StandardCharsets.UTF_8) : null;
    Reader r = new Reader(segment);
    int version = r.get();
    if (version != VERSION) throw new IllegalStateException("index segment of unknown version " + version);
    int traces = r.varintInt();
    int tracesAt = r.pos;
    r.pos += traces * 16;
    long hourStart = Buckets.start(bucket);
    int terms = r.varintInt();
    for (int t = 0; t < terms; t++) {
      byte k = r.get();
      boolean match = k == kind;
      if (k != SERVICE) match &= r.stringEquals(wantA);
      if (k == TAG) match &= r.stringEquals(wantB);
      int length = r.varintInt();
      int end = r.pos + length;
      if (!match) {
        r.pos = end;
        continue;
      }
      int count = r.varintInt();
      for (int i = 0; i < count; i++) {
        int ordinal = r.varintInt();
        if (ordinal >= traces) throw new IllegalStateException("index segment names trace " + ordinal + " of " + traces);
        long start = hourStart + r.varint();
        long duration = kind == TAG ? 0 : r.varint();
        boolean error = kind == SERVICE && r.get() != 0;
        int at = tracesAt + ordinal * 16;
        consumer.accept(new TraceId(r.buf.getLong(at), r.buf.getLong(at + 8)), start, duration, error);
      }
      r.pos = end;
    }
  }

  /** A cursor over a segment blob (absolute reads, so the buffer's own position is untouched). */
  private static final class Reader {
    final ByteBuffer buf;
    int pos;

    Reader(ByteBuffer buf) {
      this.buf = buf;
      this.pos = buf.position();
    }

    byte get() {
      return buf.get(pos++);
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf.get(pos++);
        v |= (long) (b & 0x7f) << shift;
        if (b >= 0) return v;
      }
      throw new IllegalStateException("index segment varint longer than 10 bytes at " + pos);
    }

    int varintInt() {
      long v = varint();
      if (v > Integer.MAX_VALUE) throw new IllegalStateException("index segment length " + v + " out of range");
      return (int) v;
    }

    /** Reads one length-prefixed string and tells whether its bytes equal {@code want} (null: no). */
    boolean stringEquals(byte[] want) {
      int length = varintInt();
      int from = pos;
      pos += length;
      if (want == null || want.length != length) return false;
      for (int i = 0; i < length; i++) if (buf.get(from + i) != want[i]) return false;
      return true;
    }
  }

  /** A growable byte array with varint writers. */
  private static class Bytes {
    byte[] buf;
    int size;
    int count;

    Bytes(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
      if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }

    Bytes put(int b) {
      ensure(1);
      buf[size++] = (byte) b;
      return this;
    }

    Bytes put(byte[] bytes, int length) {
      ensure(length);
      System.arraycopy(bytes, 0, buf, size, length);
      size += length;
      return this;
    }

    Bytes putLong(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) buf[size++] = (byte) (v >>> (8 * i));
      return this;
    }

    Bytes varint(long v) {
      if (v < 0) throw new IllegalArgumentException("negative value in an index segment: " + v);
      ensure(10);
      while ((v & ~0x7fL) != 0) {
        buf[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
      return this;
    }

    Bytes string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      return varint(utf8.length).put(utf8, utf8.length);
    }

    static int varintSize(long v) {
      int n = 1;
      while ((v & ~0x7fL) != 0) {
        n++;
        v >>>= 7;
      }
      return n;
    }

    /** A 64-bit hash of the bytes written. */
    long hash() {
      long h = size;
      int i = 0;
      for (; i + 8 <= size; i += 8) {
        long v = 0;
        for (int j = 0; j < 8; j++) v = (v << 8) | (buf[i + j] & 0xff);
        h = Postings.mix(h ^ v) + 0x9e3779b97f4a7c15L;
      }
      long tail = 0;
      for (; i < size; i++) tail = (tail << 8) | (buf[i] & 0xff);
      return Postings.mix(h ^ tail ^ ((long) (size & 7) << 56));
    }
  }
}
