package tracestore.ingest.pipeline;

/**
 * A request's spans were not all durably written within the request deadline (the store was
 * failing, slow or overloaded). The request is not acknowledged: receivers answer 503 (gRPC {@code
 * UNAVAILABLE}) so the client retries; spans written meanwhile are deduplicated on read. The cause,
 * when present, is the last storage failure.
 */
public final class DeadlineExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
