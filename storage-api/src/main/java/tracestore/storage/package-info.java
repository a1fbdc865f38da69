/**
 * The storage SPI: {@link tracestore.storage.Storage} hands out a {@link
 * tracestore.storage.SpanWriter}, a {@link tracestore.storage.TraceReader} and a {@link
 * tracestore.storage.RollupStore}. Writes are asynchronous ({@code CompletionStage}) because ingest
 * must acknowledge only durable spans without holding a thread; reads are blocking. Failures are
 * {@link tracestore.storage.StorageException}s that say whether a retry can help.
 *
 * <p>Ingest, query and retention depend only on this package; backends expose only their {@code
 * *Storage} and its builder.
 */
package tracestore.storage;
