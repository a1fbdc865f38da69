package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.WriteBatchesTest.T1;
import static tracestore.storage.WriteBatchesTest.span;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tracestore.storage.codec.RandomSpans;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.Tag;

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

  /** Seeded random traces with duplicates and near-twins, shuffled: same as a plain set + sort. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void matchesAPlainSetAndSort(long seed) {
    RandomSpans random = new RandomSpans(seed);
    Random shuffle = new Random(seed);
    List<Span> spans = new ArrayList<>(random.trace(random.traceId(), 200));
    for (int i = 0; i < 60; i++) {
      Span s = spans.get(shuffle.nextInt(200));
      spans.add(shuffle.nextBoolean() ? s : s.toBuilder().addTag(Tag.of("twin", (long) i)).build());
      spans.add(s.toBuilder().build());
    }
    Collections.shuffle(spans, shuffle);

    List<Span> expected = new ArrayList<>(new LinkedHashSet<>(spans));
    expected.sort(Spans.READ_ORDER);
    assertThat(Spans.dedupeAndSort(List.of(spans.subList(0, 100), spans.subList(100, spans.size()))))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void theOrderDoesNotDependOnTheInputOrder() {
    Span x = span(T1, 9, "b", "call", 100, 1).build();
    Span y = span(T1, 9, "a", "call", 100, 1).build();
    assertThat(Spans.dedupeAndSort(List.of(x, y))).isEqualTo(Spans.dedupeAndSort(List.of(y, x)));
  }
}
