package tracestore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.model.Span;

/**
 * Thread CPU time per span of the same operations as {@link CodecBenchmark}, measured in-process
 * after a warm-up. On a machine shared with other work, JMH's wall-clock scores include time the
 * benchmark thread spent waiting for a core; CPU time mostly does not, so the report prints both.
 */
final class CpuTimes {
  private static final int WARMUP_ROUNDS = 15;
  private static final int ROUNDS = 10;
  private static long sink;

  private CpuTimes() {}

  static Map<String, Double> measure(CodecDataset data) {
    ChunkEncoder encoder = new ChunkEncoder();
    JacksonSpans jackson = new JacksonSpans();
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("oursEncode", perSpan(data, data.traces, t -> encoder.encode(t.get(0).traceId(), t).payload().length));
    out.put("oursDecode", perSpan(data, List.of(data.ours), p -> ChunkDecoder.decode(p).size()));
    out.put("jsonLz4Encode", perSpan(data, data.traces, t -> Lz4Blocks.compress(jackson.encode(t)).length));
    out.put("jsonLz4Decode", perSpan(data, List.of(data.jsonLz4), p -> jackson.decode(Lz4Blocks.decompress(p)).size()));
    out.put("otlpEncode", perSpan(data, data.traces, t -> OtlpSpans.encode(t).length));
    out.put("otlpDecode", perSpan(data, List.of(data.otlp), p -> OtlpSpans.decode(p).size()));
    out.put("otlpLz4Encode", perSpan(data, data.traces, t -> Lz4Blocks.compress(OtlpSpans.encode(t)).length));
    out.put("otlpLz4Decode", perSpan(data, List.of(data.otlpLz4), p -> OtlpSpans.decode(Lz4Blocks.decompress(p)).size()));
    return out;
  }

  private static <T> double perSpan(CodecDataset data, List<T> inputs, ToLongFunction<T> op) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < WARMUP_ROUNDS; r++) for (T in : inputs) sink += op.applyAsLong(in);
    long t0 = mx.getCurrentThreadCpuTime();
    for (int r = 0; r < ROUNDS; r++) for (T in : inputs) sink += op.applyAsLong(in);
    long t1 = mx.getCurrentThreadCpuTime();
    return (t1 - t0) / ((double) ROUNDS * data.spanCount());
  }

  static long sink() {
    return sink;
  }
}
