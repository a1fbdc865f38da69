package tracestore.storage;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import tracestore.storage.model.Span;

/**
 * What retention needs: a raw scan by time, rollups and links written by overwrite, a watermark, a
 * lease, and deletion of raw data by time. Every method has a default that throws {@link
 * UnsupportedOperationException}, so the SPI can grow without breaking backends.
 */
public interface RollupStore {
  /**
   * Delivers the spans of every chunk whose earliest start lies in [from, to), one chunk per call,
   * each chunk exactly once. Nanoseconds since the epoch.
   */
  default void scanRaw(long fromEpochNanos, long toEpochNanos, Consumer<List<Span>> chunkSpans) {
    throw unsupported("scanRaw");
  }

  /** Writes by overwrite of the row keyed by (service, operation, kind, bucket): reruns are idempotent. */
  default CompletionStage<Void> writeRollups(List<Rollup> rollups) {
    throw unsupported("writeRollups");
  }

  /** Rollups of a service (any service when empty) with buckets in [from, to). */
  default List<Rollup> readRollups(String service, long fromEpochNanos, long toEpochNanos) {
    throw unsupported("readRollups");
  }

  /** Writes by overwrite of the row keyed by (parent, child, bucket). */
  default CompletionStage<Void> writeLinks(List<DependencyLink> links) {
    throw unsupported("writeLinks");
  }

  default List<DependencyLink> readLinks(long fromEpochNanos, long toEpochNanos) {
    throw unsupported("readLinks");
  }

  /**
   * Writes by overwrite of the row keyed by (service, operation, bucket, trace id, reason): reruns
   * are idempotent.
   */
  default CompletionStage<Void> writeExemplars(List<Exemplar> exemplars) {
    throw unsupported("writeExemplars");
  }

  /**
   * Exemplars of a service (any service when empty) with buckets in [from, to), nanoseconds since
   * the epoch, ordered by bucket, service, operation, reason, trace id.
   */
  default List<Exemplar> readExemplars(String service, long fromEpochNanos, long toEpochNanos) {
    throw unsupported("readExemplars");
  }

  /** The last completed bucket end of a job, or empty when it never ran. */
  default OptionalLong watermark(String job) {
    throw unsupported("watermark");
  }

  default void setWatermark(String job, long epochNanos) {
    throw unsupported("setWatermark");
  }

  /**
   * Takes or renews the lease {@code name} for {@code owner} for {@code ttl}. True when the caller
   * holds it afterwards; false when another live owner does.
   */
  default boolean tryLease(String name, String owner, Duration ttl) {
    throw unsupported("tryLease");
  }

  default void releaseLease(String name, String owner) {
    throw unsupported("releaseLease");
  }

  /**
   * Deletes raw chunks and index entries older than {@code epochNanos}, at the backend's own
   * granularity (a PostgreSQL daily partition, bounded SQLite deletes; a no-op where TTL expires
   * data). Returns how many buckets or rows were removed.
   */
  default long deleteRawBefore(long epochNanos) {
    throw unsupported("deleteRawBefore");
  }

  /**
   * Deletes rollups and dependency links of buckets starting before {@code epochNanos}
   * (nanoseconds since the epoch). Returns how many rows were removed.
   */
  default long deleteRollupsBefore(long epochNanos) {
    throw unsupported("deleteRollupsBefore");
  }

  /** Deletes exemplars of buckets starting before {@code epochNanos}; returns the rows removed. */
  default long deleteExemplarsBefore(long epochNanos) {
    throw unsupported("deleteExemplarsBefore");
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        getClass().getSimpleName() + " does not support " + what + " yet");
  }
}
