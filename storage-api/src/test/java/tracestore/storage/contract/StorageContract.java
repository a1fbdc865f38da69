package tracestore.storage.contract;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.Storage;
import tracestore.storage.TraceReader;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;

/**
 * The base of every contract suite. A backend overrides only {@link #newStorage()} and {@link
 * #clear()} (and, if it must, a {@code supportsX()} excuse).
 *
 * <p>Lifecycle: one test instance per suite class. {@link #newStorage()} is called once per suite
 * class, before its tests, followed by {@link #clear()}; the storage is closed after the class.
 * Tests never depend on an empty store: each uses fresh trace ids, a {@link
 * TestObjects#testSuffix()} in service names and tag keys, and its own random time window, so
 * {@link #clear()} exists to keep a reused database from growing, not for correctness.
 *
 * <p>Time: every time is nanoseconds since the epoch, near now (hours back, never days), and a
 * whole number of microseconds, so a backend that stores index times in micros passes. Span
 * payloads (chunks) must round-trip in nanos.
 *
 * <p>Excuses: a backend that cannot do something overrides the matching {@code supportsX()} to
 * return false; the affected tests are then reported as skipped with the reason, on stderr too,
 * never silently. Tests are never skipped by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageContract {
  /** How long a write may take before the suite calls it hung. */
  static final long WRITE_TIMEOUT_SECONDS = 60;

  /** The storage under test, opened by {@link #newStorage()}. */
  protected Storage storage;

  /**
   * The real index derivation, as ingest uses it, indexing every key: the suite searches tag keys
   * of its own making. {@code UnindexedTagSearchContract} covers the default, narrower policy.
   */
  protected final WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());

  /**
   * Opens the backend under test; called once per suite class. It may share connections with
   * other suites' storages, but its {@link Storage#close()} must then not close them.
   */
  protected abstract Storage newStorage();

  /** Removes all stored data of {@link #storage} (chunks, index entries, names). */
  protected abstract void clear();

  /**
   * Whether the backend can search without a service (time range only, optionally errorOnly).
   * True by default; a backend whose index layout cannot, returns false and says why in its docs.
   */
  protected boolean supportsSearchWithoutService() {
    return true;
  }

  @BeforeAll
  final void openStorage() {
    storage = newStorage();
    clear();
  }

  @AfterAll
  final void closeStorage() {
    if (storage != null) storage.close();
  }

  protected final TraceReader reader() {
    return storage.reader();
  }

  /** Derives a batch from the spans, writes it and waits for the acknowledgement. */
  protected final void write(Collection<Span> spans) {
    write(batches.toBatch(spans));
  }

  protected final void write(Span... spans) {
    write(List.of(spans));
  }

  /** Writes one batch and waits until its stage completes; rethrows its failure unwrapped. */
  protected final void write(WriteBatch batch) {
    await(storage.writer().write(batch));
  }

  protected static void await(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new AssertionError("write failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a write", e);
    } catch (TimeoutException e) {
      throw new AssertionError("write did not complete in " + WRITE_TIMEOUT_SECONDS + " s", e);
    }
  }

  protected final SearchResult search(SearchRequest.Builder request) {
    return reader().search(request.build());
  }

  /**
   * Skips the calling test when {@code supported} is false, saying so on stderr and in the report.
   * Under {@code CI=true} the line is always printed, so an excuse is never silent.
   */
  protected final void excuse(boolean supported, String capability) {
    if (supported) return;
    String message =
        getClass().getName() + " is excused: the backend does not support " + capability;
    System.err.println("[contract] " + message + ("true".equals(System.getenv("CI")) ? " (CI)" : ""));
    Assumptions.abort(message);
  }
}
