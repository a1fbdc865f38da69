package tracestore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link CodecBenchmark} and prints one Markdown table joining its timings with the byte
 * counts of the same dataset, so every figure comes from one command. Arguments are passed to JMH
 * (for example {@code -f 1 -wi 3 -i 5}). The table is also written to {@code
 * target/codec-report.md} under the working directory when that directory exists.
 */
public final class CodecReport {
  private CodecReport() {}

  public static void main(String[] args)
      throws RunnerException, CommandLineOptionException, IOException {
    Options cli = new CommandLineOptions(args);
    Options options =
        new OptionsBuilder()
            .parent(cli)
            .include(CodecBenchmark.class.getName() + "\\.")
            .addProfiler(ProcessCpuProfiler.class)
            .addProfiler(GCProfiler.class)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> ns = new HashMap<>();
    Map<String, double[]> cpu = new HashMap<>();
    Map<String, double[]> alloc = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      ns.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
      Result<?> c = r.getSecondaryResults().get(ProcessCpuProfiler.LABEL);
      if (c != null) cpu.put(name, new double[] {c.getScore(), c.getScoreError()});
      Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
      if (a != null) alloc.put(name, new double[] {a.getScore(), a.getScoreError()});
    }
    CodecDataset data = CodecDataset.create();
    String report = table(data, ns, cpu, alloc);
    System.out.println();
    System.out.println(report);
    Path target = Path.of("benchmarks", "target");
    if (!Files.isDirectory(target)) target = Path.of("target");
    if (Files.isDirectory(target)) Files.writeString(target.resolve("codec-report.md"), report);
  }

  private static String table(
      CodecDataset data,
      Map<String, double[]> ns,
      Map<String, double[]> cpu,
      Map<String, double[]> alloc) {
    Map<String, Double> bytes = data.bytesPerSpan();
    StringBuilder b = new StringBuilder();
    b.append("Dataset: ").append(data.traceShape()).append(", RealisticTraces seed ")
        .append(CodecDataset.SEED).append(", the spans after the first ")
        .append(CodecDataset.TRAINING_SPANS).append(".\n");
    b.append(String.format("Dictionary: trained by WriteBatches on those first %,d spans (same "
        + "generator and fleet, disjoint from the measured ones): %,d strings, %,d bytes stored "
        + "(%.1f B/span if charged to the measured spans alone).%n%n", CodecDataset.TRAINING_SPANS,
        data.dictionary.size(), data.dictionary.payloadBytes(),
        data.dictionary.payloadBytes() / (double) data.spanCount()));
    b.append("| encoding | bytes/span | encode ns/span | decode ns/span | decode spans/s (1 core) |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    row(b, "ours: format 3 chunk (dictionary refs + LZ4)", bytes.get("ours (chunk, LZ4)"),
        ns.get("oursEncode"), ns.get("oursDecode"));
    row(b, "ours: format 3 + the dictionary's bytes amortized over the measured spans",
        bytes.get("ours + dictionary amortized"), null, null);
    row(b, "ours: format 2 chunk (no dictionary)", bytes.get("ours, format 2 (no dictionary)"),
        ns.get("oursFormat2Encode"), ns.get("oursFormat2Decode"));
    row(b, "Jackson JSON + LZ4", bytes.get("JSON + LZ4"), ns.get("jsonLz4Encode"),
        ns.get("jsonLz4Decode"));
    row(b, "OTLP protobuf", bytes.get("OTLP protobuf"), ns.get("otlpEncode"), ns.get("otlpDecode"));
    row(b, "OTLP protobuf + LZ4", bytes.get("OTLP protobuf + LZ4"), ns.get("otlpLz4Encode"),
        ns.get("otlpLz4Decode"));
    double[] zEnc = derived(ns.get("oursEncode"), ns.get("bodyLz4Compress"), ns.get("bodyZstdCompress"));
    double[] zDec = derived(ns.get("oursDecode"), ns.get("bodyLz4Decompress"), ns.get("bodyZstdDecompress"));
    row(b, "ours with zstd-" + CodecDataset.ZSTD_LEVEL + " instead of LZ4 (derived*)",
        bytes.get("ours, body + zstd-" + CodecDataset.ZSTD_LEVEL + " (+ header)"), zEnc, zDec);
    row(b, "Jackson JSON, uncompressed (size only)", bytes.get("JSON"), null, null);
    row(b, "ours: body before compression (size only)", bytes.get("ours, body only (uncompressed)"),
        null, null);
    b.append("\nCompressor alone over our uncompressed bodies:\n\n");
    b.append("| compressor | bytes/span | compress ns/span | decompress ns/span |\n");
    b.append("|---|---:|---:|---:|\n");
    double spans = data.spanCount();
    long lz4Bytes = 0;
    long zstdBytes = 0;
    for (byte[] x : data.lz4Bodies) lz4Bytes += x.length;
    for (byte[] x : data.zstdBodies) zstdBytes += x.length;
    b.append(String.format("| LZ4 (fast, safe decompressor) | %.1f | %s | %s |%n", lz4Bytes / spans,
        fmt(ns.get("bodyLz4Compress")), fmt(ns.get("bodyLz4Decompress"))));
    b.append(String.format("| zstd level %d | %.1f | %s | %s |%n", CodecDataset.ZSTD_LEVEL,
        zstdBytes / spans, fmt(ns.get("bodyZstdCompress")), fmt(ns.get("bodyZstdDecompress"))));
    double json = bytes.get("JSON + LZ4");
    b.append(String.format("%nours (format 3) / JSON+LZ4 bytes = %.1f%%; with the dictionary "
        + "amortized over the measured spans %.1f%%; format 2 %.1f%% (goal: at most 40%%)%n",
        100 * bytes.get("ours (chunk, LZ4)") / json,
        100 * bytes.get("ours + dictionary amortized") / json,
        100 * bytes.get("ours, format 2 (no dictionary)") / json));
    double[] dec = ns.get("oursDecode");
    double[] decCpu = cpu.get("oursDecode");
    if (dec != null && decCpu != null) {
      b.append(String.format("ours decode = %,.0f spans/s wall clock, %,.0f spans per CPU-second, "
          + "one thread (goal: at least 1,000,000 on one core)%n", 1e9 / dec[0], 1e9 / decCpu[0]));
    }
    b.append("\n*derived: ours minus the LZ4 timing plus the zstd timing over the same bodies.\n");
    b.append("\nCPU time per span, from the same JMH iterations (ProcessCpuProfiler: all threads of ")
        .append("the benchmark JVM, GC included; unlike the wall-clock score it does not count time ")
        .append("spent waiting for a core on a busy machine):\n\n");
    b.append("| encoding | encode CPU ns/span | decode CPU ns/span | decode spans per CPU-second ")
        .append("| encode alloc B/span | decode alloc B/span |\n");
    b.append("|---|---:|---:|---:|---:|---:|\n");
    String[][] rows = {
      {"ours: format 3 chunk (dictionary)", "oursEncode", "oursDecode"},
      {"ours: format 2 chunk (no dictionary)", "oursFormat2Encode", "oursFormat2Decode"},
      {"Jackson JSON + LZ4", "jsonLz4Encode", "jsonLz4Decode"},
      {"OTLP protobuf", "otlpEncode", "otlpDecode"},
      {"OTLP protobuf + LZ4", "otlpLz4Encode", "otlpLz4Decode"},
      {"LZ4 alone over our body", "bodyLz4Compress", "bodyLz4Decompress"},
      {"zstd-" + CodecDataset.ZSTD_LEVEL + " alone over our body", "bodyZstdCompress",
        "bodyZstdDecompress"}
    };
    for (String[] r : rows) {
      double[] rowDecode = cpu.get(r[2]);
      b.append(String.format("| %s | %s | %s | %s | %s | %s |%n", r[0], fmt(cpu.get(r[1])),
          fmt(rowDecode), rowDecode == null ? "-" : String.format("%,.0f", 1e9 / rowDecode[0]),
          bytes(alloc.get(r[1])),
          bytes(alloc.get(r[2]))));
    }
    b.append("\nThe ingest path, WriteBatches.toBatch over the measured spans in batches of about 1,000 ")
        .append("(grouping, encoding, index entries; with the dictionary also the trainer's sampling of ")
        .append("one trace in 4, at the server's defaults, after its first dictionary):\n\n");
    b.append("| toBatch | ns/span | CPU ns/span | alloc B/span |\n|---|---:|---:|---:|\n");
    for (String[] r : new String[][] {
        {"dictionaries off (format 2)", "toBatchWithoutDictionary"},
        {"dictionary on (format 3, training)", "toBatchWithDictionary"}}) {
      b.append(String.format("| %s | %s | %s | %s |%n", r[0], fmt(ns.get(r[1])), fmt(cpu.get(r[1])),
          bytes(alloc.get(r[1]))));
    }
    return b.toString();
  }

  private static String bytes(double[] score) {
    return score == null ? "-" : String.format("%.0f", score[0]);
  }

  private static double[] derived(double[] total, double[] minus, double[] plus) {
    if (total == null || minus == null || plus == null) return null;
    return new double[] {total[0] - minus[0] + plus[0], total[1] + minus[1] + plus[1]};
  }

  private static String fmt(double[] score) {
    return score == null ? "-" : String.format("%.0f ± %.0f", score[0], score[1]);
  }

  private static void row(StringBuilder b, String name, double bytes, double[] enc, double[] dec) {
    b.append(String.format("| %s | %.1f | %s | %s | %s |%n", name, bytes, fmt(enc), fmt(dec),
        dec == null ? "-" : String.format("%,.0f", 1e9 / dec[0])));
  }
}
