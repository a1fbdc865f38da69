package tracestore.ingest.pipeline;

import java.util.List;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;

/**
 * Turns the spans of one pipeline batch into what a {@link tracestore.storage.SpanWriter} stores:
 * spans grouped by trace, each group encoded as one LZ4 chunk, plus the index entries deduplicated
 * per trace. In production this is {@code WriteBatches::toBatch} from storage-api. Called from the
 * pipeline's single batcher thread; it must be deterministic so a retried batch stores the same
 * chunk ids.
 */
@FunctionalInterface
public interface BatchEncoder {
  /**
   * @param spans at least one span; the list is not retained
   * @throws IllegalArgumentException when a span cannot be encoded
   */
  WriteBatch encode(List<Span> spans);
}
