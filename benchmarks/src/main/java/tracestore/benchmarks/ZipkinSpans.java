package tracestore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;

/**
 * Our spans as a Zipkin v2 JSON list, encoded by Zipkin's own codec, the way a Zipkin reporter
 * would send them: local and remote endpoints by service name, microsecond times, tags as strings,
 * logs as annotations, an {@code error} tag on failed spans. Resource attributes and scopes have no
 * place in Zipkin's model and are left out.
 */
final class ZipkinSpans {
  private ZipkinSpans() {}

  static byte[] encode(List<Span> spans) {
    List<zipkin2.Span> out = new ArrayList<>(spans.size());
    for (Span s : spans) out.add(toZipkin(s));
    return SpanBytesEncoder.JSON_V2.encodeList(out);
  }

  static zipkin2.Span toZipkin(Span s) {
    zipkin2.Span.Builder b = zipkin2.Span.newBuilder()
        .traceId(s.traceId().toHex())
        .id(SpanId.toHex(s.spanId()))
        .name(s.name())
        .timestamp(s.startEpochNanos() / 1_000)
        .duration(Math.max(1, s.durationNanos() / 1_000))
        .localEndpoint(Endpoint.newBuilder().serviceName(s.service()).build());
    if (s.parentSpanId() != 0) b.parentId(SpanId.toHex(s.parentSpanId()));
    switch (s.kind()) {
      case SERVER -> b.kind(zipkin2.Span.Kind.SERVER);
      case CLIENT -> b.kind(zipkin2.Span.Kind.CLIENT);
      case PRODUCER -> b.kind(zipkin2.Span.Kind.PRODUCER);
      case CONSUMER -> b.kind(zipkin2.Span.Kind.CONSUMER);
      default -> { }
    }
    if (!s.remoteService().isEmpty()) {
      b.remoteEndpoint(Endpoint.newBuilder().serviceName(s.remoteService()).build());
    }
    for (Tag t : s.tags()) b.putTag(t.key(), t.value().asString());
    if (s.statusCode() == StatusCode.ERROR) {
      b.putTag("error", s.statusMessage().isEmpty() ? "true" : s.statusMessage());
    }
    for (SpanLog log : s.logs()) b.addAnnotation(log.epochNanos() / 1_000, log.name());
    return b.build();
  }
}
