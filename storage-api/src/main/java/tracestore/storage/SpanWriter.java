package tracestore.storage;

import java.util.concurrent.CompletionStage;

/** Stores write batches. Thread-safe. */
public interface SpanWriter {
  /**
   * Writes the chunks and index entries of one batch.
   *
   * <ul>
   *   <li>The returned stage completes normally only once every chunk and index entry is durable
   *       in the backend: a reader called afterwards sees the spans.
   *   <li>Writing the same batch twice stores nothing twice: chunks are keyed by (traceId,
   *       chunkId) and index entries by their content.
   *   <li>Invalid input fails at once by throwing {@link IllegalArgumentException}, before any I/O.
   *       I/O happens only after the call returns or on backend threads; the caller is never
   *       blocked on the database. Backends check with {@link WriteBatches#validate(WriteBatch)},
   *       which also rejects a null batch and index entries naming a trace without a chunk in the
   *       batch; nothing of a rejected batch is stored.
   *   <li>An empty batch completes normally.
   *   <li>I/O failures complete the stage exceptionally with a {@link StorageException}, whose
   *       {@link StorageException#isRetryable()} tells whether repeating the write can help. A
   *       failed write may have stored part of the batch; repeating it is safe.
   * </ul>
   */
  CompletionStage<Void> write(WriteBatch batch);
}
