package tracestore.ingest.zipkin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tracestore.ingest.BadRequestException;
import tracestore.ingest.DecodedSpans;
import tracestore.ingest.SpanLimits;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;
import zipkin2.Annotation;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Decodes Zipkin v2 span lists (JSON or proto3) with zipkin2's {@link SpanBytesDecoder}, then maps
 * each {@code zipkin2.Span} into the model: local endpoint service to service, remote endpoint
 * service to remote service, annotations to logs, tags to string tags, microseconds to
 * nanoseconds. What has no field of its own (endpoint addresses and ports, {@code shared}, {@code
 * debug}) becomes a reserved {@code zipkin.*} tag from {@link ZipkinTags}, which the query side
 * reads back.
 * Stateless and thread-safe.
 */
public final class ZipkinDecoder {
  private ZipkinDecoder() {}

  /** Decodes a Zipkin v2 JSON array of spans. */
  public static DecodedSpans decodeJson(byte[] body, SpanLimits limits) {
    return decode(body, SpanBytesDecoder.JSON_V2, "JSON", limits);
  }

  /** Decodes a Zipkin proto3 {@code ListOfSpans}. */
  public static DecodedSpans decodeProto3(byte[] body, SpanLimits limits) {
    return decode(body, SpanBytesDecoder.PROTO3, "proto3", limits);
  }

  private static DecodedSpans decode(
      byte[] body, SpanBytesDecoder decoder, String format, SpanLimits limits) {
    List<zipkin2.Span> in = new ArrayList<>();
    try {
      decoder.decodeList(body, in);
    } catch (RuntimeException e) {
      // zipkin2 reports broken payloads and invalid ids as IllegalArgumentException.
      throw new BadRequestException(
          BadRequestException.Reason.MALFORMED,
          "body is not a Zipkin v2 " + format + " span list: " + e.getMessage(),
          e);
    }
    DecodedSpans out = new DecodedSpans(limits);
    for (int i = 0; i < in.size(); i++) {
      zipkin2.Span z = in.get(i);
      Span.Builder b = out.newSpan();
      try {
        span(z, b, out);
      } catch (IllegalArgumentException | ArithmeticException e) {
        out.reject("span[" + i + "] " + z.traceId() + '/' + z.id() + ": " + e.getMessage());
        continue;
      }
      out.finishSpan();
    }
    return out;
  }

  private static void span(zipkin2.Span z, Span.Builder b, DecodedSpans out) {
    Endpoint local = z.localEndpoint();
    String service = local == null ? null : local.serviceName();
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("localEndpoint.serviceName is missing");
    }
    if (z.timestampAsLong() == 0) throw new IllegalArgumentException("timestamp is missing");
    b.traceId(TraceId.parse(z.traceId()))
        .spanId(SpanId.parse(z.id()).value())
        .parentSpanId(z.parentId() == null ? 0 : SpanId.parse(z.parentId()).value())
        .name(z.name())
        .service(service)
        .kind(kind(z.kind()))
        .startEpochNanos(Math.multiplyExact(z.timestampAsLong(), 1000L))
        .durationNanos(Math.multiplyExact(z.durationAsLong(), 1000L));
    Endpoint remote = z.remoteEndpoint();
    if (remote != null && remote.serviceName() != null) b.remoteService(remote.serviceName());
    for (Annotation a : z.annotations()) {
      b.addLog(SpanLog.of(Math.multiplyExact(a.timestamp(), 1000L), a.value()));
    }
    for (Map.Entry<String, String> tag : z.tags().entrySet()) {
      out.addTag(tag.getKey(), TagValue.of(tag.getValue()));
    }
    endpointTags(local, ZipkinTags.LOCAL_IPV4, ZipkinTags.LOCAL_IPV6, ZipkinTags.LOCAL_PORT, out);
    endpointTags(remote, ZipkinTags.REMOTE_IPV4, ZipkinTags.REMOTE_IPV6, ZipkinTags.REMOTE_PORT, out);
    if (Boolean.TRUE.equals(z.shared())) out.addTag(ZipkinTags.SHARED, TagValue.of(true));
    if (Boolean.TRUE.equals(z.debug())) out.addTag(ZipkinTags.DEBUG, TagValue.of(true));
  }

  private static void endpointTags(
      Endpoint e, String ipv4, String ipv6, String port, DecodedSpans out) {
    if (e == null) return;
    if (e.ipv4() != null) out.addTag(ipv4, TagValue.of(e.ipv4()));
    if (e.ipv6() != null) out.addTag(ipv6, TagValue.of(e.ipv6()));
    if (e.portAsInt() != 0) out.addTag(port, TagValue.of((long) e.portAsInt()));
  }

  private static SpanKind kind(zipkin2.Span.Kind kind) {
    if (kind == null) return SpanKind.UNSPECIFIED;
    switch (kind) {
      case CLIENT:
        return SpanKind.CLIENT;
      case SERVER:
        return SpanKind.SERVER;
      case PRODUCER:
        return SpanKind.PRODUCER;
      case CONSUMER:
        return SpanKind.CONSUMER;
      default:
        return SpanKind.UNSPECIFIED;
    }
  }

}
