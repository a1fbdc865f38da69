package tracestore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import zipkin2.codec.SpanBytesDecoder;

/** The pieces of the peer comparison that can be checked without servers. */
class PeerToolsTest {
  @Test
  void zipkinJsonCarriesEveryTraceFieldZipkinHasRoomFor() {
    RealisticTraces gen = new RealisticTraces(11);
    List<Span> trace = gen.next();
    while (trace.stream().noneMatch(s -> s.statusCode() == StatusCode.ERROR)) trace = gen.next();

    List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(ZipkinSpans.encode(trace));

    assertThat(decoded).hasSize(trace.size());
    for (int i = 0; i < trace.size(); i++) {
      Span ours = trace.get(i);
      zipkin2.Span theirs = decoded.get(i);
      assertThat(theirs.traceId()).isEqualTo(ours.traceId().toHex()).hasSize(32);
      assertThat(theirs.id()).isEqualTo(SpanId.toHex(ours.spanId()));
      assertThat(theirs.parentId()).isEqualTo(ours.parentSpanId() == 0 ? null : SpanId.toHex(ours.parentSpanId()));
      assertThat(theirs.localServiceName()).isEqualTo(ours.service());
      assertThat(theirs.timestampAsLong()).isEqualTo(ours.startEpochNanos() / 1000);
      for (Tag t : ours.tags()) assertThat(theirs.tags()).containsEntry(t.key(), t.value().asString());
      assertThat(theirs.tags().containsKey("error")).isEqualTo(ours.statusCode() == StatusCode.ERROR);
      assertThat(theirs.annotations()).hasSize(ours.logs().size());
    }
  }

  @Test
  void latencyQuantilesAreNearestRank() {
    Latencies l = new Latencies();
    for (int ms = 100; ms >= 1; ms--) l.add(ms * 1_000_000L);
    assertThat(l.millis(0.50)).isEqualTo(50.0);
    assertThat(l.millis(0.99)).isEqualTo(99.0);
    assertThat(l.drain().millis(1.0)).isEqualTo(100.0);
    assertThat(l.size()).isZero();
  }

  @Test
  void procCpuSeesThisProcessBurnCpu() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ProcCpu proc = new ProcCpu(100);
    List<Long> self = List.of(ProcessHandle.current().pid());
    double before = proc.seconds(self);
    long cpu0 = os.getProcessCpuTime();
    long x = 0;
    while (os.getProcessCpuTime() - cpu0 < 300_000_000L) x += Long.numberOfTrailingZeros(x + System.nanoTime());
    assertThat(x).isNotNegative();
    assertThat(proc.seconds(self) - before).isGreaterThan(0.15);
    assertThat(proc.seconds(List.of(Long.MAX_VALUE))).isZero();
  }

  @Test
  void reportReplacesOnlyItsOwnSection(@TempDir Path dir) throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("load-zipkin-cassandra.properties"),
        "protocol=zipkin-json\nspansPerSecond=1000\nstoredSpansPerSecond=900\nacceptedSpans=30000\n");
    Files.writeString(results.resolve("load-ts-cassandra-otlp.properties"),
        "protocol=otlp-http\nspansPerSecond=3600\nacceptedSpans=108000\ncpu.total.seconds=54\n");
    Path file = dir.resolve("BENCHMARKS.md");
    Files.writeString(file, "# Benchmarks\n\n## Codec\nkeep me\n");
    String[] args = {"--results", results.toString(), "--file", file.toString()};

    PeerReport.main(args);
    PeerReport.main(args);

    String text = Files.readString(file);
    assertThat(text).startsWith("# Benchmarks\n\n## Codec\nkeep me\n");
    assertThat(text.split(java.util.regex.Pattern.quote(PeerReport.BEGIN), -1)).hasSize(2);
    assertThat(text).contains(PeerReport.END)
        .contains("| tracestore on Cassandra | otlp-http | 3,600 |")
        .contains("| 4.00× |") // 3,600 stored spans/s against Zipkin's 900
        .contains("500.0"); // 54 CPU s over 108,000 spans
  }
}
