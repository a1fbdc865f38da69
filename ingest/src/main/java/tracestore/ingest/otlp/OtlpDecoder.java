package tracestore.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tracestore.ingest.BadRequestException;
import tracestore.ingest.DecodedSpans;
import tracestore.ingest.SpanLimits;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * Decodes OTLP trace requests into spans. The mapping is documented in {@code docs/ingest.md}:
 * resource {@code service.name} becomes the service, other resource attributes the resource,
 * attributes the tags ({@code peer.service} the remote service), events the logs. Each span is
 * validated on its own; a bad one is rejected with a message naming its position in the request.
 * Stateless and thread-safe.
 */
public final class OtlpDecoder {
  static final String SERVICE_NAME = "service.name";
  static final String PEER_SERVICE = "peer.service";
  private static final SpanKind[] KINDS = SpanKind.values();
  static final int MAX_ARRAY_DEPTH = 8;

  private OtlpDecoder() {}

  /** Decodes a binary protobuf {@code ExportTraceServiceRequest}. */
  public static DecodedSpans decodeProtobuf(byte[] body, SpanLimits limits) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequestException(
          BadRequestException.Reason.MALFORMED,
          "body is not a protobuf ExportTraceServiceRequest: " + e.getMessage(),
          e);
    }
    return decode(request, limits, IdEncoding.BINARY);
  }

  /** Decodes an OTLP/JSON {@code ExportTraceServiceRequest} (hex ids, as the spec requires). */
  public static DecodedSpans decodeJson(byte[] body, SpanLimits limits) {
    return decode(OtlpJson.parseRequest(body), limits, IdEncoding.HEX_READ_AS_BASE64);
  }

  /** Decodes a request that arrived already parsed, over gRPC. */
  public static DecodedSpans decode(ExportTraceServiceRequest request, SpanLimits limits) {
    return decode(request, limits, IdEncoding.BINARY);
  }

  /**
   * The OTLP answer: an empty response when everything was accepted, else {@code partial_success}
   * with the rejected count and the first rejection messages.
   */
  public static ExportTraceServiceResponse response(DecodedSpans decoded) {
    if (decoded.rejectedCount() == 0) return ExportTraceServiceResponse.getDefaultInstance();
    return ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(decoded.rejectedCount())
                .setErrorMessage(decoded.rejectionMessage()))
        .build();
  }

  private static DecodedSpans decode(
      ExportTraceServiceRequest request, SpanLimits limits, IdEncoding ids) {
    DecodedSpans out = new DecodedSpans(limits);
    List<Tag> resource = new ArrayList<>();
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans rs = request.getResourceSpans(r);
      resource.clear();
      String service = "";
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (SERVICE_NAME.equals(kv.getKey()) && kv.getValue().hasStringValue()) {
          service = kv.getValue().getStringValue();
        } else if (resource.size() < limits.maxTagsPerSpan()) {
          Tag t = out.limit(kv.getKey(), value(kv.getValue()));
          if (t != null) resource.add(t);
        }
      }
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        ScopeSpans ss = rs.getScopeSpans(s);
        InstrumentationScope scope = ss.getScope();
        for (int i = 0; i < ss.getSpansCount(); i++) {
          Span.Builder b = out.newSpan();
          String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
          try {
            if (service.isEmpty()) {
              throw new IllegalArgumentException("resource has no service.name attribute");
            }
            b.service(service).resource(resource).scope(scope.getName(), scope.getVersion());
            span(ss.getSpans(i), b, out, ids);
          } catch (IllegalArgumentException e) {
            out.reject(where + ": " + e.getMessage());
            continue;
          }
          out.finishSpan();
        }
      }
    }
    return out;
  }

  private static void span(
      io.opentelemetry.proto.trace.v1.Span s, Span.Builder b, DecodedSpans out, IdEncoding ids) {
    b.traceId(traceId(ids.bytes(s.getTraceId()), "traceId"));
    b.spanId(spanId(ids.bytes(s.getSpanId()), "spanId"));
    if (!s.getParentSpanId().isEmpty()) {
      b.parentSpanId(spanId(ids.bytes(s.getParentSpanId()), "parentSpanId"));
    }
    long start = s.getStartTimeUnixNano();
    long end = s.getEndTimeUnixNano();
    if (start <= 0) throw new IllegalArgumentException("startTimeUnixNano is missing or invalid");
    if (end < start) {
      throw new IllegalArgumentException(
          "endTimeUnixNano " + end + " is before startTimeUnixNano " + start);
    }
    b.startEpochNanos(start).durationNanos(end - start).name(s.getName());
    int kind = s.getKindValue();
    // OTLP's SpanKind numbers (0 unspecified .. 5 consumer) match our ordinals.
    b.kind(kind >= 0 && kind < KINDS.length ? KINDS[kind] : SpanKind.UNSPECIFIED);
    Status status = s.getStatus();
    int code = status.getCodeValue();
    b.status(code == 1 ? StatusCode.OK : code == 2 ? StatusCode.ERROR : StatusCode.UNSET,
        status.getMessage());
    for (KeyValue kv : s.getAttributesList()) {
      if (PEER_SERVICE.equals(kv.getKey()) && kv.getValue().hasStringValue()) {
        b.remoteService(kv.getValue().getStringValue());
      } else {
        out.addTag(kv.getKey(), value(kv.getValue()));
      }
    }
    for (io.opentelemetry.proto.trace.v1.Span.Event e : s.getEventsList()) {
      b.addLog(new SpanLog(e.getTimeUnixNano(), e.getName(), tags(e.getAttributesList(), out)));
    }
    for (io.opentelemetry.proto.trace.v1.Span.Link l : s.getLinksList()) {
      b.addLink(
          new SpanLink(
              traceId(ids.bytes(l.getTraceId()), "links.traceId"),
              spanId(ids.bytes(l.getSpanId()), "links.spanId"),
              tags(l.getAttributesList(), out)));
    }
  }

  private static List<Tag> tags(List<KeyValue> kvs, DecodedSpans out) {
    if (kvs.isEmpty()) return List.of();
    List<Tag> tags = new ArrayList<>(kvs.size());
    for (KeyValue kv : kvs) {
      Tag t = out.limit(kv.getKey(), value(kv.getValue()));
      if (t != null) tags.add(t);
    }
    return tags;
  }

  private static TraceId traceId(byte[] bytes, String field) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException(field + " must be 16 bytes, got " + bytes.length);
    }
    TraceId id = TraceId.fromBytes(bytes);
    if (id.isZero()) throw new IllegalArgumentException(field + " is all zeros");
    return id;
  }

  private static long spanId(byte[] bytes, String field) {
    if (bytes.length != 8) {
      throw new IllegalArgumentException(field + " must be 8 bytes, got " + bytes.length);
    }
    long v = 0;
    for (byte x : bytes) v = (v << 8) | (x & 0xffL);
    if (v == 0) throw new IllegalArgumentException(field + " is all zeros");
    return v;
  }

  /**
   * AnyValue to a tag value. Strings, booleans, ints, doubles and arrays keep their type; a
   * key-value list becomes the text {@code {k1=v1, k2=v2}}, bytes become base64 text, and an unset
   * value the empty string.
   */
  static TagValue value(AnyValue v) {
    return value(v, 0);
  }

  /**
   * Arrays nested deeper than {@link #MAX_ARRAY_DEPTH} levels become their text form, so no
   * client can send a value the chunk codec refuses (it stops at 16 levels).
   */
  private static TagValue value(AnyValue v, int depth) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return TagValue.of(v.getStringValue());
      case BOOL_VALUE:
        return TagValue.of(v.getBoolValue());
      case INT_VALUE:
        return TagValue.of(v.getIntValue());
      case DOUBLE_VALUE:
        return TagValue.of(v.getDoubleValue());
      case ARRAY_VALUE:
        List<TagValue> values = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue e : v.getArrayValue().getValuesList()) values.add(value(e, depth + 1));
        TagValue array = TagValue.of(values);
        return depth >= MAX_ARRAY_DEPTH ? TagValue.of(array.asString()) : array;
      case KVLIST_VALUE:
        StringBuilder sb = new StringBuilder("{");
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          if (sb.length() > 1) sb.append(", ");
          sb.append(kv.getKey()).append('=').append(value(kv.getValue()).asString());
        }
        return TagValue.of(sb.append('}').toString());
      case BYTES_VALUE:
        return TagValue.of(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default:
        return TagValue.of("");
    }
  }

  /** How ids arrive in the parsed message. */
  private enum IdEncoding {
    /** Protobuf: the bytes are the id. */
    BINARY {
      @Override
      byte[] bytes(ByteString id) {
        return id.toByteArray();
      }
    },
    /**
     * OTLP/JSON carries ids as hex, but protobuf's JSON parser reads every bytes field as base64.
     * Hex digits are base64 digits, so re-encoding the parsed bytes as base64 gives back the exact
     * hex text (ids have lengths that are multiples of four), which we then parse as hex.
     */
    HEX_READ_AS_BASE64 {
      @Override
      byte[] bytes(ByteString id) {
        if (id.isEmpty()) return new byte[0];
        String hex = Base64.getEncoder().encodeToString(id.toByteArray());
        if (hex.length() == 32) return TraceId.parse(hex).toBytes();
        if (hex.length() == 16) {
          long v = SpanId.parse(hex).value();
          byte[] b = new byte[8];
          for (int i = 7; i >= 0; i--, v >>>= 8) b[i] = (byte) v;
          return b;
        }
        throw new IllegalArgumentException(
            "id must be 16 or 32 hex characters, got " + hex.length() + ": \"" + hex + "\"");
      }
    };

    abstract byte[] bytes(ByteString id);
  }
}
