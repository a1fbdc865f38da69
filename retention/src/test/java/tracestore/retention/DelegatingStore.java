package tracestore.retention;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.model.Span;

/** Passes every call to a real store; tests override what they want to disturb or observe. */
class DelegatingStore implements RollupStore {
  final RollupStore delegate;

  DelegatingStore(RollupStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void scanRaw(long from, long to, Consumer<List<Span>> chunkSpans) {
    delegate.scanRaw(from, to, chunkSpans);
  }

  @Override
  public CompletionStage<Void> writeRollups(List<Rollup> rollups) {
    return delegate.writeRollups(rollups);
  }

  @Override
  public List<Rollup> readRollups(String service, long from, long to) {
    return delegate.readRollups(service, from, to);
  }

  @Override
  public CompletionStage<Void> writeLinks(List<DependencyLink> links) {
    return delegate.writeLinks(links);
  }

  @Override
  public List<DependencyLink> readLinks(long from, long to) {
    return delegate.readLinks(from, to);
  }

  @Override
  public CompletionStage<Void> writeExemplars(List<Exemplar> exemplars) {
    return delegate.writeExemplars(exemplars);
  }

  @Override
  public List<Exemplar> readExemplars(String service, long from, long to) {
    return delegate.readExemplars(service, from, to);
  }

  @Override
  public OptionalLong watermark(String job) {
    return delegate.watermark(job);
  }

  @Override
  public void setWatermark(String job, long epochNanos) {
    delegate.setWatermark(job, epochNanos);
  }

  @Override
  public boolean tryLease(String name, String owner, Duration ttl) {
    return delegate.tryLease(name, owner, ttl);
  }

  @Override
  public void releaseLease(String name, String owner) {
    delegate.releaseLease(name, owner);
  }

  @Override
  public long deleteRawBefore(long epochNanos) {
    return delegate.deleteRawBefore(epochNanos);
  }
}
