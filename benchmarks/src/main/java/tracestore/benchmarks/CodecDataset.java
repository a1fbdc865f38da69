package tracestore.benchmarks;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jpountz.lz4.LZ4Factory;
import tracestore.storage.Chunk;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;
import tracestore.storage.WriteBatches;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.codec.ChunkHeader;
import tracestore.storage.codec.StringDictionary;
import tracestore.storage.model.Span;

/**
 * One fixed set of realistic traces (seed {@value #SEED}, exactly {@value #SPANS} spans), with every
 * encoding of it precomputed. The benchmark and the report build it the same way, so the byte
 * counts and the timings describe the same spans.
 */
public final class CodecDataset {
  public static final long SEED = 20261125L;
  public static final int SPANS = 20_000;
  /** zstd level for the compressor reference: zstd's default. */
  public static final int ZSTD_LEVEL = 3;
  /** Our format-3 chunk header; the zstd variant keeps it, only the compressor changes. */
  static final int HEADER = 46;

  /** Spans of the same generator, before the measured ones, that the dictionary is trained on. */
  public static final int TRAINING_SPANS = 20_000;

  final List<List<Span>> traces;
  /** Format 3: chunks that reference {@link #dictionary}. */
  final byte[][] ours;
  /** Format 2: the same traces without a dictionary. */
  final byte[][] oursNoDictionary;
  final StringDictionary dictionary;
  final ChunkDictionaries dictionaries;
  /** Our uncompressed bodies, the input of the LZ4-versus-zstd comparison. */
  final byte[][] bodies;
  final byte[][] lz4Bodies;
  final byte[][] zstdBodies;
  final byte[][] json;
  final byte[][] jsonLz4;
  final byte[][] otlp;
  final byte[][] otlpLz4;

  private CodecDataset(List<List<Span>> traces, StringDictionary dictionary) {
    this.traces = traces;
    this.dictionary = dictionary;
    this.dictionaries = new ChunkDictionaries(
        id -> id == dictionary.id() ? dictionary.stored().payload() : null);
    int n = traces.size();
    ours = new byte[n][];
    oursNoDictionary = new byte[n][];
    bodies = new byte[n][];
    lz4Bodies = new byte[n][];
    zstdBodies = new byte[n][];
    json = new byte[n][];
    jsonLz4 = new byte[n][];
    otlp = new byte[n][];
    otlpLz4 = new byte[n][];
    ChunkEncoder encoder = new ChunkEncoder();
    JacksonSpans jackson = new JacksonSpans();
    for (int i = 0; i < n; i++) {
      List<Span> trace = traces.get(i);
      Chunk chunk = encoder.encode(trace.get(0).traceId(), trace, dictionary);
      ours[i] = chunk.payload();
      oursNoDictionary[i] = encoder.encode(trace.get(0).traceId(), trace).payload();
      bodies[i] = body(chunk.payload());
      lz4Bodies[i] = LZ4Factory.fastestInstance().fastCompressor().compress(bodies[i]);
      zstdBodies[i] = Zstd.compress(bodies[i], ZSTD_LEVEL);
      json[i] = jackson.encode(trace);
      jsonLz4[i] = Lz4Blocks.compress(json[i]);
      otlp[i] = OtlpSpans.encode(trace);
      otlpLz4[i] = Lz4Blocks.compress(otlp[i]);
    }
  }

  /**
   * One generator (seed {@value #SEED}, so one fleet: the same services, pods, instance ids): its
   * first {@value #TRAINING_SPANS} spans train the dictionary through {@link WriteBatches} exactly
   * as ingest would (batches of about 1,000 spans, every trace sampled), and the next {@value
   * #SPANS} spans, disjoint from them, are measured.
   */
  public static CodecDataset create() {
    RealisticTraces generator = new RealisticTraces(SEED);
    StringDictionary dictionary = train(generator.traces(TRAINING_SPANS));
    return new CodecDataset(generator.traces(SPANS), dictionary);
  }

  /** The dictionary {@link WriteBatches} adopts after seeing {@code training}. */
  static StringDictionary train(List<List<Span>> training) {
    WriteBatches batches = WriteBatches.create(IndexPolicy.defaults(), trainingPolicy());
    List<Span> batch = new ArrayList<>();
    for (List<Span> trace : training) {
      batch.addAll(trace);
      if (batch.size() >= 1_000) {
        batches.toBatch(batch);
        batch.clear();
      }
    }
    batches.toBatch(batch);
    StringDictionary d = batches.dictionary();
    if (d == null) throw new IllegalStateException("no dictionary after " + training.size() + " traces");
    return d;
  }

  /** The defaults, but every trace sampled and the first build after the training spans. */
  static DictionaryPolicy trainingPolicy() {
    return DictionaryPolicy.defaults().toBuilder()
        .sampleOneIn(1)
        .firstAfterSpans(TRAINING_SPANS)
        .build();
  }

  /** Our body, recovered from a chunk (the codec keeps it internal). */
  static byte[] body(byte[] payload) {
    ChunkHeader h = ChunkDecoder.readHeader(payload);
    byte[] body = new byte[h.uncompressedLength()];
    LZ4Factory.fastestInstance()
        .safeDecompressor()
        .decompress(payload, h.headerLength(), h.compressedLength(), body, 0, body.length);
    return body;
  }

  public int traceCount() {
    return traces.size();
  }

  public int spanCount() {
    int n = 0;
    for (List<Span> t : traces) n += t.size();
    return n;
  }

  private static long total(byte[][] all, int extraPerItem) {
    long n = 0;
    for (byte[] b : all) n += b.length + extraPerItem;
    return n;
  }

  /** Bytes per span of each encoding, in table order. */
  public Map<String, Double> bytesPerSpan() {
    double spans = spanCount();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("ours (chunk, LZ4)", total(ours, 0) / spans);
    m.put("ours + dictionary amortized", (total(ours, 0) + dictionary.payloadBytes()) / spans);
    m.put("ours, format 2 (no dictionary)", total(oursNoDictionary, 0) / spans);
    m.put("ours, body only (uncompressed)", total(bodies, 0) / spans);
    m.put("ours, body + zstd-" + ZSTD_LEVEL + " (+ header)", total(zstdBodies, HEADER) / spans);
    m.put("JSON", total(json, 0) / spans);
    m.put("JSON + LZ4", total(jsonLz4, 0) / spans);
    m.put("OTLP protobuf", total(otlp, 0) / spans);
    m.put("OTLP protobuf + LZ4", total(otlpLz4, 0) / spans);
    return m;
  }

  /** Spans per trace: min, mean, max, for the report. */
  public String traceShape() {
    List<Integer> sizes = new ArrayList<>();
    for (List<Span> t : traces) sizes.add(t.size());
    int min = sizes.stream().mapToInt(Integer::intValue).min().orElse(0);
    int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    long tags = 0;
    for (List<Span> t : traces) for (Span s : t) tags += s.tags().size();
    return String.format("%d traces, %d spans (%d-%d per trace, mean %.1f), %.1f tags per span",
        traces.size(), spanCount(), min, max, spanCount() / (double) traces.size(),
        tags / (double) spanCount());
  }
}
