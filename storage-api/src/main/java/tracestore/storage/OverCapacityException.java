package tracestore.storage;

/**
 * The backend (or the pipeline in front of it) is saturated: too many requests in flight. Retryable;
 * ingest answers 429/503 with {@code Retry-After}, or gRPC {@code RESOURCE_EXHAUSTED}.
 */
public class OverCapacityException extends StorageException {
  private static final long serialVersionUID = 1L;

  public OverCapacityException(String message, Throwable cause) {
    super(message, true, cause);
  }
}
