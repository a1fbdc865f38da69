package tracestore.benchmarks;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;
import tracestore.storage.WriteBatches;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.codec.StringDictionary;
import tracestore.storage.model.Span;

/**
 * Encode and decode cost per span of each stored encoding, on {@link CodecDataset}'s spans. One
 * operation handles every trace of the dataset, so the score in ns/op is ns per span. Encoders
 * start from model spans and decoders end with model spans, so each side includes the mapping a
 * store would really do. Runs single-threaded: the scores are per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBenchmark {
  private CodecDataset data;
  private ChunkEncoder encoder;
  private JacksonSpans jackson;
  private LZ4Compressor lz4;
  private LZ4SafeDecompressor lz4Safe;

  /** The measured spans in batches of about 1,000, as ingest hands them to {@link WriteBatches}. */
  private List<List<Span>> batches;
  private WriteBatches withoutDictionary;
  private WriteBatches withDictionary;

  @Setup
  public void setup() {
    data = CodecDataset.create();
    if (data.spanCount() != CodecDataset.SPANS) throw new IllegalStateException("dataset size");
    encoder = new ChunkEncoder();
    batches = new ArrayList<>();
    List<Span> batch = new ArrayList<>();
    for (List<Span> trace : data.traces) {
      batch.addAll(trace);
      if (batch.size() >= 1_000) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) batches.add(batch);
    withoutDictionary = WriteBatches.create(IndexPolicy.defaults(), DictionaryPolicy.off());
    // The server's defaults (one trace in 4 sampled, rebuilt hourly), past its first dictionary:
    // the steady state of the ingest path.
    withDictionary = WriteBatches.create(IndexPolicy.defaults(), DictionaryPolicy.defaults());
    for (List<Span> trace : new RealisticTraces(CodecDataset.SEED).traces(CodecDataset.TRAINING_SPANS)) {
      withDictionary.toBatch(trace);
    }
    if (withDictionary.dictionary() == null) throw new IllegalStateException("no dictionary");
    jackson = new JacksonSpans();
    lz4 = LZ4Factory.fastestInstance().fastCompressor();
    lz4Safe = LZ4Factory.fastestInstance().safeDecompressor();
  }

  // ---- (a) our chunk codec

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void oursEncode(Blackhole bh) {
    StringDictionary d = data.dictionary;
    for (List<Span> trace : data.traces) bh.consume(encoder.encode(trace.get(0).traceId(), trace, d));
  }

  /** Through the backend's dictionary cache, as a store's read path does (loaded once). */
  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void oursDecode(Blackhole bh) {
    ChunkDictionaries d = data.dictionaries;
    for (byte[] payload : data.ours) bh.consume(ChunkDecoder.decode(payload, null, d));
  }

  // ---- (a') our chunk codec without a dictionary (format 2), for comparison

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void oursFormat2Encode(Blackhole bh) {
    for (List<Span> trace : data.traces) bh.consume(encoder.encode(trace.get(0).traceId(), trace));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void oursFormat2Decode(Blackhole bh) {
    for (byte[] payload : data.oursNoDictionary) bh.consume(ChunkDecoder.decode(payload));
  }

  // ---- (a'') the ingest path: WriteBatches.toBatch (grouping, encoding, index entries, training)

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void toBatchWithoutDictionary(Blackhole bh) {
    for (List<Span> b : batches) bh.consume(withoutDictionary.toBatch(b));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void toBatchWithDictionary(Blackhole bh) {
    for (List<Span> b : batches) bh.consume(withDictionary.toBatch(b));
  }

  // ---- (b) Jackson JSON + LZ4

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void jsonLz4Encode(Blackhole bh) {
    for (List<Span> trace : data.traces) bh.consume(Lz4Blocks.compress(jackson.encode(trace)));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void jsonLz4Decode(Blackhole bh) {
    for (byte[] b : data.jsonLz4) bh.consume(jackson.decode(Lz4Blocks.decompress(b)));
  }

  // ---- (c) OTLP protobuf, raw and with LZ4

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void otlpEncode(Blackhole bh) {
    for (List<Span> trace : data.traces) bh.consume(OtlpSpans.encode(trace));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void otlpDecode(Blackhole bh) {
    for (byte[] b : data.otlp) bh.consume(OtlpSpans.decode(b));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void otlpLz4Encode(Blackhole bh) {
    for (List<Span> trace : data.traces) bh.consume(Lz4Blocks.compress(OtlpSpans.encode(trace)));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void otlpLz4Decode(Blackhole bh) {
    for (byte[] b : data.otlpLz4) bh.consume(OtlpSpans.decode(Lz4Blocks.decompress(b)));
  }

  // ---- (d) the compressor alone over our body: LZ4 (what we ship) versus zstd

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void bodyLz4Compress(Blackhole bh) {
    for (byte[] body : data.bodies) bh.consume(lz4.compress(body));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void bodyLz4Decompress(Blackhole bh) {
    byte[][] bodies = data.bodies;
    byte[][] compressed = data.lz4Bodies;
    for (int i = 0; i < compressed.length; i++) {
      bh.consume(lz4Safe.decompress(compressed[i], bodies[i].length));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void bodyZstdCompress(Blackhole bh) {
    for (byte[] body : data.bodies) bh.consume(Zstd.compress(body, CodecDataset.ZSTD_LEVEL));
  }

  @Benchmark
  @OperationsPerInvocation(CodecDataset.SPANS)
  public void bodyZstdDecompress(Blackhole bh) {
    byte[][] bodies = data.bodies;
    byte[][] compressed = data.zstdBodies;
    for (int i = 0; i < compressed.length; i++) {
      bh.consume(Zstd.decompress(compressed[i], bodies[i].length));
    }
  }
}
