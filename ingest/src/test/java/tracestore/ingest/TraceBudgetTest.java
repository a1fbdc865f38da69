package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.ingest.TraceBudget.Verdict;
import tracestore.storage.model.TraceId;

class TraceBudgetTest {
  static final TraceId A = new TraceId(1, 1);
  static final TraceId B = new TraceId(2, 2);
  static final TraceId C = new TraceId(3, 3);

  static List<Verdict> take(TraceBudget budget, TraceId id, int n) {
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(budget.take(id));
    return out;
  }

  @Test
  void keepsTheCapThenMarksOneThenDropsTheRest() {
    TraceBudget budget = new TraceBudget(3, 10);
    assertThat(take(budget, A, 6)).containsExactly(
        Verdict.KEEP, Verdict.KEEP, Verdict.KEEP, Verdict.KEEP_AND_MARK, Verdict.DROP, Verdict.DROP);
    assertThat(take(budget, B, 2)).containsExactly(Verdict.KEEP, Verdict.KEEP);
  }

  @Test
  void forgetsTheLeastRecentlySeenTraceBeyondMaxTraces() {
    TraceBudget budget = new TraceBudget(1, 2);
    take(budget, A, 3); // A is over its cap
    take(budget, B, 1);
    assertThat(budget.take(A)).isEqualTo(Verdict.DROP); // A is now the most recently seen
    take(budget, C, 1); // evicts B, the least recently seen
    assertThat(budget.take(A)).isEqualTo(Verdict.DROP);
    assertThat(budget.take(B)).isEqualTo(Verdict.KEEP); // forgotten, so counted afresh
  }

  @Test
  void boundsMustBePositive() {
    assertThatThrownBy(() -> new TraceBudget(0, 1)).hasMessageContaining("maxSpansPerTrace");
    assertThatThrownBy(() -> new TraceBudget(1, 0)).hasMessageContaining("maxTraces");
  }
}
