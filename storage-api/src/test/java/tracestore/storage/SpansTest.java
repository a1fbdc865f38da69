package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.WriteBatchesTest.T1;
import static tracestore.storage.WriteBatchesTest.span;

import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;

class SpansTest {
  @Test
  void removesExactDuplicatesAcrossChunksAndSortsByStartThenUnsignedSpanId() {
    Span a = span(T1, 5, "s", "a", 100, 1).build();
    Span b = span(T1, -1L, "s", "b", 50, 1).build(); // 0xffff... unsigned: after c
    Span c = span(T1, 7, "s", "c", 50, 1).build();

    List<Span> out = Spans.dedupeAndSort(List.of(List.of(a, b), List.of(c, a), List.of(b)));

    assertThat(out).containsExactly(c, b, a);
  }

  @Test
  void keepsSpansThatDifferInAnyField() {
    Span a = span(T1, 5, "s", "a", 100, 1).build();
    Span tagged = a.toBuilder().addTag("k", "v").build();
    Span server = span(T1, 9, "callee", "call", 100, 1).build();
    Span client = span(T1, 9, "caller", "call", 100, 1).kind(SpanKind.CLIENT).build();

    List<Span> out = Spans.dedupeAndSort(List.of(client, tagged, a, server, a));

    assertThat(out).containsExactlyInAnyOrder(a, tagged, server, client);
    assertThat(out.subList(2, 4)).containsExactly(server, client); // same id: SERVER before CLIENT
    assertThat(Spans.dedupeAndSort(List.of(a, server, tagged, client))).isEqualTo(out);
  }

  @Test
  void theOrderDoesNotDependOnTheInputOrder() {
    Span x = span(T1, 9, "b", "call", 100, 1).build();
    Span y = span(T1, 9, "a", "call", 100, 1).build();
    assertThat(Spans.dedupeAndSort(List.of(x, y))).isEqualTo(Spans.dedupeAndSort(List.of(y, x)));
  }
}
