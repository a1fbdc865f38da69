package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.model.TraceFixtures.s;
import static tracestore.storage.model.TraceFixtures.shuffled;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Correctness at 10,000 spans: no stack overflow, no quadratic blow-up. No timing asserts. */
class TraceScaleTest {
  static final int N = 10_000;

  @Test
  void deepChain() {
    // Span i (1-based) is the child of i-1 and spans [i, 2N + 1 - i]: each level nests in the last,
    // and the deepest lasts 1 ns.
    List<Span> spans = new ArrayList<>(N);
    for (int i = 1; i <= N; i++) {
      spans.add(s(i, i - 1, i % 2 == 0 ? "even" : "odd", i, 2L * N + 1 - i));
    }
    Trace t = Trace.of(shuffled(spans, 11));
    assertThat(t.spanCount()).isEqualTo(N);
    assertThat(t.depth()).isEqualTo(N);
    assertThat(t.root().span().spanId()).isEqualTo(1);
    TraceNode deepest = t.nodes().get(N - 1); // latest start
    assertThat(deepest.span().spanId()).isEqualTo(N);
    assertThat(deepest.depth()).isEqualTo(N - 1);
    assertThat(deepest.children()).isEmpty();
    // Walk up without recursion.
    int hops = 0;
    for (TraceNode n = deepest; n.parent() != null; n = n.parent()) hops++;
    assertThat(hops).isEqualTo(N - 1);

    // Each ancestor owns 1 ns at each end; the leaf owns its whole interval.
    assertThat(t.criticalPath()).hasSize(2 * (N - 1) + 1);
    assertThat(t.root().selfTimeNanos()).isEqualTo(2);
    assertThat(deepest.selfTimeNanos()).isEqualTo(1);
    assertThat(deepest.criticalPathNanos()).isEqualTo(1);
    TraceTimingTest.assertSharesSum(t);
    assertThat(t.toString()).contains("spans=10000");
    assertThat(deepest.toString()).contains("depth=9999");
  }

  @Test
  void wideTrace() {
    Random r = new Random(5);
    List<Span> spans = new ArrayList<>(N);
    spans.add(s(1, 0, "gw", 0, 1_000_000));
    for (int i = 2; i <= N; i++) {
      long start = r.nextInt(900_000);
      spans.add(s(i, 1, "svc" + (i % 7), start, start + r.nextInt(100_000)));
    }
    Trace t = Trace.of(shuffled(spans, 12));
    assertThat(t.spanCount()).isEqualTo(N);
    assertThat(t.depth()).isEqualTo(2);
    assertThat(t.root().children()).hasSize(N - 1);
    List<TraceNode> kids = t.root().children();
    for (int i = 1; i < kids.size(); i++) {
      Span a = kids.get(i - 1).span(), b = kids.get(i).span();
      assertThat(a.startEpochNanos() < b.startEpochNanos()
              || (a.startEpochNanos() == b.startEpochNanos()
                  && Long.compareUnsigned(a.spanId(), b.spanId()) < 0))
          .isTrue();
    }
    assertThat(t.services()).hasSize(8);
    TraceInvariantsTest.assertInvariants(t);
    TraceTimingTest.assertSharesSum(t);
  }

  @Test
  void manySpansShareOneId() {
    // Hostile: half the spans carry span id 2 (one per service), the other half name 2 as parent.
    // Each lookup must stay O(1), and each child must find the span of its own service.
    int half = N / 2;
    List<Span> spans = new ArrayList<>(N);
    spans.add(s(1, 0, "root", 0, 1_000_000));
    for (int i = 0; i < half; i++) spans.add(s(2, 1, "svc" + i, i, i + 100));
    for (int i = 0; i < half - 1; i++) spans.add(s(3 + i, 2, "svc" + i, i + 10, i + 20));
    Trace t = Trace.of(shuffled(spans, 14));
    assertThat(t.spanCount()).isEqualTo(N);
    for (TraceNode n : t.nodes()) {
      if (n.span().spanId() > 2) {
        assertThat(n.parent().span().spanId()).isEqualTo(2);
        assertThat(n.parent().span().service()).isEqualTo(n.span().service());
      }
    }
    TraceInvariantsTest.assertInvariants(t);
  }

  @Test
  void everySpanAnOrphan() {
    List<Span> spans = new ArrayList<>(N);
    for (int i = 1; i <= N; i++) spans.add(s(i, N + i, "svc", i, i + 10));
    Trace t = Trace.of(spans);
    assertThat(t.orphanCount()).isEqualTo(N);
    assertThat(t.root().span().spanId()).isEqualTo(1);
    assertThat(t.root().children()).hasSize(N - 1);
  }

  @Test
  void everySpanTwice() {
    List<Span> spans = new ArrayList<>(2 * N);
    for (int i = 1; i <= N; i++) spans.add(s(i, i == 1 ? 0 : 1, "svc", i, i + 10));
    spans.addAll(new ArrayList<>(spans));
    Trace t = Trace.of(shuffled(spans, 13));
    assertThat(t.spanCount()).isEqualTo(N);
    assertThat(t.nodes()).allMatch(n -> n.copies() == 2);
  }
}
