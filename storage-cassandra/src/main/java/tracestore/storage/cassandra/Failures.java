package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.UnsupportedProtocolVersionException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import tracestore.storage.OverCapacityException;
import tracestore.storage.StorageException;

/**
 * The one place where a failure of this backend is classified. The driver's exception stays the
 * cause.
 *
 * <ul>
 *   <li>Overload (the node's {@code OverloadedException}, a busy connection, the driver's throttler)
 *       becomes {@link OverCapacityException}: retry later, ingest answers 429/503.
 *   <li>Everything that a repeat can fix (no node reachable, timeouts, unavailable replicas, a dropped
 *       connection, a node bootstrapping) is retryable.
 *   <li>What a repeat cannot fix (a query the schema rejects: tables missing or different; bad
 *       credentials; an unsupported protocol; a codec mismatch) is permanent, and the message names
 *       {@code tracestore migrate} when the schema is the likely cause.
 * </ul>
 */
final class Failures {
  private Failures() {}

  static StorageException map(Throwable thrown, String what) {
    Throwable t = unwrap(thrown);
    if (t instanceof StorageException se) return se;
    if (t instanceof OverloadedException
        || t instanceof BusyConnectionException
        || t instanceof RequestThrottlingException) {
      return new OverCapacityException(what + ": Cassandra is overloaded: " + t.getMessage(), t);
    }
    if (t instanceof InvalidQueryException) {
      return StorageException.permanent(
          what + ": Cassandra rejected the query (" + t.getMessage() + "); the keyspace schema is missing or"
              + " not the one this build expects: run tracestore migrate",
          t);
    }
    if (t instanceof QueryValidationException
        || t instanceof AuthenticationException
        || t instanceof UnsupportedProtocolVersionException
        || t instanceof CodecNotFoundException) {
      return StorageException.permanent(what + ": " + t.getMessage(), t);
    }
    if (t instanceof AllNodesFailedException) {
      return StorageException.retryable(what + ": no Cassandra node answered: " + t.getMessage(), t);
    }
    if (t instanceof DriverTimeoutException) {
      return StorageException.retryable(what + ": timed out: " + t.getMessage(), t);
    }
    if (t instanceof DriverException) {
      return StorageException.retryable(what + ": " + t.getMessage(), t);
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return StorageException.retryable(what + ": interrupted", t);
    }
    if (t instanceof Error err && !(t instanceof AssertionError)) throw err;
    return StorageException.permanent(what + ": " + t, t);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
