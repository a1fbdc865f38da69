package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tracestore.storage.Chunk;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/** Chunks that reference a dictionary (format 3), and the cache that resolves it. */
class ChunkFormat3Test {
  private final ChunkEncoder encoder = new ChunkEncoder();

  /** Every non-well-known name, service and string tag of {@code spans}, as a dictionary. */
  static StringDictionary dictionaryOf(List<Span> spans) {
    LinkedHashSet<String> strings = new LinkedHashSet<>();
    for (Span s : spans) {
      strings.add(s.name());
      strings.add(s.service());
      for (Tag t : s.tags()) {
        strings.add(t.key());
        if (t.value() instanceof TagValue.Str str) strings.add(str.value());
      }
    }
    List<String> list = new ArrayList<>();
    for (String s : strings) {
      if (s.isEmpty() || StringDictionary.isWellKnown(s) || s.length() > 1000) continue;
      if (s.chars().anyMatch(c -> Character.isSurrogate((char) c))) continue;
      list.add(s);
    }
    return StringDictionary.of(list);
  }

  static ChunkDictionaries holding(StringDictionary... ds) {
    return new ChunkDictionaries(id -> {
      for (StringDictionary d : ds) if (d.id() == id) return d.stored().payload();
      return null;
    });
  }

  static List<Span> canonical(List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(ChunkEncoder.CANONICAL);
    return sorted;
  }

  @Test
  void roundTripsThroughTheDictionaryAndIsSmaller() {
    long withBytes = 0;
    long withoutBytes = 0;
    for (long seed = 0; seed < 100; seed++) {
      RandomSpans random = new RandomSpans(seed);
      TraceId traceId = random.traceId();
      List<Span> spans = random.trace(traceId, 1 + random.nextInt(40));
      StringDictionary d = dictionaryOf(spans);
      Chunk with = encoder.encode(traceId, spans, d);
      Chunk without = encoder.encode(traceId, spans);
      ChunkHeader h = ChunkDecoder.readHeader(with.payload());
      assertThat(h.formatVersion()).isEqualTo(3);
      assertThat(h.dictionaryId()).isEqualTo(d.id());
      assertThat(h.headerLength()).isEqualTo(46);
      assertThat(ChunkDecoder.readHeader(without.payload()).dictionaryId()).isZero();
      assertThat(ChunkDecoder.decode(with.payload(), traceId, holding(d))).isEqualTo(canonical(spans));
      withBytes += with.payload().length;
      withoutBytes += without.payload().length;
      assertThat(with.spanCount()).isEqualTo(without.spanCount());
      // Deterministic: the same spans and dictionary, the same chunk id.
      assertThat(encoder.encode(traceId, canonical(spans), d).chunkId()).isEqualTo(with.chunkId());
    }
    // A one-span chunk of short strings may grow by the 8-byte id; overall, strings are saved
    // (random strings compress badly, so they are most of these chunks either way).
    assertThat(withBytes).isLessThan(withoutBytes);
  }

