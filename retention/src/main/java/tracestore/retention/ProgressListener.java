package tracestore.retention;

/** Hears how a run goes, on the running thread. Every method defaults to doing nothing. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** Before the first bucket: {@code buckets} hours in [from, to), nanoseconds. */
  default void started(int buckets, long fromEpochNanos, long toEpochNanos) {}

  /** After bucket number {@code done} of {@code total}, starting at {@code bucket}, with its spans. */
  default void bucketDone(int done, int total, long bucketStartEpochNanos, long spans) {}

  default void finished(Summary summary) {}
}
