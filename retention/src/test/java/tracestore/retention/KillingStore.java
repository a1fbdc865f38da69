package tracestore.retention;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;

/** Lets {@code writes} data writes through, then fails every call as if the process died. */
final class KillingStore extends DelegatingStore {
  static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed");
    }
  }

  private final int writes;
  private final AtomicInteger done = new AtomicInteger();

  KillingStore(RollupStore delegate, int writes) {
    super(delegate);
    this.writes = writes;
  }

  private void maybeDie() {
    if (done.incrementAndGet() > writes) throw new Killed();
  }

  @Override
  public CompletionStage<Void> writeRollups(List<Rollup> rollups) {
    maybeDie();
    return super.writeRollups(rollups);
  }

  @Override
  public CompletionStage<Void> writeLinks(List<DependencyLink> links) {
    maybeDie();
    return super.writeLinks(links);
  }

  @Override
  public CompletionStage<Void> writeExemplars(List<Exemplar> exemplars) {
    maybeDie();
    return super.writeExemplars(exemplars);
  }

  @Override
  public void releaseLease(String name, String owner) {
    // A dead process releases nothing.
  }
}
