package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random traces: whatever their shape, the assembled trace keeps its invariants. */
class TraceInvariantsTest {

  static final Set<TraceNode.Flag> FLAGS_SEEN = EnumSet.noneOf(TraceNode.Flag.class);

  @AfterAll
  static void theDamageExercisedTheRepairs() {
    assertThat(FLAGS_SEEN)
        .contains(TraceNode.Flag.ORPHAN, TraceNode.Flag.CYCLE, TraceNode.Flag.MERGED);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomTraces(long seed) {
    Random r = new Random(seed);
    List<Span> spans = TraceFixtures.randomTrace(r, 1 + r.nextInt(300));
    // Damage some: drop a few spans (orphans), replay a few (duplicates), send a few in two parts
    // (a start-only copy), and point a few at a random span (which can close cycles).
    List<Span> received = new ArrayList<>();
    int distinct = 0;
    for (Span s : spans) {
      if (s.parentSpanId() != 0 && r.nextInt(15) == 0) continue;
      if (s.parentSpanId() != 0 && r.nextInt(25) == 0) {
        long other = 1 + r.nextInt(spans.size());
        if (other != s.spanId()) s = s.toBuilder().parentSpanId(other).build();
      }
      received.add(s);
      distinct++;
      if (r.nextInt(10) == 0) received.add(s);
      if (r.nextInt(10) == 0) received.add(s.toBuilder().durationNanos(0).tags(List.of()).build());
    }
    Trace t = Trace.of(TraceFixtures.shuffled(received, seed));
    for (TraceNode n : t.nodes()) FLAGS_SEEN.addAll(n.flags());
    assertInvariants(t);
    TraceTimingTest.assertSharesSum(t);
    assertThat(t.spanCount()).isEqualTo(distinct);
    assertThat(new HashSet<>(t.spans())).containsAll(new HashSet<>(received).stream()
        .filter(x -> received.stream().noneMatch(y -> y != x && SpanMerger.sameIdentity(x, y)))
        .toList());
    // Shuffling again changes nothing.
    Trace again = Trace.of(TraceFixtures.shuffled(received, seed + 100));
    assertThat(again.spans()).isEqualTo(t.spans());
    assertThat(TraceFixtures.path(again)).isEqualTo(TraceFixtures.path(t));
  }

  static void assertInvariants(Trace t) {
    // A tree: every node reachable from the root once, depths consistent, children in order.
    assertThat(TraceTreeTest.countReachable(t.root())).isEqualTo(t.spanCount());
    int maxDepth = 0;
    for (TraceNode n : t.nodes()) {
      maxDepth = Math.max(maxDepth, n.depth());
      if (n == t.root()) {
        assertThat(n.parent()).isNull();
        assertThat(n.depth()).isZero();
      } else {
        assertThat(n.parent().children()).contains(n);
        assertThat(n.depth()).isEqualTo(n.parent().depth() + 1);
      }
      Span s = n.span();
      assertThat(n.selfTimeNanos()).isBetween(0L, s.durationNanos());
      assertThat(n.criticalPathNanos()).isBetween(0L, s.durationNanos());
      for (int i = 1; i < n.children().size(); i++) {
        Span a = n.children().get(i - 1).span(), b = n.children().get(i).span();
        assertThat(a.startEpochNanos()).isLessThanOrEqualTo(b.startEpochNanos());
      }
    }
    assertThat(t.depth()).isEqualTo(maxDepth + 1);

    // The critical path tiles the root's interval, each segment inside its own span.
    List<CriticalPathSegment> path = t.criticalPath();
    assertThat(path).isNotEmpty();
    long cursor = t.root().span().startEpochNanos();
    for (CriticalPathSegment seg : path) {
      assertThat(seg.startEpochNanos()).isEqualTo(cursor);
      assertThat(seg.endEpochNanos()).isGreaterThanOrEqualTo(seg.startEpochNanos());
      assertThat(seg.startEpochNanos()).isGreaterThanOrEqualTo(seg.span().startEpochNanos());
      assertThat(seg.endEpochNanos()).isLessThanOrEqualTo(seg.span().endEpochNanos());
      cursor = seg.endEpochNanos();
    }
    assertThat(cursor).isEqualTo(t.root().span().endEpochNanos());

    // The bottleneck is the maximum.
    for (TraceNode n : t.nodes()) {
      assertThat(n.criticalPathNanos()).isLessThanOrEqualTo(t.bottleneckSpan().criticalPathNanos());
    }
    for (ServiceShare share : t.serviceShares()) {
      assertThat(share.criticalPathNanos())
          .isLessThanOrEqualTo(t.bottleneckService().criticalPathNanos());
    }
  }
}
