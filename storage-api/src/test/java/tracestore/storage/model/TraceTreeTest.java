package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.model.TraceFixtures.T0;
import static tracestore.storage.model.TraceFixtures.TRACE;
import static tracestore.storage.model.TraceFixtures.childIds;
import static tracestore.storage.model.TraceFixtures.node;
import static tracestore.storage.model.TraceFixtures.s;
import static tracestore.storage.model.TraceFixtures.shuffled;
import static tracestore.storage.model.TraceFixtures.span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.TraceNode.Flag;

class TraceTreeTest {

  //  1 web   [0,100]
  //  ├─ 2 api  [10,40]
  //  │  └─ 4 db [15,30]
  //  └─ 3 auth [50,90]
  static final List<Span> SIMPLE =
      List.of(
          s(1, 0, "web", 0, 100),
          s(2, 1, "api", 10, 40),
          s(3, 1, "auth", 50, 90),
          s(4, 2, "db", 15, 30));

  @Test
  void treeShape() {
    Trace t = Trace.of(shuffled(SIMPLE, 1));
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.root().span().spanId()).isEqualTo(1);
    assertThat(t.root().parent()).isNull();
    assertThat(childIds(t.root())).containsExactly(2L, 3L);
    assertThat(childIds(node(t, 2))).containsExactly(4L);
    assertThat(node(t, 4).parent()).isSameAs(node(t, 2));
    assertThat(node(t, 4).depth()).isEqualTo(2);
    assertThat(node(t, 3).children()).isEmpty();
    assertThat(t.depth()).isEqualTo(3);
    assertThat(t.spanCount()).isEqualTo(4);
    assertThat(t.spans()).extracting(Span::spanId).containsExactly(1L, 2L, 4L, 3L);
    assertThat(t.services()).containsExactly("api", "auth", "db", "web");
    assertThat(t.durationNanos()).isEqualTo(100);
    assertThat(t.startEpochNanos()).isEqualTo(T0);
    assertThat(t.orphanCount()).isZero();
    assertThat(t.errorCount()).isZero();
    for (TraceNode n : t.nodes()) assertThat(n.flags()).isEmpty();
  }

  @Test
  void inputOrderDoesNotMatter() {
    Trace a = Trace.of(SIMPLE);
    for (long seed = 0; seed < 20; seed++) {
      Trace b = Trace.of(shuffled(SIMPLE, seed));
      assertThat(b.spans()).isEqualTo(a.spans());
      assertThat(TraceFixtures.path(b)).isEqualTo(TraceFixtures.path(a));
    }
  }

  @Test
  void childrenSortedByStartThenId() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "web", 0, 100),
                s(9, 1, "a", 5, 10),
                s(7, 1, "a", 20, 30),
                s(5, 1, "a", 5, 50),
                // span ids compare unsigned: 0x8000... sorts after 9
                s(0x8000000000000000L, 1, "a", 5, 6)));
    assertThat(childIds(t.root())).containsExactly(5L, 9L, 0x8000000000000000L, 7L);
  }

  @Test
  void errorCount() {
    Trace t =
        Trace.of(
            List.of(
                span(1, 0, "web", 0, 100).status(StatusCode.ERROR, "x").build(),
                span(2, 1, "api", 0, 10).addTag("error", "timeout").build(),
                span(3, 1, "api", 0, 10).status(StatusCode.OK, "").build()));
    assertThat(t.errorCount()).isEqualTo(2);
  }

  @Test
  void orphansFlaggedAndAttachedUnderRoot() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "web", 0, 100),
                s(5, 0x99, "api", 20, 60), // parent 0x99 was never received
                s(6, 5, "db", 30, 40), // child of the orphan: not an orphan itself
                s(7, 0x98, "api", 10, 20)));
    assertThat(t.root().span().spanId()).isEqualTo(1);
    assertThat(childIds(t.root())).containsExactly(7L, 5L);
    assertThat(node(t, 5).isOrphan()).isTrue();
    assertThat(node(t, 7).flags()).containsExactly(Flag.ORPHAN);
    assertThat(node(t, 6).isOrphan()).isFalse();
    assertThat(node(t, 6).parent()).isSameAs(node(t, 5));
    assertThat(node(t, 6).depth()).isEqualTo(2);
    assertThat(t.orphanCount()).isEqualTo(2);
    // The span keeps its declared parent; only the tree is repaired.
    assertThat(node(t, 5).span().parentSpanId()).isEqualTo(0x99);
  }

  @Test
  void multipleRoots_earliestWinsOthersFlagged() {
    Trace t =
        Trace.of(
            List.of(
                s(3, 0, "batch", 50, 200), s(2, 0, "web", 5, 100), s(4, 2, "api", 10, 20)));
    assertThat(t.root().span().spanId()).isEqualTo(2);
    assertThat(node(t, 3).flags()).containsExactly(Flag.EXTRA_ROOT);
    assertThat(node(t, 3).parent()).isSameAs(t.root());
    assertThat(childIds(t.root())).containsExactly(4L, 3L);
    assertThat(t.orphanCount()).isZero();
    assertThat(t.durationNanos()).isEqualTo(195);
  }

  @Test
  void noRoot_earliestSpanWithMissingParentBecomesRoot() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0x90, "web", 10, 100),
                s(2, 0x91, "api", 5, 50),
                s(3, 1, "db", 0, 20))); // earliest overall, but it has a parent
    assertThat(t.root().span().spanId()).isEqualTo(2);
    assertThat(t.root().isOrphan()).isTrue();
    assertThat(node(t, 1).parent()).isSameAs(t.root());
    assertThat(node(t, 1).isOrphan()).isTrue();
    assertThat(node(t, 3).parent()).isSameAs(node(t, 1));
    assertThat(t.orphanCount()).isEqualTo(2);
    assertThat(t.depth()).isEqualTo(3);
  }

  @Test
  void cycleWithoutRoot_isCutAtItsEarliestSpan() {
    Trace t =
        Trace.of(
            List.of(s(1, 3, "a", 20, 30), s(2, 1, "b", 10, 40), s(3, 2, "c", 15, 50)));
    assertThat(t.root().span().spanId()).isEqualTo(2);
    assertThat(t.root().flags()).containsExactly(Flag.CYCLE);
    assertThat(node(t, 3).parent()).isSameAs(t.root());
    assertThat(node(t, 1).parent()).isSameAs(node(t, 3));
    assertThat(t.depth()).isEqualTo(3);
    assertThat(t.criticalPath()).isNotEmpty();
  }

  @Test
  void cycleBesideARealRoot_hangsUnderTheRoot() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "web", 0, 100),
                s(2, 3, "a", 30, 40),
                s(3, 2, "b", 20, 50),
                s(4, 5, "c", 60, 70),
                s(5, 4, "d", 61, 65)));
    assertThat(t.root().span().spanId()).isEqualTo(1);
    assertThat(node(t, 3).flags()).containsExactly(Flag.CYCLE);
    assertThat(node(t, 3).parent()).isSameAs(t.root());
    assertThat(node(t, 2).parent()).isSameAs(node(t, 3));
    assertThat(node(t, 4).flags()).containsExactly(Flag.CYCLE);
    assertThat(node(t, 5).parent()).isSameAs(node(t, 4));
    assertThat(t.depth()).isEqualTo(3);
    int reachable = countReachable(t.root());
    assertThat(reachable).isEqualTo(5);
  }

  @Test
  void duplicates_identicalCopiesMergedToOne() {
    Span a = s(1, 0, "web", 0, 100);
    Span b = s(2, 1, "api", 10, 20);
    Trace t = Trace.of(List.of(a, b, a, b, b));
    assertThat(t.spanCount()).isEqualTo(2);
    assertThat(t.spans()).containsExactly(a, b);
    assertThat(node(t, 2).copies()).isEqualTo(3);
    assertThat(node(t, 2).flags()).containsExactly(Flag.MERGED);
    assertThat(t.root().copies()).isEqualTo(2);
  }

  @Test
  void duplicates_splitAcrossChunksMerged() {
    // Chunk 1 saw the start only (duration unknown); chunk 2 the finished span.
    Span started =
        span(2, 0, "api", 10, 10)
            .name("")
            .addTag("http.method", "GET")
            .addTag("shared", "from-start")
            .addLog(SpanLog.of(T0 + 12, "sent"))
            .addResource(Tag.of("host", "h1"))
            .build();
    Span finished =
        span(2, 1, "api", 10, 60)
            .name("GET /x")
            .status(StatusCode.ERROR, "500")
            .remoteService("db")
            .addTag(Tag.of("http.status_code", 500L))
            .addTag("shared", "from-finish")
            .addLog(SpanLog.of(T0 + 11, "queued"))
            .addLog(SpanLog.of(T0 + 12, "sent"))
            .build();
    Trace t = Trace.of(List.of(s(1, 0, "web", 0, 100), started, finished));
    assertThat(t.spanCount()).isEqualTo(2);
    Span m = node(t, 2).span();
    assertThat(m.durationNanos()).isEqualTo(50);
    assertThat(m.startEpochNanos()).isEqualTo(T0 + 10);
    assertThat(m.parentSpanId()).isEqualTo(1);
    assertThat(m.name()).isEqualTo("GET /x");
    assertThat(m.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(m.statusMessage()).isEqualTo("500");
    assertThat(m.remoteService()).isEqualTo("db");
    // Union of tags by key; the longest copy (the base) wins a conflict.
    assertThat(m.tags())
        .containsExactlyInAnyOrder(
            Tag.of("http.method", "GET"),
            Tag.of("http.status_code", 500L),
            Tag.of("shared", "from-finish"));
    assertThat(m.logs()).extracting(SpanLog::name).containsExactly("queued", "sent");
    assertThat(m.resource()).containsExactly(Tag.of("host", "h1"));
    assertThat(node(t, 2).parent()).isSameAs(t.root());
    assertThat(node(t, 2).has(Flag.MERGED)).isTrue();
    // The merge does not depend on arrival order.
    Trace reversed = Trace.of(List.of(finished, started, s(1, 0, "web", 0, 100)));
    assertThat(node(reversed, 2).span()).isEqualTo(m);
  }

  @Test
  void duplicates_statusMostSevereWins() {
    Span ok = span(2, 1, "api", 10, 60).status(StatusCode.OK, "").build();
    Span err = span(2, 1, "api", 10, 20).status(StatusCode.ERROR, "late failure").build();
    Trace t = Trace.of(List.of(s(1, 0, "web", 0, 100), ok, err));
    assertThat(node(t, 2).span().statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(node(t, 2).span().statusMessage()).isEqualTo("late failure");
    assertThat(node(t, 2).span().durationNanos()).isEqualTo(50);
    assertThat(t.errorCount()).isEqualTo(1);
  }

  @Test
  void sameIdDifferentServiceOrKindIsNotADuplicate() {
    Trace t =
        Trace.of(
            List.of(
                s(1, 0, "web", 0, 100),
                span(2, 1, "api", 10, 50).kind(SpanKind.INTERNAL).build(),
                span(2, 1, "api", 10, 50).kind(SpanKind.PRODUCER).build(),
                span(2, 1, "mq", 10, 50).kind(SpanKind.PRODUCER).build()));
    assertThat(t.spanCount()).isEqualTo(4);
  }

  @Test
  void sharedClientServerSpan_serverHangsUnderClient() {
    // Zipkin's shared span: the client and the server report the same span id.
    Span root = s(1, 0, "frontend", 0, 100);
    Span client = span(2, 1, "frontend", 10, 90).kind(SpanKind.CLIENT).build();
    Span server = span(2, 1, "backend", 20, 80).kind(SpanKind.SERVER).build();
    Span serverChild = s(3, 2, "backend", 30, 60);
    Span clientChild = s(4, 2, "frontend", 12, 14); // local work of the client half
    Trace t = Trace.of(shuffled(List.of(root, client, server, serverChild, clientChild), 7));
    assertThat(t.spanCount()).isEqualTo(5);
    TraceNode c = nodeOf(t, client);
    TraceNode srv = nodeOf(t, server);
    assertThat(srv.parent()).isSameAs(c);
    assertThat(srv.flags()).containsExactly(Flag.SHARED);
    assertThat(c.parent()).isSameAs(t.root());
    assertThat(c.flags()).isEmpty();
    assertThat(nodeOf(t, serverChild).parent()).isSameAs(srv);
    assertThat(nodeOf(t, clientChild).parent()).isSameAs(c);
    assertThat(t.depth()).isEqualTo(4);
    // The client's self time is the network and queueing around the server.
    assertThat(c.selfTimeNanos()).isEqualTo(80 - 60 - 2);
    assertThat(t.orphanCount()).isZero();
  }

  @Test
  void sharedSpanInOneService_childGoesToTheServerHalf() {
    Span client = span(2, 1, "svc", 10, 90).kind(SpanKind.CLIENT).build();
    Span server = span(2, 1, "svc", 20, 80).kind(SpanKind.SERVER).build();
    Trace t = Trace.of(List.of(s(1, 0, "svc", 0, 100), client, server, s(3, 2, "svc", 30, 40)));
    assertThat(nodeOf(t, server).parent()).isSameAs(nodeOf(t, client));
    assertThat(node(t, 3).parent()).isSameAs(nodeOf(t, server));
  }

  @Test
  void rejectsMixedTraceIds() {
    Span other = span(2, 1, "api", 0, 1).traceId(new TraceId(0, 0x77)).build();
    assertThatThrownBy(() -> Trace.of(List.of(s(1, 0, "web", 0, 10), other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TRACE.toHex())
        .hasMessageContaining(new TraceId(0, 0x77).toHex())
        .hasMessageContaining("spans[1]");
  }

  @Test
  void rejectsEmptyAndNull() {
    assertThatThrownBy(() -> Trace.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> Trace.of(Arrays.asList(s(1, 0, "web", 0, 1), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spans[1]");
    assertThatThrownBy(() -> Trace.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void isImmutable() {
    Trace t = Trace.of(SIMPLE);
    assertThatThrownBy(() -> t.nodes().remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.spans().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.root().children().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node(t, 3).children().add(t.root()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.services().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.criticalPath().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.serviceShares().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    // Changing the input list afterwards changes nothing.
    List<Span> input = new ArrayList<>(SIMPLE);
    Trace u = Trace.of(input);
    input.clear();
    assertThat(u.spanCount()).isEqualTo(4);
  }

  @Test
  void singleSpan() {
    Trace t = Trace.of(List.of(s(1, 0, "web", 0, 10)));
    assertThat(t.depth()).isEqualTo(1);
    assertThat(t.root().selfTimeNanos()).isEqualTo(10);
    assertThat(TraceFixtures.path(t)).containsExactly("1:0-10");
    assertThat(t.bottleneckService().service()).isEqualTo("web");
    assertThat(t.bottleneckService().criticalPathFraction()).isEqualTo(1.0);
  }

  static TraceNode nodeOf(Trace t, Span s) {
    for (TraceNode n : t.nodes()) {
      if (SpanMerger.sameIdentity(n.span(), s)) return n;
    }
    throw new AssertionError("missing " + s);
  }

  static int countReachable(TraceNode root) {
    int count = 0;
    List<TraceNode> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      TraceNode n = todo.remove(todo.size() - 1);
      count++;
      todo.addAll(n.children());
    }
    return count;
  }
}
