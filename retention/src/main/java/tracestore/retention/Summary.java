package tracestore.retention;

/**
 * What a run did.
 *
 * @param buckets hour buckets aggregated
 * @param spans raw spans scanned
 * @param rollups rollup rows written (or that would be, in a dry run)
 * @param links dependency link rows written
 * @param exemplars exemplar traces written
 * @param leaseLost true when another scheduler held the lease and the run stopped early
 * @param elapsedNanos wall time of the run
 */
public record Summary(boolean dryRun, int buckets, long spans, long rollups, long links,
    long exemplars, boolean leaseLost, long elapsedNanos) {

  /** Scanned spans per second of wall time. */
  public double spansPerSecond() {
    return elapsedNanos == 0 ? 0 : spans * 1e9 / elapsedNanos;
  }

  @Override
  public String toString() {
    return (dryRun ? "dry run: " : "") + buckets + " buckets, " + spans + " spans, " + rollups
        + " rollups, " + links + " links, " + exemplars + " exemplars in "
        + (elapsedNanos / 1_000_000) + " ms (" + Math.round(spansPerSecond()) + " spans/s)"
        + (leaseLost ? "; stopped: another scheduler holds the lease" : "");
  }

  static final class Builder {
    private final boolean dryRun;
    private int buckets;
    private long spans;
    private long rollups;
    private long links;
    private long exemplars;
    boolean leaseLost;

    Builder(boolean dryRun) {
      this.dryRun = dryRun;
    }

    void add(AggregationJob.BucketOutput out) {
      buckets++;
      spans += out.spans();
      rollups += out.rollups().size();
      links += out.links().size();
      exemplars += out.exemplars().size();
    }

    Summary build(long elapsedNanos) {
      return new Summary(dryRun, buckets, spans, rollups, links, exemplars, leaseLost, elapsedNanos);
    }
  }
}
