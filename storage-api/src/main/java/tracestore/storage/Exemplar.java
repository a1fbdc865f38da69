package tracestore.storage;

import java.util.Arrays;
import java.util.Objects;
import tracestore.storage.model.TraceId;

/**
 * One trace kept past raw retention as an example of a (service, operation, hour): an error trace or
 * one of the slowest. The trace is copied whole into {@code payload}, a chunk as encoded by {@link
 * tracestore.storage.codec.ChunkEncoder}, so it decodes with {@link
 * tracestore.storage.codec.ChunkDecoder#decode(byte[])} after its raw chunks are deleted. It never
 * references a {@link ChunkDictionary} (format 2), so it outlives the dictionaries too.
 *
 * @param bucketStartEpochNanos the start of the hour, nanoseconds since the epoch
 * @param durationNanos the duration of the span that made the trace an exemplar, nanoseconds
 * @param reason why the trace was kept
 */
public record Exemplar(
    String service,
    String operation,
    long bucketStartEpochNanos,
    TraceId traceId,
    Reason reason,
    long durationNanos,
    byte[] payload) {
  /** Why a trace was kept. */
  public enum Reason {
    ERROR,
    SLOW
  }

  public Exemplar {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(traceId, "traceId == null");
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(payload, "payload == null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Exemplar e
        && e.service.equals(service)
        && e.operation.equals(operation)
        && e.bucketStartEpochNanos == bucketStartEpochNanos
        && e.traceId.equals(traceId)
        && e.reason == reason
        && e.durationNanos == durationNanos
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, operation, bucketStartEpochNanos, traceId, reason, durationNanos);
  }

  @Override
  public String toString() {
    return "Exemplar{" + service + '/' + operation + " @" + bucketStartEpochNanos + ' ' + traceId
        + ' ' + reason + ' ' + durationNanos + "ns, " + payload.length + " bytes}";
  }
}
