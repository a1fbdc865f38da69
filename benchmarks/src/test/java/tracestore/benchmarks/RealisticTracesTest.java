package tracestore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.StatusCode;

/** Fast checks of the generator and of the baseline mappings; the benchmarks themselves never run here. */
class RealisticTracesTest {
  private static final Comparator<Span> BY_ID = Comparator.comparingLong(Span::spanId);

  @Test
  void tracesHaveTheAdvertisedShape() {
    RealisticTraces gen = new RealisticTraces(1);
    int errors = 0;
    Set<String> services = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      List<Span> trace = gen.next();
      assertThat(trace.size()).isBetween(RealisticTraces.MIN_SPANS, RealisticTraces.MAX_SPANS);
      assertThat(trace.get(0).isRoot()).isTrue();
      assertThat(trace.get(0).traceId().high()).isNotZero();
      Set<Long> seen = new HashSet<>();
      for (Span s : trace) {
        assertThat(s.traceId()).isEqualTo(trace.get(0).traceId());
        if (!s.isRoot()) assertThat(seen).contains(s.parentSpanId()); // parents come first
        seen.add(s.spanId());
        assertThat(s.tags().size()).isBetween(5, 15);
        assertThat(s.resource()).isNotEmpty();
        services.add(s.service());
      }
      if (trace.stream().anyMatch(s -> s.statusCode() == StatusCode.ERROR)) errors++;
    }
    assertThat(errors).isBetween(5, 60); // about 5%
    assertThat(services).contains("frontend", "api-gateway", "auth-service", "checkout",
        "video-streaming", "ledger");
  }

  @Test
  void sameSeedSameTraces() {
    assertThat(new RealisticTraces(9).traces(300)).isEqualTo(new RealisticTraces(9).traces(300));
    assertThat(new RealisticTraces(9).traces(300).stream().mapToInt(List::size).sum())
        .isEqualTo(300);
  }

  @Test
  void everyBenchmarkedEncodingRoundTrips() {
    JacksonSpans jackson = new JacksonSpans();
    ChunkEncoder encoder = new ChunkEncoder();
    for (List<Span> trace : new RealisticTraces(3).traces(2_000)) {
      List<Span> expected = sorted(trace);
      assertThat(sorted(jackson.decode(jackson.encode(trace)))).isEqualTo(expected);
      assertThat(sorted(OtlpSpans.decode(Lz4Blocks.decompress(Lz4Blocks.compress(
          OtlpSpans.encode(trace)))))).isEqualTo(expected);
      assertThat(sorted(ChunkDecoder.decode(encoder.encode(trace.get(0).traceId(), trace).payload())))
          .isEqualTo(expected);
    }
  }

  private static List<Span> sorted(List<Span> spans) {
    List<Span> out = new ArrayList<>(spans);
    out.sort(BY_ID);
    return out;
  }
}
