package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.TraceId;

class PostingsTest {
  @ParameterizedTest(name = "width {0}")
  @ValueSource(ints = {Postings.TAG_WIDTH, Postings.OPERATION_WIDTH, Postings.SERVICE_WIDTH})
  void roundTripsEveryRecordInACanonicalOrderAndSplitsAtTheBound(int width) {
    SplittableRandom random = new SplittableRandom(width);
    List<Postings.Entry> entries = new ArrayList<>();
    for (int i = 0; i < Postings.MAX_ENTRIES + 7; i++) {
      entries.add(new Postings.Entry(
          new TraceId(random.nextLong(), random.nextLong() | 1), random.nextLong(1L << 62),
          width >= Postings.OPERATION_WIDTH ? random.nextLong(1L << 40) : 0,
          width >= Postings.SERVICE_WIDTH && random.nextBoolean()));
    }
    List<Postings.Posting> postings = Postings.of(entries, width);
    assertThat(postings).hasSize(2);

    List<Postings.Entry> decoded = new ArrayList<>();
    for (Postings.Posting p : postings) {
      long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
      Postings.decode(p.entries().duplicate(), width, (id, start, duration, error) -> {
        decoded.add(new Postings.Entry(id, start, duration, error));
        range[0] = Math.min(range[0], start);
        range[1] = Math.max(range[1], start);
      });
      assertThat(p.minStart()).isEqualTo(range[0]);
      assertThat(p.maxStart()).isEqualTo(range[1]);
    }
    assertThat(decoded).containsExactlyInAnyOrderElementsOf(entries);

    List<Postings.Entry> shuffled = new ArrayList<>(entries);
    Collections.shuffle(shuffled, new java.util.Random(1));
    assertThat(Postings.of(shuffled, width)).extracting(Postings.Posting::id)
        .as("same entries in another order: same rows, so a replay overwrites")
        .containsExactlyElementsOf(postings.stream().map(Postings.Posting::id).toList());
  }

  @Test
  void aPostingsIdIgnoresRecordOrderButNotRecordContent() {
    SplittableRandom random = new SplittableRandom(3);
    List<Postings.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      entries.add(new Postings.Entry(new TraceId(random.nextLong(), random.nextLong() | 1), random.nextLong(1L << 62), 0, false));
    }
    long id = Postings.of(entries, Postings.TAG_WIDTH).get(0).id();
    List<Postings.Entry> reversed = new ArrayList<>(entries);
    Collections.reverse(reversed);
    assertThat(Postings.of(reversed, Postings.TAG_WIDTH).get(0).id()).isEqualTo(id);

    List<Postings.Entry> changed = new ArrayList<>(entries);
    Postings.Entry e = changed.get(7);
    changed.set(7, new Postings.Entry(e.traceId(), e.start() + 1, 0, false));
    assertThat(Postings.of(changed, Postings.TAG_WIDTH).get(0).id()).isNotEqualTo(id);
    assertThat(Postings.of(entries.subList(0, 49), Postings.TAG_WIDTH).get(0).id()).isNotEqualTo(id);
  }

  @Test
  void rejectsABlobThatIsNotWholeRecords() {
    assertThatThrownBy(() -> Postings.decode(ByteBuffer.allocate(25), Postings.TAG_WIDTH, (a, b, c, d) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a multiple of 24");
  }
}
