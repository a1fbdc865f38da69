package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static tracestore.storage.model.TraceFixtures.node;
import static tracestore.storage.model.TraceFixtures.path;
import static tracestore.storage.model.TraceFixtures.s;
import static tracestore.storage.model.TraceFixtures.shuffled;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Self time, critical path and service shares, each computed by hand in the comments. */
class TraceTimingTest {

  @Test
  void selfTime_sequentialChildren() {
    // 1 [0,100] with children [0,20] [20,40] [50,60]: covered 50, self 50.
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "a", 0, 100), s(2, 1, "b", 0, 20), s(3, 1, "b", 20, 40), s(4, 1, "b", 50, 60)));
    assertThat(t.root().selfTimeNanos()).isEqualTo(50);
    assertThat(node(t, 2).selfTimeNanos()).isEqualTo(20);
  }

  @Test
  void selfTime_overlappingChildrenCountedOnce() {
    // 1 [10,110]; children [20,60] [40,80] [70,75] overlap into [20,80]; [100,130] clipped to
    // [100,110]; [0,15] clipped to [10,15]. Covered 60 + 10 + 5 = 75, self 25.
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "a", 10, 110),
                s(2, 1, "b", 20, 60),
                s(3, 1, "b", 40, 80),
                s(4, 1, "b", 70, 75),
                s(5, 1, "b", 100, 130),
                s(6, 1, "b", 0, 15)));
    assertThat(t.root().selfTimeNanos()).isEqualTo(25);
  }

  @Test
  void selfTime_childrenOutsideOrZeroLengthIgnored() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "a", 10, 50),
                s(2, 1, "b", 60, 90), // entirely after its parent
                s(3, 1, "b", 0, 5), // entirely before
                s(4, 1, "b", 30, 30))); // zero length
    assertThat(t.root().selfTimeNanos()).isEqualTo(40);
    assertThat(node(t, 4).selfTimeNanos()).isZero();
  }

  @Test
  void criticalPath_sequential() {
    // 1 [0,100]: 2 [0,30], 3 [30,60], 4 [70,100]. The root waits on each in turn and owns 60-70.
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "gw", 0, 100), s(2, 1, "a", 0, 30), s(3, 1, "b", 30, 60), s(4, 1, "c", 70, 100)));
    assertThat(path(t)).containsExactly("2:0-30", "3:30-60", "1:60-70", "4:70-100");
    assertThat(t.root().criticalPathNanos()).isEqualTo(10);
  }

  @Test
  void criticalPath_asyncFanOut() {
    // 1 gw [0,100] fans out 2 a [10,50], 3 b [10,90], 4 c [20,60]; 3 calls 5 db [40,85].
    // Walk back from 100: gw owns 90-100; b finished last (90): b owns 85-90, db 40-85, b 10-40;
    // a and c overlap b, so nobody waited on them; gw owns 0-10.
    Trace t =
        Trace.of(
            shuffled(
                List.of(
                    s(1, 0, "gw", 0, 100),
                    s(2, 1, "a", 10, 50),
                    s(3, 1, "b", 10, 90),
                    s(4, 1, "c", 20, 60),
                    s(5, 3, "db", 40, 85)),
                3));
    assertThat(path(t)).containsExactly("1:0-10", "3:10-40", "5:40-85", "3:85-90", "1:90-100");
    assertThat(node(t, 2).criticalPathNanos()).isZero();
    assertThat(node(t, 4).criticalPathNanos()).isZero();
    assertThat(node(t, 3).criticalPathNanos()).isEqualTo(35);
    // self times: gw 100 - [10,90] = 20; b 80 - 45 = 35; a, c, db all self.
    assertThat(t.root().selfTimeNanos()).isEqualTo(20);
    assertThat(node(t, 3).selfTimeNanos()).isEqualTo(35);

    Map<String, ServiceShare> shares = byService(t);
    assertThat(shares.get("gw").criticalPathNanos()).isEqualTo(20);
    assertThat(shares.get("b").criticalPathNanos()).isEqualTo(35);
    assertThat(shares.get("db").criticalPathNanos()).isEqualTo(45);
    assertThat(shares.get("a").criticalPathNanos()).isZero();
    assertThat(shares.get("db").criticalPathFraction()).isEqualTo(0.45);
    assertThat(shares.get("a").selfTimeNanos()).isEqualTo(40);
    assertThat(shares.get("a").selfTimeFraction()).isEqualTo(0.40);
    assertThat(t.bottleneckService().service()).isEqualTo("db");
    assertThat(t.bottleneckSpan().span().spanId()).isEqualTo(5);
    assertThat(t.serviceShares())
        .extracting(ServiceShare::service)
        .containsExactly("db", "b", "gw", "a", "c"); // a and c tie at 0 critical and 40 self: by name
    assertSharesSum(t);
  }

  @Test
  void criticalPath_childOutlivesItsParent() {
    // 1 [0,100] -> 2 [20,60] -> 3 [50,120]. 3 is clipped to its parent's window [50,60].
    Trace t =
        Trace.of(List.of(s(1, 0, "gw", 0, 100), s(2, 1, "a", 20, 60), s(3, 2, "async", 50, 120)));
    assertThat(path(t)).containsExactly("1:0-20", "2:20-50", "3:50-60", "1:60-100");
    assertThat(node(t, 2).selfTimeNanos()).isEqualTo(30);
    assertThat(t.durationNanos()).isEqualTo(120);
    // The path covers the root (100 of the 120 ns): fractions sum to 100/120.
    double sum = t.serviceShares().stream().mapToDouble(ServiceShare::criticalPathFraction).sum();
    assertThat(sum).isCloseTo(100.0 / 120, within(1e-12));
    assertSharesSum(t);
  }

  @Test
  void criticalPath_childOutlivingTheRootIsClipped() {
    // 1 [0,100] -> 2 [50,150]: the root waited on 2 until its own end.
    Trace t = Trace.of(List.of(s(1, 0, "gw", 0, 100), s(2, 1, "a", 50, 150)));
    assertThat(path(t)).containsExactly("1:0-50", "2:50-100");
  }

  @Test
  void criticalPath_childStartingBeforeItsParent() {
    // clock skew: 2 [0,50] under 1 [10,100] is clipped to [10,50].
    Trace t = Trace.of(List.of(s(1, 0, "gw", 10, 100), s(2, 1, "a", 0, 50)));
    assertThat(path(t)).containsExactly("2:10-50", "1:50-100");
  }

  @Test
  void criticalPath_zeroLengthSpansPassedOver() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "gw", 0, 100),
                s(2, 1, "a", 10, 40),
                s(3, 1, "z", 50, 50),
                s(4, 1, "z", 40, 40),
                s(5, 2, "z", 40, 40)));
    assertThat(path(t)).containsExactly("1:0-10", "2:10-40", "1:40-100");
  }

  @Test
  void criticalPath_zeroLengthRoot() {
    Trace t = Trace.of(List.of(s(1, 0, "gw", 5, 5), s(2, 1, "a", 5, 5)));
    assertThat(path(t)).containsExactly("1:5-5");
    assertThat(t.bottleneckSpan()).isSameAs(t.root());
    // Every service ties at zero critical and self time: the first by name.
    assertThat(t.bottleneckService().service()).isEqualTo("a");
    assertThat(t.bottleneckService().criticalPathFraction()).isZero();
  }

  @Test
  void criticalPath_nestedSameInterval() {
    // Every level spans [0,100]: all the time is the deepest span's.
    Trace t =
        Trace.of(List.of(s(1, 0, "gw", 0, 100), s(2, 1, "a", 0, 100), s(3, 2, "b", 0, 100)));
    assertThat(path(t)).containsExactly("3:0-100");
    assertThat(node(t, 3).criticalPathNanos()).isEqualTo(100);
    assertThat(t.root().selfTimeNanos()).isZero();
  }

  @Test
  void criticalPath_tiesPreferTheLongerChild() {
    // 2 [10,90] and 3 [50,90] end together; the walk takes 2, which covers 3.
    Trace t =
        Trace.of(List.of(s(1, 0, "gw", 0, 100), s(3, 1, "b", 50, 90), s(2, 1, "a", 10, 90)));
    assertThat(path(t)).containsExactly("1:0-10", "2:10-90", "1:90-100");
  }

  @Test
  void criticalPath_acrossSharedSpan() {
    // frontend client [10,90] -> backend server (same id) [20,80] -> db [30,70].
    Span client = TraceFixtures.span(2, 1, "frontend", 10, 90).kind(SpanKind.CLIENT).build();
    Span server = TraceFixtures.span(2, 1, "backend", 20, 80).kind(SpanKind.SERVER).build();
    Trace t =
        Trace.of(
            List.of(s(1, 0, "frontend", 0, 100), client, server, s(3, 2, "db", 30, 70)));
    assertThat(path(t)).containsExactly("1:0-10", "2:10-20", "2:20-30", "3:30-70", "2:70-80", "2:80-90", "1:90-100");
    Map<String, ServiceShare> shares = byService(t);
    assertThat(shares.get("frontend").criticalPathNanos()).isEqualTo(40);
    assertThat(shares.get("backend").criticalPathNanos()).isEqualTo(20);
    assertThat(shares.get("db").criticalPathNanos()).isEqualTo(40);
    assertThat(shares.get("frontend").spanCount()).isEqualTo(2);
    // frontend and db tie at 40 critical and 40 self (20 + 20 vs 40): by name.
    assertThat(t.bottleneckService().service()).isEqualTo("db");
    assertSharesSum(t);
  }

  @Test
  void longestLegalDurationIsClipped() {
    // A child whose end is Long.MAX_VALUE (the builder's limit) is clipped to its parent.
    long start = TraceFixtures.T0 + 50;
    Span huge = TraceFixtures.span(2, 1, "a", 50, 50).durationNanos(Long.MAX_VALUE - start).build();
    Trace t = Trace.of(List.of(s(1, 0, "gw", 0, 100), huge));
    assertThat(path(t)).containsExactly("1:0-50", "2:50-100");
    assertThat(t.endEpochNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(t.durationNanos()).isEqualTo(Long.MAX_VALUE - TraceFixtures.T0);
    assertThat(t.root().selfTimeNanos()).isEqualTo(50);
    assertSharesSum(t);
  }

  static Map<String, ServiceShare> byService(Trace t) {
    return t.serviceShares().stream()
        .collect(Collectors.toMap(ServiceShare::service, x -> x));
  }

  /** The critical path sums to the root's duration, and each service's share to its nodes'. */
  static void assertSharesSum(Trace t) {
    long rootNanos = t.root().span().durationNanos();
    long pathNanos = t.criticalPath().stream().mapToLong(CriticalPathSegment::durationNanos).sum();
    assertThat(pathNanos).isEqualTo(rootNanos);
    long shareNanos = t.serviceShares().stream().mapToLong(ServiceShare::criticalPathNanos).sum();
    assertThat(shareNanos).isEqualTo(rootNanos);
    long selfNanos = t.nodes().stream().mapToLong(TraceNode::selfTimeNanos).sum();
    assertThat(t.serviceShares().stream().mapToLong(ServiceShare::selfTimeNanos).sum())
        .isEqualTo(selfNanos);
    assertThat(t.serviceShares().stream().mapToInt(ServiceShare::spanCount).sum())
        .isEqualTo(t.spanCount());
  }
}
