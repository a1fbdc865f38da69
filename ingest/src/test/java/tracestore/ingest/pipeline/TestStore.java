package tracestore.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tracestore.storage.Chunk;
import tracestore.storage.SpanWriter;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;

/**
 * A stand-in for the storage-api codec and in-memory store, until those land: the encoder makes
 * one chunk per trace whose id names the spans it carries, and the writer keeps the chunks it was
 * given. {@link #stored()} is what a reader would see.
 */
public final class TestStore implements SpanWriter, BatchEncoder {
  private final Map<Long, List<Span>> encoded = new ConcurrentHashMap<>();
  private final Map<Long, Chunk> stored = new ConcurrentHashMap<>();
  private final AtomicLong nextChunk = new AtomicLong(1);
  public final AtomicInteger writes = new AtomicInteger();

  @Override
  public WriteBatch encode(List<Span> spans) {
    Map<tracestore.storage.model.TraceId, List<Span>> byTrace = new java.util.LinkedHashMap<>();
    for (Span s : spans) byTrace.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(s);
    List<Chunk> chunks = new ArrayList<>();
    byTrace.forEach(
        (trace, group) -> {
          long id = nextChunk.getAndIncrement();
          encoded.put(id, List.copyOf(group));
          long min = Long.MAX_VALUE;
          long max = 0;
          for (Span s : group) {
            min = Math.min(min, s.startEpochNanos());
            max = Math.max(max, s.endEpochNanos());
          }
          chunks.add(new Chunk(trace, id, min, max, group.size(), new byte[0]));
        });
    return new WriteBatch(chunks, List.of(), List.of(), List.of());
  }

  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    writes.incrementAndGet();
    for (Chunk c : batch.chunks()) stored.put(c.chunkId(), c);
    return CompletableFuture.completedFuture(null);
  }

  public List<Span> stored() {
    List<Span> out = new ArrayList<>();
    for (Chunk c : stored.values()) out.addAll(encoded.get(c.chunkId()));
    return out;
  }
}