  @Test
  void aMissingDictionaryFailsClearlyWithoutLoadingTwiceWhenPresent() {
    RandomSpans random = new RandomSpans(5);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 10);
    StringDictionary d = dictionaryOf(spans);
    byte[] payload = encoder.encode(traceId, spans, d).payload();
    assertThatThrownBy(() -> ChunkDecoder.decode(payload))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("references dictionary " + Long.toHexString(d.id()))
        .hasMessageContaining("does not hold");
    AtomicInteger loads = new AtomicInteger();
    ChunkDictionaries cache = new ChunkDictionaries(id -> {
      loads.incrementAndGet();
      return id == d.id() ? d.stored().payload() : null;
    });
    for (int i = 0; i < 5; i++) assertThat(ChunkDecoder.decode(payload, traceId, cache)).hasSize(10);
    assertThat(loads).hasValue(1);
  }

  @Test
  void aDamagedStoredDictionaryIsReportedAsSuch() {
    RandomSpans random = new RandomSpans(6);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 10);
    StringDictionary d = dictionaryOf(spans);
    byte[] payload = encoder.encode(traceId, spans, d).payload();
    byte[] damaged = d.stored().payload().clone();
    damaged[damaged.length - 1] ^= 1;
    assertThatThrownBy(() -> ChunkDecoder.decode(payload, traceId, new ChunkDictionaries(id -> damaged)))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("corrupt dictionary " + Long.toHexString(d.id()));
  }

  @Test
  void aReferencePastTheDictionaryIsCorrupt() {
    RandomSpans random = new RandomSpans(7);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 10);
    StringDictionary big = dictionaryOf(spans);
    // A chunk written with a large dictionary, whose id a store maps to a one-string one (a
    // forged header): every reference past that string must be rejected, not wrap around.
    byte[] payload = encoder.encode(traceId, spans, big).payload();
    StringDictionary small = StringDictionary.of(List.of(big.get(0)));
    byte[] forged = payload.clone();
    ChunkFormat.LONG.set(forged, ChunkFormat.OFF_DICTIONARY, small.id());
    ChunkFormat.INT.set(forged, ChunkFormat.OFF_CHECKSUM_V3,
        ChunkFormat.checksum(ChunkFormat.hash32(), forged, 3, forged.length - 46));
    assertThatThrownBy(() -> ChunkDecoder.decode(forged, traceId, holding(small)))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("in the chunk's dictionary");
  }

  @Test
  void everyBitFlipAndTruncationOfAFormat3ChunkFails() {
    RandomSpans random = new RandomSpans(8);
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, 6);
    StringDictionary d = dictionaryOf(spans);
    byte[] p = encoder.encode(traceId, spans, d).payload();
    ChunkDictionaries dictionaries = holding(d);
    for (int n = 0; n < p.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(p, n);
      assertThatThrownBy(() -> ChunkDecoder.decode(cut, null, dictionaries))
          .isInstanceOf(CorruptChunkException.class);
    }
    for (int i = 0; i < p.length * 8; i++) {
      byte[] flipped = p.clone();
      flipped[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> ChunkDecoder.decode(flipped, null, dictionaries))
          .isInstanceOf(CorruptChunkException.class);
    }
  }

  @Test
  void theCacheIsBounded() {
    List<StringDictionary> ds = new ArrayList<>();
    for (int i = 0; i < 10; i++) ds.add(StringDictionary.of(List.of("s" + i)));
    AtomicInteger loads = new AtomicInteger();
    ChunkDictionaries cache = new ChunkDictionaries(id -> {
      loads.incrementAndGet();
      for (StringDictionary d : ds) if (d.id() == id) return d.stored().payload();
      return null;
    }, 3);
    for (StringDictionary d : ds) assertThat(cache.get(d.id()).get(0)).isEqualTo(d.get(0));
    assertThat(cache.cachedCount()).isEqualTo(3);
    assertThat(loads).hasValue(10);
    cache.get(ds.get(9).id()); // still cached
    assertThat(loads).hasValue(10);
    cache.get(ds.get(0).id()); // evicted long ago: loaded again
    assertThat(loads).hasValue(11);
    assertThatThrownBy(() -> new ChunkDictionaries(id -> null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Chunks written by format 2 (the fixture predates format 3) still decode exactly. */
  @Test
  void version2ChunksStillDecode() {
    List<String> lines = PinnedChunk.lines("/codec/v2-chunks.txt");
    assertThat(lines).hasSize(8);
    for (String line : lines) {
      PinnedChunk pinned = PinnedChunk.parse(line);
      TraceId traceId = pinned.traceId();
      List<Span> spans = pinned.spans();
      byte[] payload = pinned.payload();
      assertThat(ChunkDecoder.readHeader(payload).formatVersion()).isEqualTo(2);
      assertThat(ChunkDecoder.decode(payload, traceId)).isEqualTo(canonical(spans));
      // Without a dictionary the encoder still writes exactly these bytes.
      assertThat(encoder.encode(traceId, spans).payload()).isEqualTo(payload);
    }
  }

  /** Pinned format-3 chunks and their dictionary decode exactly. */
  @Test
  void version3ChunksDecodeThroughTheirPinnedDictionary() {
    List<String> lines = PinnedChunk.lines("/codec/v3-chunks.txt");
    assertThat(lines).hasSize(9);
    String[] head = lines.get(0).split(" ");
    long id = Long.parseUnsignedLong(head[1], 16);
    byte[] stored = Base64.getDecoder().decode(head[2]);
    StringDictionary d = StringDictionary.decode(id, stored);
    ChunkDictionaries dictionaries = new ChunkDictionaries(x -> x == id ? stored : null);
    for (String line : lines.subList(1, lines.size())) {
      PinnedChunk pinned = PinnedChunk.parse(line);
      TraceId traceId = pinned.traceId();
      List<Span> spans = pinned.spans();
      byte[] payload = pinned.payload();
      assertThat(ChunkDecoder.readHeader(payload).formatVersion()).isEqualTo(3);
      assertThat(ChunkDecoder.readHeader(payload).dictionaryId()).isEqualTo(id);
      assertThat(ChunkDecoder.decode(payload, traceId, dictionaries)).isEqualTo(canonical(spans));
      assertThat(encoder.encode(traceId, spans, d).payload()).isEqualTo(payload);
    }
  }
}
