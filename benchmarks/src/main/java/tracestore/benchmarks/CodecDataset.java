package tracestore.benchmarks;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jpountz.lz4.LZ4Factory;
import tracestore.storage.Chunk;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.codec.ChunkHeader;
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
  /** Our chunk header; the zstd variant keeps it, only the compressor changes. */
  static final int HEADER = 38;

  final List<List<Span>> traces;
  final byte[][] ours;
  /** Our uncompressed bodies, the input of the LZ4-versus-zstd comparison. */
  final byte[][] bodies;
  final byte[][] lz4Bodies;
  final byte[][] zstdBodies;
  final byte[][] json;
  final byte[][] jsonLz4;
  final byte[][] otlp;
  final byte[][] otlpLz4;

  private CodecDataset(List<List<Span>> traces) {
    this.traces = traces;
    int n = traces.size();
    ours = new byte[n][];
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
      Chunk chunk = encoder.encode(trace.get(0).traceId(), trace);
      ours[i] = chunk.payload();
      bodies[i] = body(chunk.payload());
      lz4Bodies[i] = LZ4Factory.fastestInstance().fastCompressor().compress(bodies[i]);
      zstdBodies[i] = Zstd.compress(bodies[i], ZSTD_LEVEL);
      json[i] = jackson.encode(trace);
      jsonLz4[i] = Lz4Blocks.compress(json[i]);
      otlp[i] = OtlpSpans.encode(trace);
      otlpLz4[i] = Lz4Blocks.compress(otlp[i]);
    }
  }

  public static CodecDataset create() {
    return new CodecDataset(new RealisticTraces(SEED).traces(SPANS));
  }

  /** Our body, recovered from a chunk (the codec keeps it internal). */
  static byte[] body(byte[] payload) {
    ChunkHeader h = ChunkDecoder.readHeader(payload);
    byte[] body = new byte[h.uncompressedLength()];
    LZ4Factory.fastestInstance()
        .safeDecompressor()
        .decompress(payload, HEADER, h.compressedLength(), body, 0, body.length);
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
