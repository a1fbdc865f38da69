package tracestore.storage;

/**
 * The one unchecked base for storage failures. {@link #isRetryable()} is the single place where a
 * failure is classified: retryable ones (database down, connection dropped, timeout, overload) may
 * succeed if the same call is repeated; permanent ones (corrupt data, schema mismatch) will not.
 * Backends keep the driver's exception as the cause rather than rewrapping its message away.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public StorageException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public static StorageException retryable(String message, Throwable cause) {
    return new StorageException(message, true, cause);
  }

  public static StorageException permanent(String message, Throwable cause) {
    return new StorageException(message, false, cause);
  }

  public boolean isRetryable() {
    return retryable;
  }
}
