package tracestore.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import tracestore.storage.codec.ChunkAnatomy;

/**
 * Prints where the bytes of our chunks go on the codec benchmark's dataset: per section of the
 * format (header, string table, each span column), bytes per span before compression and the
 * share of the stored (LZ4) bytes. Run with {@code java -cp benchmarks/target/benchmarks.jar
 * tracestore.benchmarks.CodecBreakdown}.
 */
public final class CodecBreakdown {
  private CodecBreakdown() {}

  public static void main(String[] args) {
    CodecDataset data = CodecDataset.create();
    Map<String, long[]> totals = new LinkedHashMap<>();
    long payload = 0;
    for (byte[] chunk : data.ours) {
      payload += chunk.length;
      for (ChunkAnatomy.Section s : ChunkAnatomy.sections(chunk, data.dictionaries)) {
        long[] t = totals.computeIfAbsent(s.name(), k -> new long[2]);
        t[0] += s.rawBytes();
        t[1] += s.compressedBytes();
      }
    }
    double spans = data.spanCount();
    StringBuilder b = new StringBuilder();
    b.append("| section | bytes/span before LZ4 | bytes/span stored (LZ4 share) |\n");
    b.append("|---|---:|---:|\n");
    long raw = 0;
    long stored = 0;
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      raw += e.getValue()[0];
      stored += e.getValue()[1];
      b.append(String.format("| %s | %.1f | %.1f |%n", e.getKey(), e.getValue()[0] / spans,
          e.getValue()[1] / spans));
    }
    b.append(String.format("| **total** (payload: %.1f) | %.1f | %.1f |%n", payload / spans,
        raw / spans, stored / spans));
    System.out.println(data.traceShape());
    System.out.printf("dictionary: %s (%.1f B/span amortized over the measured spans, not counted"
        + " below)%n", data.dictionary, data.dictionary.payloadBytes() / spans);
    System.out.print(b);
  }
}
