package tracestore.storage;

/**
 * One backend: hands out its writer, reader and rollup store, which share its connections. {@link
 * #close()} releases them; in-flight writes complete or fail first.
 */
public interface Storage extends AutoCloseable {
  SpanWriter writer();

  TraceReader reader();

  RollupStore rollups();

  /** Checks the backend answers and its schema is current; throws {@link StorageException} if not. */
  void check();

  @Override
  void close();
}
