package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tracestore.storage.Chunk;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

class ChunkRoundTripTest {
  /** One encoder for the whole class: reuse across chunks of every size is part of what is tested. */
  private final ChunkEncoder encoder = new ChunkEncoder();

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  private static List<Span> canonical(List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(ChunkEncoder.CANONICAL);
    return sorted;
  }

  private Chunk roundTrip(TraceId traceId, List<Span> spans) {
    Chunk chunk = encoder.encode(traceId, spans);
    assertThat(ChunkDecoder.decode(chunk.payload())).isEqualTo(canonical(spans));
    assertThat(chunk.traceId()).isEqualTo(traceId);
    assertThat(chunk.spanCount()).isEqualTo(spans.size());
    return chunk;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomSpansRoundTripExactly(long seed) {
    RandomSpans random = new RandomSpans(seed);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 1 + random.nextInt(60));
    Chunk chunk = roundTrip(traceId, spans);

    ChunkHeader header = ChunkDecoder.readHeader(chunk.payload());
    List<Span> decoded = ChunkDecoder.decode(chunk.payload());
    assertThat(header.formatVersion()).isEqualTo(2);
    assertThat(header.spanCount()).isEqualTo(decoded.size()).isEqualTo(chunk.spanCount());
    long minStart = decoded.stream().mapToLong(Span::startEpochNanos).min().orElseThrow();
    long maxEnd = decoded.stream().mapToLong(ChunkEncoder::endOf).max().orElseThrow();
    assertThat(header.minStartEpochNanos()).isEqualTo(minStart).isEqualTo(chunk.minStartEpochNanos());
    assertThat(header.maxEndEpochNanos()).isEqualTo(maxEnd).isEqualTo(chunk.maxEndEpochNanos());
    assertThat(header.compressedLength() + 38).isEqualTo(chunk.payload().length);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void replayInAnotherOrderGivesTheSameBytesAndId(long seed) {
    RandomSpans random = new RandomSpans(seed);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 1 + random.nextInt(40));
    Chunk first = encoder.encode(traceId, spans);
    List<Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, new Random(seed));
    Chunk replay = encoder.encode(traceId, shuffled);
    assertThat(replay.chunkId()).isEqualTo(first.chunkId());
    assertThat(replay.payload()).isEqualTo(first.payload());
  }

  @Test
  void differentContentGivesDifferentIds() {
    RandomSpans random = new RandomSpans(7);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 10);
    List<Span> shifted = new ArrayList<>();
    for (Span s : spans) shifted.add(s.toBuilder().startEpochNanos(s.startEpochNanos() + 1).build());
    List<Span> fewer = spans.subList(0, 9);
    long id = encoder.encode(traceId, spans).chunkId();
    assertThat(encoder.encode(traceId, shifted).chunkId()).isNotEqualTo(id);
    assertThat(encoder.encode(traceId, fewer).chunkId()).isNotEqualTo(id);
  }

  private static Span.Builder span(TraceId traceId, long spanId) {
    return Span.newBuilder()
        .traceId(traceId)
        .spanId(spanId)
        .service("svc")
        .startEpochNanos(1_700_000_000_000_000_000L);
  }

  @Test
  void edgeValuesRoundTrip() {
    TraceId id64 = new TraceId(0, -1L); // a 64-bit id, low half all ones
    List<TagValue> nested = List.of(TagValue.of(1L));
    for (int i = 1; i < ChunkFormat.MAX_ARRAY_DEPTH; i++) nested = List.of(TagValue.of(nested));
    Span edge =
        span(id64, Long.MIN_VALUE)
            .parentSpanId(-1L)
            .name("")
            .service("サービス 🚀")
            .kind(SpanKind.CONSUMER)
            .startEpochNanos(0)
            .durationNanos(Long.MAX_VALUE)
            .status(StatusCode.ERROR, "ошибка: \u0000 nul")
            .remoteService("db")
            .addTag(new Tag("nan", TagValue.of(Double.NaN)))
            .addTag(new Tag("inf", TagValue.of(Double.POSITIVE_INFINITY)))
            .addTag(new Tag("-inf", TagValue.of(Double.NEGATIVE_INFINITY)))
            .addTag(new Tag("-0", TagValue.of(-0.0)))
            .addTag(new Tag("min", TagValue.of(Long.MIN_VALUE)))
            .addTag(new Tag("max", TagValue.of(Long.MAX_VALUE)))
            .addTag(new Tag("empty", TagValue.of("")))
            .addTag(new Tag("emptyArray", TagValue.of(List.of())))
            .addTag(new Tag("deep", TagValue.of(nested)))
            .addTag(new Tag("dup", TagValue.of(true)))
            .addTag(new Tag("dup", TagValue.of(false)))
            .addLog(new SpanLog(Long.MIN_VALUE, "", List.of()))
            .addLog(new SpanLog(Long.MAX_VALUE, "later", List.of(Tag.of("", ""))))
            .addResource(Tag.of("host.name", "h1"))
            .scope("io.opentelemetry.jdbc", "")
            .build();
    Span bare = span(id64, 5).build(); // no tags, logs, links, resource or scope
    roundTrip(id64, List.of(edge, bare));
    Chunk chunk = encoder.encode(id64, List.of(edge, bare));
    assertThat(chunk.maxEndEpochNanos()).isEqualTo(Long.MAX_VALUE); // the largest end there is
  }

  @Test
  void duplicatesAndParentsInAnyPositionSurvive() {
    TraceId traceId = new TraceId(1, 2);
    Span parent = span(traceId, 10).startEpochNanos(2000).build();
    Span child = span(traceId, 11).parentSpanId(10).startEpochNanos(1000).build(); // before parent
    Span grandchild = span(traceId, 12).parentSpanId(11).startEpochNanos(3000).build();
    Span orphan = span(traceId, 13).parentSpanId(99).startEpochNanos(3000).build();
    roundTrip(traceId, List.of(parent, child, grandchild, orphan, grandchild, parent));
  }

  @Test
  void largeCountsRoundTrip() {
    RandomSpans random = new RandomSpans(42);
    TraceId traceId = random.traceId();
    roundTrip(traceId, random.trace(traceId, 10_000));

    Span.Builder wide = span(traceId, 1);
    for (int i = 0; i < 2_000; i++) wide.addTag(Tag.of("k" + i, random.string()));
    wide.addTag(Tag.of("long", "x".repeat(200_000) + "é"));
    List<TagValue> big = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) big.add(TagValue.of(i));
    wide.addTag(new Tag("big", TagValue.of(big)));
    roundTrip(traceId, List.of(wide.build()));

    // The encoder shrank its buffers after the large chunks and still works for small ones.
    List<Span> small = random.trace(traceId, 3);
    roundTrip(traceId, small);
  }

  @Test
  void decodeChecksTheExpectedTraceId() {
    TraceId traceId = new TraceId(3, 4);
    Chunk chunk = encoder.encode(traceId, List.of(span(traceId, 1).build()));
    assertThat(ChunkDecoder.decode(chunk.payload(), traceId)).hasSize(1);
    assertThatThrownBy(() -> ChunkDecoder.decode(chunk.payload(), new TraceId(3, 5)))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("not the expected 00000000000000030000000000000005");
  }

  @Test
  void unpairedSurrogatesBecomeReplacementCharacters() {
    TraceId traceId = new TraceId(0, 9);
    Span s = span(traceId, 1).name("a\uD800b").addTag(Tag.of("k", "\uDC00")).build();
    Span decoded = ChunkDecoder.decode(encoder.encode(traceId, List.of(s)).payload()).get(0);
    assertThat(decoded.name()).isEqualTo("a\uFFFDb");
    assertThat(decoded.tag("k").asString()).isEqualTo("\uFFFD");
  }

  /** Chunks written by format version 1 (the fixture predates version 2) still decode exactly. */
  @Test
  void version1ChunksStillDecode() {
    List<String> lines = PinnedChunk.lines("/codec/v1-chunks.txt");
    assertThat(lines).hasSize(8);
    for (String line : lines) {
      PinnedChunk pinned = PinnedChunk.parse(line);
      TraceId traceId = pinned.traceId();
      List<Span> spans = pinned.spans();
      byte[] payload = pinned.payload();
      assertThat(ChunkDecoder.readHeader(payload).formatVersion()).isEqualTo(1);
      assertThat(ChunkDecoder.decode(payload, traceId)).isEqualTo(canonical(spans));
      // Re-encoding writes format 2, with the same spans.
      byte[] again = encoder.encode(traceId, spans).payload();
      assertThat(ChunkDecoder.readHeader(again).formatVersion()).isEqualTo(2);
      assertThat(ChunkDecoder.decode(again)).isEqualTo(canonical(spans));
    }
  }

  /** Repeat masks: values equal to the previous span of the same layout are not stored again. */
  @Test
  void repeatedValuesOfALayoutRoundTrip() {
    TraceId traceId = new TraceId(0, 12);
    List<Span> spans = new ArrayList<>();
    List<TagValue> values = List.of(TagValue.of("GET"), TagValue.of(8080L), TagValue.of(0.5),
        TagValue.of(true), TagValue.of(List.of(TagValue.of("a"))), TagValue.of(Double.NaN));
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      Span.Builder b = span(traceId, i + 1).startEpochNanos(1_000L + i);
      // The same keys and types in every span; each value repeats or changes at random.
      b.addTag(Tag.of("s", random.nextBoolean() ? "GET" : "v" + random.nextInt(3)));
      b.addTag(Tag.of("l", random.nextBoolean() ? 8080L : random.nextInt(3)));
      b.addTag(new Tag("d", random.nextBoolean() ? values.get(2) : TagValue.of(random.nextInt(2) * 1.0)));
      b.addTag(Tag.of("b", random.nextBoolean()));
      b.addTag(new Tag("a", random.nextBoolean() ? values.get(4) : TagValue.of(List.of())));
      b.addTag(new Tag("nan", TagValue.of(Double.longBitsToDouble(0x7ff8000000000000L + random.nextInt(2)))));
      for (int k = 0; k < 70; k++) b.addTag(Tag.of("wide" + k, (long) random.nextInt(2))); // > 63 tags
      spans.add(b.build());
    }
    roundTrip(traceId, spans);
  }

  /** Many free tags (booleans) per span: the encoder pads the body so the decoder's budget holds. */
  @Test
  void spansWithThousandsOfBooleanTagsRoundTrip() {
    TraceId traceId = new TraceId(0, 13);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Span.Builder b = span(traceId, i + 1).startEpochNanos(1_000L + i);
      for (int k = 0; k < 200; k++) b.addTag(Tag.of("flag" + k, (i + k) % 3 == 0));
      spans.add(b.build());
    }
    Chunk chunk = roundTrip(traceId, spans);
    ChunkHeader header = ChunkDecoder.readHeader(chunk.payload());
    assertThat(header.uncompressedLength()).isGreaterThanOrEqualTo(300 * 200);
    assertThat(chunk.payload().length).isLessThan(300 * 200 / 4); // the padding compresses away
  }

  @Test
  void uuidsAndSharedPrefixesRoundTripExactly() {
    TraceId traceId = new TraceId(0, 11);
    List<String> values = List.of(
        "8537b614-0209-f7c0-ecbd-86c2540e7718", // packed as 16 bytes
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "8537B614-0209-F7C0-ECBD-86C2540E7718", // upper case: not canonical, kept as text
        "8537b614-0209-f7c0-ecbd-86c2540e771", // 35 characters
        "8537b614-0209-f7c0-ecbd-86c2540e77181",
        "8537b614x0209-f7c0-ecbd-86c2540e7718",
        "8537b614-0209-f7c0-ecbd-86c2540e771g",
        "http-nio-8080-exec-1", "http-nio-8080-exec-10", "http-nio-8080-exec-2", // shared prefixes
        "héllo wörld", "héllo wörld 2", "héllo w", "hé", "héé", "🚀🚀", "🚀🚀x", "🚀🚁");
    Span.Builder b = span(traceId, 1);
    for (int i = 0; i < values.size(); i++) b.addTag(Tag.of("k" + i, values.get(i)));
    roundTrip(traceId, List.of(b.build()));
    for (String v : values.subList(0, 3)) {
      assertThat(Uuids.isCanonical(v)).isTrue();
      assertThat(Uuids.format(Uuids.high(v), Uuids.low(v))).isEqualTo(v);
    }
    for (String v : values.subList(3, 8)) assertThat(Uuids.isCanonical(v)).isFalse();
  }

  @Test
  void rejectsBadInputBeforeEncoding() {
    TraceId traceId = new TraceId(0, 9);
    Span other = span(new TraceId(0, 8), 1).build();
    assertThatThrownBy(() -> encoder.encode(traceId, List.of(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to trace");
    assertThatThrownBy(() -> encoder.encode(traceId, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    List<TagValue> tooDeep = List.of();
    for (int i = 0; i < ChunkFormat.MAX_ARRAY_DEPTH; i++) tooDeep = List.of(TagValue.of(tooDeep));
    Span deep = span(traceId, 1).addTag(new Tag("deep", TagValue.of(tooDeep))).build();
    assertThatThrownBy(() -> encoder.encode(traceId, List.of(deep)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nest deeper");
    // The failed call left no state behind.
    Span ok = span(traceId, 2).build();
    roundTrip(traceId, List.of(ok));
  }
}
