package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.codec.ChunkFormat.*;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import net.jpountz.lz4.LZ4Compressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tracestore.storage.Chunk;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * The corrupt-input corpus. Each case must fail with {@link CorruptChunkException}, whose message
 * names an offset, and do so quickly: within 1 s of CPU per case, and the class-wide timeout
 * catches a loop.
 * Hostile bodies are framed with a valid checksum, so the body parser itself is exercised.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorruptChunkTest {
  private static final LZ4Compressor LZ4C = ChunkFormat.compressor();
  private static final long MIN_START = 1_000;

  private static Chunk realChunk() {
    RandomSpans random = new RandomSpans(2026);
    TraceId traceId = random.traceId();
    return new ChunkEncoder().encode(traceId, random.trace(traceId, 12));
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  static CorruptChunkException assertCorrupt(byte[] payload) {
    // CPU time, not wall time: a busy build machine must not make this flaky.
    long t0 = THREADS.getCurrentThreadCpuTime();
    CorruptChunkException e = null;
    try {
      List<Span> spans = ChunkDecoder.decode(payload);
      throw new AssertionError("decoded " + spans.size() + " spans from corrupt input");
    } catch (CorruptChunkException expected) {
      e = expected;
    }
    assertThat(e.getMessage()).contains("offset");
    assertThat(e.isRetryable()).isFalse();
    assertThat(THREADS.getCurrentThreadCpuTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
    return e;
  }

  /** Frames {@code body} as a current-version chunk with a correct checksum and the given claims. */
  static byte[] frame(byte[] body, int spanCount, long minStart, long maxEnd) {
    return frame(VERSION, body, spanCount, minStart, maxEnd);
  }

  /** Frames {@code body} as a chunk of format {@code version}. */
  static byte[] frame(int version, byte[] body, int spanCount, long minStart, long maxEnd) {
    byte[] block = LZ4C.compress(body);
    byte[] p = new byte[HEADER_LENGTH + block.length];
    System.arraycopy(block, 0, p, HEADER_LENGTH, block.length);
    INT.set(p, OFF_MAGIC, MAGIC);
    p[OFF_VERSION] = (byte) version;
    INT.set(p, OFF_SPAN_COUNT, spanCount);
    LONG.set(p, OFF_MIN_START, minStart);
    LONG.set(p, OFF_MAX_END, maxEnd);
    INT.set(p, OFF_UNCOMPRESSED, body.length);
    INT.set(p, OFF_COMPRESSED, block.length);
    return reseal(p);
  }

  /** Recomputes the checksum after the test edited the header or block. */
  static byte[] reseal(byte[] p) {
    int clen = p.length - HEADER_LENGTH;
    INT.set(p, OFF_CHECKSUM, ChunkFormat.checksum(ChunkFormat.hash32(), p, VERSION, clen));
    return p;
  }

  static byte[] bodyOf(Chunk chunk) {
    ChunkHeader h = ChunkDecoder.readHeader(chunk.payload());
    byte[] body = new byte[h.uncompressedLength()];
    ChunkFormat.safeDecompressor()
        .decompress(chunk.payload(), HEADER_LENGTH, h.compressedLength(), body, 0, body.length);
    return body;
  }

  // ---- damage to a real chunk

  @Test
  void truncationAtEveryOffset() {
    byte[] payload = realChunk().payload();
    for (int len = 0; len < payload.length; len++) assertCorrupt(Arrays.copyOf(payload, len));
    assertCorrupt(Arrays.copyOf(payload, payload.length + 1)); // padded
    assertCorrupt(new byte[0]);
  }

  @Test
  void everySingleBitFlip() {
    byte[] payload = realChunk().payload();
    for (int bit = 0; bit < payload.length * 8; bit++) {
      byte[] flipped = payload.clone();
      flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
      assertCorrupt(flipped);
    }
  }

  @Test
  void badChecksumIsReportedBeforeDecompressing() {
    byte[] payload = realChunk().payload();
    INT.set(payload, OFF_CHECKSUM, (int) INT.get(payload, OFF_CHECKSUM) + 1);
    assertThat(assertCorrupt(payload)).hasMessageContaining("checksum mismatch");
  }

  /**
   * Every bit flip and every byte replaced in the decompressed body, re-framed with a valid
   * checksum: the decoder either decodes (a flip inside a string is legal data) or throws {@link
   * CorruptChunkException}; never another exception, never a hang.
   */
  @Test
  void bodyMutationsBehindAValidChecksumOnlyEverFailCleanly() {
    Chunk chunk = realChunk();
    byte[] body = bodyOf(chunk);
    SplittableRandom random = new SplittableRandom(5);
    int corrupt = 0;
    for (int i = 0; i < body.length * 8 + body.length; i++) {
      byte[] mutated = body.clone();
      if (i < body.length * 8) mutated[i >>> 3] ^= (byte) (1 << (i & 7));
      else mutated[i - body.length * 8] = (byte) random.nextInt(256);
      byte[] payload = frame(mutated, chunk.spanCount(), chunk.minStartEpochNanos(),
          chunk.maxEndEpochNanos());
      try {
        ChunkDecoder.decode(payload);
      } catch (CorruptChunkException e) {
        assertThat(e.getMessage()).contains("offset");
        corrupt++;
      }
    }
    assertThat(corrupt).isPositive();
  }

  // ---- hostile headers (with a valid checksum)

  private static byte[] withHeader(Consumer<byte[]> edit) {
    byte[] p = realChunk().payload();
    edit.accept(p);
    return reseal(p);
  }

  @Test
  void hostileHeaderClaims() {
    assertThat(assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, Integer.MAX_VALUE))))
        .hasMessageContaining("uncompressed length 2147483647");
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, Integer.MIN_VALUE)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, -1)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, 0)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, MAX_UNCOMPRESSED + 1)));
    assertThat(
            assertCorrupt(
                withHeader(
                    p -> INT.set(p, OFF_UNCOMPRESSED, (p.length - HEADER_LENGTH) * 255 + 1))))
        .hasMessageContaining("more than LZ4 can expand");
    // Plausible but wrong lengths: the safe decompressor finds the block does not fit them.
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, (int) INT.get(p, OFF_UNCOMPRESSED) + 1)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_UNCOMPRESSED, (int) INT.get(p, OFF_UNCOMPRESSED) - 1)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_COMPRESSED, Integer.MAX_VALUE)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_COMPRESSED, -1)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_SPAN_COUNT, Integer.MAX_VALUE)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_SPAN_COUNT, -1)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_SPAN_COUNT, 0)));
    assertCorrupt(withHeader(p -> INT.set(p, OFF_SPAN_COUNT, (int) INT.get(p, OFF_SPAN_COUNT) + 1)));
    assertCorrupt(withHeader(p -> LONG.set(p, OFF_MIN_START, -1L)));
    assertCorrupt(withHeader(p -> LONG.set(p, OFF_MIN_START, (long) LONG.get(p, OFF_MIN_START) + 1)));
    assertCorrupt(withHeader(p -> LONG.set(p, OFF_MAX_END, (long) LONG.get(p, OFF_MAX_END) - 1)));
    assertCorrupt(withHeader(p -> LONG.set(p, OFF_MAX_END, Long.MIN_VALUE)));
    assertThat(assertCorrupt(withHeader(p -> p[OFF_VERSION] = 4)))
        .hasMessageContaining("unsupported format version 4");
    // A format-2 header relabelled 3 is 8 bytes short of a format-3 header: its block no longer
    // starts where the lengths say.
    assertThat(assertCorrupt(withHeader(p -> p[OFF_VERSION] = VERSION_3)))
        .hasMessageContaining("declared compressed length");
    assertCorrupt(withHeader(p -> p[OFF_VERSION] = 0));
    // A version 2 body read as version 1 (or the reverse) fails in the parser, not elsewhere.
    assertThat(assertCorrupt(withHeader(p -> p[OFF_VERSION] = VERSION_1))).hasMessageContaining("body offset");
    assertCorrupt(withHeader(p -> p[OFF_FLAGS] = 1));
    assertThat(assertCorrupt(withHeader(p -> p[OFF_MAGIC] = 'X'))).hasMessageContaining("magic");
  }

  // ---- hostile format-1 bodies (with a valid checksum, so the version 1 parser is reached)

  /** A body writer already holding trace id (1, 2) and the min start. */
  private static BodyWriter body() {
    BodyWriter w = new BodyWriter(64, 1 << 20);
    w.writeLongBE(1);
    w.writeLongBE(2);
    w.writeVarLong(MIN_START);
    return w;
  }

  /** One string "svc", one empty resource, and one origin using them. */
  private static BodyWriter tables() {
    BodyWriter w = body();
    w.writeVarInt(1);
    w.writeVarInt(3 << 1);
    w.writeBytes("svc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    w.writeVarInt(1);
    w.writeVarInt(0);
    w.writeVarInt(1);
    w.writeVarInt(0);
    w.writeVarInt(0);
    w.writeVarInt(0);
    return w;
  }

  /** One span header: id, root, kind 0, name/service "svc", start = min start, duration 5, origin 0. */
  private static BodyWriter oneSpan(long spanId, int parentRef, int flags) {
    BodyWriter w = tables();
    w.writeVarInt(1);
    w.writeLongBE(spanId);
    w.writeVarInt(parentRef);
    w.writeVarInt(flags);
    w.writeVarInt(0);
    w.writeVarInt(0);
    w.writeVarLong(0);
    w.writeVarLong(5);
    w.writeVarInt(0);
    return w;
  }

  private static byte[] framed(BodyWriter w) {
    byte[] b = Arrays.copyOf(w.array(), w.length());
    // Pad so the header's span-count plausibility check passes and the body parser decides.
    return frame(VERSION_1, b, 1, MIN_START, MIN_START + 5);
  }

  /** Pads, then frames as format 1. */
  private static byte[] padded(BodyWriter w, int pad) {
    for (int i = 0; i < pad; i++) w.writeByte(0);
    return framed(w);
  }

  static IntStream hostileBodyCases() {
    return IntStream.range(0, 25);
  }

  private static byte[] hostileBody(int c) {
    BodyWriter w;
    switch (c) {
      case 0: // string count of 2^31-1
        w = body();
        w.writeVarInt(Integer.MAX_VALUE);
        return padded(w, 32);
      case 1: // one string claiming 1 GiB
        w = body();
        w.writeVarInt(1);
        w.writeVarInt(Integer.MAX_VALUE - 1);
        return padded(w, 32);
      case 2: // a varint of 6 bytes
        w = body();
        for (int i = 0; i < 5; i++) w.writeByte(0xFF);
        w.writeByte(0x01);
        return padded(w, 32);
      case 3: // a resource count far beyond the bytes left
        w = body();
        w.writeVarInt(0);
        w.writeVarInt(1 << 30);
        return padded(w, 32);
      case 4: // a span count far beyond the bytes left
        w = tables();
        w.writeVarInt(1 << 30);
        return padded(w, 32);
      case 5: // the body says 2 spans, the header 1
        w = tables();
        w.writeVarInt(2);
        return padded(w, 64);
      case 6: // a tag count far beyond the bytes left
        w = oneSpan(7, P_ROOT, 0);
        w.writeVarInt(Integer.MAX_VALUE);
        return padded(w, 16);
      case 7: // arrays nested 10,000 deep
        w = oneSpan(7, P_ROOT, 0);
        w.writeVarInt(1);
        w.writeVarInt(T_ARRAY);
        for (int i = 0; i < 10_000; i++) {
          w.writeVarInt(1);
          w.writeByte(T_ARRAY);
        }
        return framed(w);
      case 8: // an unknown tag value type
        w = oneSpan(7, P_ROOT, 0);
        w.writeVarInt(1);
        w.writeVarInt(7);
        return padded(w, 16);
      case 9: // a parent reference to itself (not an earlier span)
        w = oneSpan(7, P_INDEX_BASE, 0);
        w.writeVarInt(0);
        return padded(w, 16);
      case 10: // a string reference out of range
        w = tables();
        w.writeVarInt(1);
        w.writeLongBE(7);
        w.writeVarInt(P_ROOT);
        w.writeVarInt(0);
        w.writeVarInt(1_000_000);
        return padded(w, 32);
      case 11: // trailing bytes after the last span
        w = oneSpan(7, P_ROOT, 0);
        w.writeVarInt(0);
        return padded(w, 16);
      case 12: // span id zero
        w = oneSpan(0, P_ROOT, 0);
        w.writeVarInt(0);
        return framed(w);
      case 13: // unknown span flag bits
        w = oneSpan(7, P_ROOT, 1 << 20);
        w.writeVarInt(0);
        return padded(w, 16);
      case 14: // kind ordinal out of range
        w = oneSpan(7, P_ROOT, 7);
        w.writeVarInt(0);
        return padded(w, 16);
      case 15: // zero trace id
        w = new BodyWriter(64, 1 << 20);
        w.writeLongBE(0);
        w.writeLongBE(0);
        w.writeVarLong(MIN_START);
        return padded(w, 32);
      case 16: // a log count far beyond the bytes left
        w = oneSpan(7, P_ROOT, F_LOGS);
        w.writeVarInt(0);
        w.writeVarInt(Integer.MAX_VALUE);
        return padded(w, 16);
      case 17: // a link count far beyond the bytes left
        w = oneSpan(7, P_ROOT, F_LINKS);
        w.writeVarInt(0);
        w.writeVarInt(1 << 20);
        return padded(w, 64);
      case 18: // a duration varint beyond 64 bits
        w = tables();
        w.writeVarInt(1);
        w.writeLongBE(7);
        w.writeVarInt(P_ROOT);
        w.writeVarInt(0);
        w.writeVarInt(0);
        w.writeVarInt(0);
        w.writeVarLong(0);
        for (int i = 0; i < 9; i++) w.writeByte(0xFF);
        w.writeByte(0x7F);
        return padded(w, 16);
      case 19: // spans end after the header's max end
        w = oneSpan(7, P_ROOT, 0);
        w.writeVarInt(0);
        byte[] b = Arrays.copyOf(w.array(), w.length());
        return frame(VERSION_1, b, 1, MIN_START, MIN_START + 4);
      case 20: // an origin reference out of range
        w = tables();
        w.writeVarInt(1);
        w.writeLongBE(7);
        for (int i = 0; i < 4; i++) w.writeVarInt(0);
        w.writeVarLong(0);
        w.writeVarLong(5);
        w.writeVarInt(3);
        w.writeVarInt(0);
        return padded(w, 16);
      case 22: // a well-known string index beyond the table
        w = body();
        w.writeVarInt(1);
        w.writeVarInt((100_000 << 1) | 1);
        return padded(w, 32);
      case 23: // an origin count far beyond the bytes left
        w = body();
        w.writeVarInt(0);
        w.writeVarInt(0);
        w.writeVarInt(1 << 30);
        return padded(w, 32);
      case 24: // an origin whose resource reference is out of range
        w = body();
        w.writeVarInt(1);
        w.writeVarInt(1); // well-known string 0, ""
        w.writeVarInt(0);
        w.writeVarInt(1);
        w.writeVarInt(0);
        w.writeVarInt(0);
        w.writeVarInt(5);
        return padded(w, 32);
      default: // a min start that differs from the header's
        w = new BodyWriter(64, 1 << 20);
        w.writeLongBE(1);
        w.writeLongBE(2);
        w.writeVarLong(MIN_START + 1);
        return padded(w, 32);
    }
  }

  @ParameterizedTest
  @MethodSource("hostileBodyCases")
  void hostileVersion1BodiesFailInTheParser(int c) {
    CorruptChunkException e = assertCorrupt(hostileBody(c));
    assertThat(e.getMessage()).contains("body offset");
  }

  @Test
  void deepNestingNamesTheDepth() {
    assertThat(assertCorrupt(hostileBody(7))).hasMessageContaining("nest deeper than 16");
  }

  // ---- garbage

  @Test
  void randomGarbage() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 3_000; i++) {
      byte[] garbage = new byte[random.nextInt(0, 4096)];
      random.nextBytes(garbage);
      if (i % 2 == 1 && garbage.length >= HEADER_LENGTH) {
        // A well-framed header around a garbage block, so LZ4 and the parser see the garbage.
        INT.set(garbage, OFF_MAGIC, MAGIC);
        garbage[OFF_VERSION] = (byte) VERSION;
        garbage[OFF_FLAGS] = 0;
        int clen = garbage.length - HEADER_LENGTH;
        INT.set(garbage, OFF_COMPRESSED, clen);
        INT.set(garbage, OFF_UNCOMPRESSED, random.nextInt(1, Math.max(2, clen * 4)));
        INT.set(garbage, OFF_SPAN_COUNT, 1);
        LONG.set(garbage, OFF_MIN_START, 0L);
        LONG.set(garbage, OFF_MAX_END, Long.MAX_VALUE);
        reseal(garbage);
      }
      assertCorrupt(garbage);
    }
  }

  @Test
  void garbageBodiesBehindValidLz4AndChecksum() {
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 4_000; i++) {
      byte[] body = new byte[random.nextInt(40, 2048)];
      random.nextBytes(body);
      assertCorrupt(frame(i % 2 == 0 ? VERSION : VERSION_1, body, 1, 0, 100));
    }
  }

  // ---- hostile format-2 bodies

  /** A format-2 body writer already holding trace id (1, 2); format 2 has no min start here. */
  private static BodyWriter body2() {
    BodyWriter w = new BodyWriter(64, 1 << 20);
    w.writeLongBE(1);
    w.writeLongBE(2);
    return w;
  }

  /**
   * A well-formed one-span format-2 body: strings ["svc"], one empty resource, one origin, one
   * empty tag layout, one root span of duration 5 with no tags; {@code edit} may change any column
   * before the body is assembled.
   */
  private static byte[] v2Body(int[] lengthDelta, Consumer<BodyWriter[]> edit) {
    BodyWriter w = body2();
    w.writeVarInt(1);
    w.writeVarInt((3 << S_KIND_BITS) | S_LITERAL);
    w.writeBytes("svc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    w.writeVarInt(1); // resources
    w.writeVarInt(1); // origins
    w.writeVarInt(1); // layouts
    w.writeVarInt(1); // spans
    BodyWriter[] c = new BodyWriter[COLUMNS];
    for (int i = 0; i < COLUMNS; i++) c[i] = new BodyWriter(64, 1 << 20);
    c[C_KEYS].writeVarInt(0); // the layout has no tags
    c[C_KEYS].writeVarInt(0); // the resource: layout 0
    c[C_KEYS].writeVarInt(0); // and an empty repeat mask
    for (int i = 0; i < 3; i++) c[C_SHAPES].writeVarInt(0); // origin: "svc", "svc", resource 0
    c[C_IDS].writeLongBE(7);
    c[C_PARENTS].writeVarInt(P_ROOT);
    // flags, name, service, origin, layout, repeat mask
    for (int i = 0; i < 6; i++) c[C_SHAPES].writeVarInt(0);
    c[C_STARTS].writeVarLong(0);
    c[C_DURATIONS].writeVarLong(5);
    edit.accept(c);
    w.writeVarInt(0); // no padding
    for (int i = 0; i < COLUMNS - 1; i++) w.writeVarInt(c[i].length() + lengthDelta[i]);
    for (BodyWriter col : c) w.writeBytes(col.array(), col.length());
    return Arrays.copyOf(w.array(), w.length());
  }

  private static BodyWriter keys(int... varints) {
    BodyWriter w = new BodyWriter(64, 1 << 20);
    for (int v : varints) w.writeVarInt(v);
    return w;
  }

  private static byte[] raw(BodyWriter w, int pad) {
    for (int i = 0; i < pad; i++) w.writeByte(0);
    return Arrays.copyOf(w.array(), w.length());
  }

  private static byte[] v2Framed(byte[] body) {
    return frame(VERSION, body, 1, MIN_START, MIN_START + 5);
  }

  @Test
  void version2BodiesAreCheckedPerColumn() {
    int[] none = new int[COLUMNS];
    // The reference body itself decodes (so each case below fails for its own reason).
    assertThat(ChunkDecoder.decode(v2Framed(v2Body(none, c -> {})))).hasSize(1);

    int[] tooLong = new int[COLUMNS];
    tooLong[C_IDS] = 1 << 30;
    assertThat(assertCorrupt(v2Framed(v2Body(tooLong, c -> {}))))
        .hasMessageContaining("column lengths and padding add up to");
    int[] shifted = new int[COLUMNS];
    shifted[C_IDS] = 1; // the ids column swallows the parents' first byte
    assertCorrupt(v2Framed(v2Body(shifted, c -> {})));
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_NUMBERS].writeVarInt(3)))))
        .hasMessageContaining("trailing bytes in the numbers column");
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_EVENTS].writeVarInt(3)))))
        .hasMessageContaining("trailing bytes in the events column");
    // A layout tag count the keys column cannot hold, though the body as a whole could.
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> {
      c[C_KEYS] = keys(5);
      c[C_EVENTS].writeBytes(new byte[64]);
    })))).hasMessageContaining("layout tag count 5 cannot fit");
    // A layout with a string tag, but the value column is empty.
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_KEYS] = keys(1, T_STRING, 0, 0)))))
        .hasMessageContaining("truncated varint for tag value");
    // A layout with an unknown type, or a key beyond the string table.
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_KEYS] = keys(1, 7)))))
        .hasMessageContaining("unknown tag value type 7");
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_KEYS] = keys(1, 1 << TYPE_BITS)))))
        .hasMessageContaining("layout key refers to string 1 of 1");
    // A span naming a layout that does not exist.
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> {
      c[C_SHAPES] = new BodyWriter(64, 1 << 20);
      for (int i = 0; i < 7; i++) c[C_SHAPES].writeVarInt(0);
      c[C_SHAPES].writeVarInt(1);
    })))).hasMessageContaining("layout reference 1 of 1");
    // A repeat mask with a bit beyond the layout's tags.
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> {
      c[C_SHAPES] = new BodyWriter(64, 1 << 20);
      for (int i = 0; i < 8; i++) c[C_SHAPES].writeVarInt(0);
      c[C_SHAPES].writeVarInt(1);
    })))).hasMessageContaining("repeat mask 0x1 for a layout of 0 tags");
    // A repeat mask on the first use of a layout (there is nothing to repeat).
    assertThat(assertCorrupt(v2Framed(v2Body(none, c -> c[C_KEYS] = keys(0, 0, 1)))))
        .hasMessageContaining("repeat mask 0x1 for a layout of 0 tags used for the first time");
  }

  /**
   * Boolean and repeated tags cost no body byte, so a small body could name a layout of many tags
   * from many resources and spans; the decoder makes at most one layout tag per body byte.
   */
  @Test
  void layoutsCannotExpandASmallBodyIntoManyTags() {
    BodyWriter w = body2();
    w.writeVarInt(1);
    w.writeVarInt((3 << S_KIND_BITS) | S_LITERAL);
    w.writeBytes("svc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int count : new int[] {50, 1, 1, 1}) w.writeVarInt(count); // resources, origins, ...
    BodyWriter[] c = new BodyWriter[COLUMNS];
    for (int i = 0; i < COLUMNS; i++) c[i] = new BodyWriter(64, 1 << 20);
    c[C_KEYS].writeVarInt(100); // one layout of 100 booleans
    for (int i = 0; i < 100; i++) c[C_KEYS].writeVarInt(T_TRUE);
    for (int i = 0; i < 50; i++) {
      c[C_KEYS].writeVarInt(0); // 50 resources with that layout: 2 bytes each, 100 tags each
      c[C_KEYS].writeVarInt(0);
    }
    for (int i = 0; i < 3 + 6; i++) c[C_SHAPES].writeVarInt(0); // the origin, then the span
    c[C_IDS].writeLongBE(7);
    c[C_PARENTS].writeVarInt(P_ROOT);
    c[C_STARTS].writeVarLong(0);
    c[C_DURATIONS].writeVarLong(5);
    w.writeVarInt(0);
    for (int i = 0; i < COLUMNS - 1; i++) w.writeVarInt(c[i].length());
    for (BodyWriter col : c) w.writeBytes(col.array(), col.length());
    byte[] body = Arrays.copyOf(w.array(), w.length());
    assertThat(body.length).isLessThan(400);
    assertThat(assertCorrupt(v2Framed(body)))
        .hasMessageContaining("more tags than the body has bytes");
    // Non-zero padding is rejected too: there is one way to write a chunk.
    byte[] padded = v2Body(new int[COLUMNS], x -> {});
    int paddingAt = indexOfPaddingVarint(padded);
    padded[paddingAt] = 1;
    byte[] withByte = Arrays.copyOf(padded, padded.length + 1);
    withByte[padded.length] = 9;
    assertThat(assertCorrupt(v2Framed(withByte))).hasMessageContaining("non-zero padding byte");
  }

  /** In {@link #v2Body}: trace id 16, string count 1, entry 1, "svc" 3, four counts. */
  private static int indexOfPaddingVarint(byte[] v2Body) {
    return 16 + 1 + 1 + 3 + 4;
  }

  @Test
  void version2StringEntriesAreChecked() {
    // Well-known index beyond the table.
    BodyWriter w = body2();
    w.writeVarInt(1);
    w.writeVarInt((WellKnownStrings.TABLE.length << S_KIND_BITS) | S_KNOWN);
    assertThat(assertCorrupt(v2Framed(raw(w, 32))))
        .hasMessageContaining("unknown string " + WellKnownStrings.TABLE.length)
        .hasMessageContaining("0 in the chunk's dictionary");
    // A UUID entry with a payload in its varint, and a truncated UUID.
    w = body2();
    w.writeVarInt(1);
    w.writeVarInt((1 << S_KIND_BITS) | S_UUID);
    assertThat(assertCorrupt(v2Framed(raw(w, 32)))).hasMessageContaining("invalid UUID entry");
    w = body2();
    w.writeVarInt(1);
    w.writeVarInt(S_UUID);
    w.writeLongBE(1);
    assertThat(assertCorrupt(v2Framed(Arrays.copyOf(w.array(), w.length()))))
        .hasMessageContaining("truncated UUID");
    // A prefixed entry first (there is no previous literal), and one sharing more than it has.
    w = body2();
    w.writeVarInt(1);
    w.writeVarInt((1 << S_KIND_BITS) | S_PREFIXED);
    w.writeVarInt(3);
    assertThat(assertCorrupt(v2Framed(raw(w, 32))))
        .hasMessageContaining("shared prefix of 3 bytes, but the previous entry has 0");
    w = body2();
    w.writeVarInt(2);
    w.writeVarInt((3 << S_KIND_BITS) | S_LITERAL);
    w.writeBytes("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    w.writeVarInt((1 << S_KIND_BITS) | S_PREFIXED);
    w.writeVarInt(4);
    assertThat(assertCorrupt(v2Framed(raw(w, 32))))
        .hasMessageContaining("shared prefix of 4 bytes, but the previous entry has 3");
    // A suffix longer than the body.
    w = body2();
    w.writeVarInt(2);
    w.writeVarInt((3 << S_KIND_BITS) | S_LITERAL);
    w.writeBytes("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    w.writeVarInt((1_000_000 << S_KIND_BITS) | S_PREFIXED);
    w.writeVarInt(3);
    assertThat(assertCorrupt(v2Framed(raw(w, 32)))).hasMessageContaining("cannot fit");
  }

  @Test
  void version1DoesNotKnowTheWellKnownStringsAddedLater() {
    BodyWriter w = body();
    w.writeVarInt(1);
    w.writeVarInt((WellKnownStrings.V1_SIZE << 1) | 1);
    assertThat(assertCorrupt(padded(w, 32))).hasMessageContaining("format 1 knows 301");
  }
}
