package tracestore.ingest;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Locale;
import tracestore.ingest.pipeline.DeadlineExceededException;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.RejectedException;
import tracestore.storage.StorageException;

/**
 * The one place that maps why a request failed to what the client sees: HTTP status, gRPC code,
 * message and {@code Retry-After}.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><th>cause</th><th>HTTP</th><th>gRPC</th></tr>
 *   <tr><td>malformed body, no valid span, spans the store refuses</td><td>400</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>body, inflated body or span count too large</td><td>413</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>unknown content type or encoding</td><td>415</td><td>INVALID_ARGUMENT</td></tr>
 *   <tr><td>queue full</td><td>429 + Retry-After</td><td>RESOURCE_EXHAUSTED + RetryInfo</td></tr>
 *   <tr><td>shutting down, deadline passed, decoders busy</td><td>503 + Retry-After</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>permanent storage failure, bug</td><td>500</td><td>INTERNAL</td></tr>
 * </table>
 *
 * @param retryAfterSeconds 0 when the client should not retry as is
 */
record Failure(int httpStatus, Status.Code grpcCode, String message, long retryAfterSeconds) {

  static Failure of(Throwable t) {
    t = unwrap(t);
    if (t instanceof BadRequestException e) {
      int status =
          switch (e.reason()) {
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            default -> 400;
          };
      return new Failure(status, Status.Code.INVALID_ARGUMENT, e.getMessage(), 0);
    }
    if (t instanceof RejectedException e) {
      long after = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
      return switch (e.reason()) {
        case QUEUE_FULL -> new Failure(429, Status.Code.RESOURCE_EXHAUSTED, e.getMessage(), after);
        case CLOSED -> new Failure(503, Status.Code.UNAVAILABLE, e.getMessage(), after);
        case TOO_LARGE -> new Failure(413, Status.Code.INVALID_ARGUMENT, e.getMessage(), 0);
      };
    }
    if (t instanceof java.util.concurrent.RejectedExecutionException) {
      return new Failure(503, Status.Code.UNAVAILABLE, "all decoders are busy; retry later", 1);
    }
    if (t instanceof DeadlineExceededException e) {
      return new Failure(503, Status.Code.UNAVAILABLE, e.getMessage(), 1);
    }
    if (t instanceof IllegalArgumentException e) {
      // The encoder or the writer refused the request's spans: the data is at fault, not the store.
      return new Failure(400, Status.Code.INVALID_ARGUMENT, "spans cannot be stored: " + e.getMessage(), 0);
    }
    if (t instanceof StorageException e) {
      return new Failure(500, Status.Code.INTERNAL, "storage failed: " + e.getMessage(), 0);
    }
    return new Failure(500, Status.Code.INTERNAL, "internal error: " + t, 0);
  }

  /** Counts a request the receiver refused itself (the pipeline counts its own refusals). */
  static void count(Throwable t, IngestMetrics metrics) {
    Throwable c = unwrap(t);
    if (c instanceof BadRequestException e && e.reason() != BadRequestException.Reason.INVALID_SPANS) {
      metrics.rejected(e.reason().name().toLowerCase(Locale.ROOT), 0);
    } else if (c instanceof java.util.concurrent.RejectedExecutionException) {
      metrics.rejected("decoders_busy", 0);
    }
  }

  StatusRuntimeException toGrpc() {
    com.google.rpc.Status.Builder s =
        com.google.rpc.Status.newBuilder().setCode(grpcCode.value()).setMessage(message);
    if (retryAfterSeconds > 0) {
      s.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
