package tracestore.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * The OTLP baseline: the spans of one trace as an {@code ExportTraceServiceRequest}, grouped by
 * resource (service.name plus resource tags) and scope, as an OTel SDK would send them, built with
 * the generated protobuf classes. {@code remoteService} travels as the {@code peer.service}
 * attribute. Our span kinds and status codes share OTLP's numbers.
 */
final class OtlpSpans {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final String SERVICE_NAME = "service.name";
  private static final String PEER_SERVICE = "peer.service";

  private OtlpSpans() {}

  private record ResourceKey(String service, List<Tag> resource) {}

  private record ScopeKey(String name, String version) {}

  static ExportTraceServiceRequest toRequest(List<Span> spans) {
    Map<ResourceKey, Map<ScopeKey, List<Span>>> groups = new LinkedHashMap<>();
    for (Span s : spans) {
      groups
          .computeIfAbsent(new ResourceKey(s.service(), s.resource()), k -> new LinkedHashMap<>())
          .computeIfAbsent(new ScopeKey(s.scopeName(), s.scopeVersion()), k -> new ArrayList<>())
          .add(s);
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    groups.forEach((rk, scopes) -> {
      Resource.Builder resource = Resource.newBuilder().addAttributes(kv(SERVICE_NAME, TagValue.of(rk.service)));
      for (Tag t : rk.resource) resource.addAttributes(kv(t.key(), t.value()));
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource);
      scopes.forEach((sk, list) -> {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(sk.name).setVersion(sk.version));
        for (Span s : list) ss.addSpans(toProto(s));
        rs.addScopeSpans(ss);
      });
      request.addResourceSpans(rs);
    });
    return request.build();
  }

  static byte[] encode(List<Span> spans) {
    return toRequest(spans).toByteArray();
  }

  private static io.opentelemetry.proto.trace.v1.Span toProto(Span s) {
    io.opentelemetry.proto.trace.v1.Span.Builder b = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(traceId(s.traceId()))
        .setSpanId(spanId(s.spanId()))
        .setName(s.name())
        .setKindValue(s.kind().ordinal())
        .setStartTimeUnixNano(s.startEpochNanos())
        .setEndTimeUnixNano(s.startEpochNanos() + s.durationNanos());
    if (s.parentSpanId() != 0) b.setParentSpanId(spanId(s.parentSpanId()));
    for (Tag t : s.tags()) b.addAttributes(kv(t.key(), t.value()));
    if (!s.remoteService().isEmpty()) b.addAttributes(kv(PEER_SERVICE, TagValue.of(s.remoteService())));
    for (SpanLog log : s.logs()) {
      io.opentelemetry.proto.trace.v1.Span.Event.Builder e = io.opentelemetry.proto.trace.v1.Span.Event
          .newBuilder().setTimeUnixNano(log.epochNanos()).setName(log.name());
      for (Tag t : log.fields()) e.addAttributes(kv(t.key(), t.value()));
      b.addEvents(e);
    }
    for (SpanLink link : s.links()) {
      io.opentelemetry.proto.trace.v1.Span.Link.Builder l = io.opentelemetry.proto.trace.v1.Span.Link
          .newBuilder().setTraceId(traceId(link.traceId())).setSpanId(spanId(link.spanId()));
      for (Tag t : link.tags()) l.addAttributes(kv(t.key(), t.value()));
      b.addLinks(l);
    }
    if (s.statusCode() != StatusCode.UNSET || !s.statusMessage().isEmpty()) {
      b.setStatus(Status.newBuilder().setCodeValue(s.statusCode().ordinal()).setMessage(s.statusMessage()));
    }
    return b.build();
  }

  private static ByteString traceId(TraceId id) {
    byte[] b = new byte[16];
    LONG.set(b, 0, id.high());
    LONG.set(b, 8, id.low());
    return ByteString.copyFrom(b);
  }

  private static ByteString spanId(long id) {
    byte[] b = new byte[8];
    LONG.set(b, 0, id);
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String key, TagValue v) {
    return KeyValue.newBuilder().setKey(key).setValue(any(v)).build();
  }

  private static AnyValue any(TagValue v) {
    AnyValue.Builder a = AnyValue.newBuilder();
    if (v instanceof TagValue.Str s) a.setStringValue(s.value());
    else if (v instanceof TagValue.Int i) a.setIntValue(i.value());
    else if (v instanceof TagValue.Dbl d) a.setDoubleValue(d.value());
    else if (v instanceof TagValue.Bool b) a.setBoolValue(b.value());
    else {
      ArrayValue.Builder arr = ArrayValue.newBuilder();
      for (TagValue e : ((TagValue.Arr) v).values()) arr.addValues(any(e));
      a.setArrayValue(arr);
    }
    return a.build();
  }

  // ---- decode

  static List<Span> decode(byte[] bytes) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
    List<Span> out = new ArrayList<>();
    Span.Builder b = Span.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = "";
      List<Tag> resource = new ArrayList<>();
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals(SERVICE_NAME)) service = kv.getValue().getStringValue();
        else resource.add(new Tag(kv.getKey(), value(kv.getValue())));
      }
      resource = List.copyOf(resource);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String scope = ss.getScope().getName();
        String version = ss.getScope().getVersion();
        for (io.opentelemetry.proto.trace.v1.Span p : ss.getSpansList()) {
          b.clear()
              .traceId(TraceId.fromBytes(p.getTraceId().toByteArray()))
              .spanId(id(p.getSpanId()))
              .parentSpanId(p.getParentSpanId().isEmpty() ? 0 : id(p.getParentSpanId()))
              .name(p.getName())
              .service(service)
              .kind(SpanKind.ofOrdinal(p.getKindValue()))
              .startEpochNanos(p.getStartTimeUnixNano())
              .durationNanos(p.getEndTimeUnixNano() - p.getStartTimeUnixNano())
              .status(StatusCode.ofOrdinal(p.getStatus().getCodeValue()), p.getStatus().getMessage())
              .resource(resource)
              .scope(scope, version);
          for (KeyValue kv : p.getAttributesList()) {
            if (kv.getKey().equals(PEER_SERVICE)) b.remoteService(kv.getValue().getStringValue());
            else b.addTag(new Tag(kv.getKey(), value(kv.getValue())));
          }
          for (io.opentelemetry.proto.trace.v1.Span.Event e : p.getEventsList()) {
            b.addLog(new SpanLog(e.getTimeUnixNano(), e.getName(), tags(e.getAttributesList())));
          }
          for (io.opentelemetry.proto.trace.v1.Span.Link l : p.getLinksList()) {
            b.addLink(new SpanLink(TraceId.fromBytes(l.getTraceId().toByteArray()), id(l.getSpanId()),
                tags(l.getAttributesList())));
          }
          out.add(b.build());
        }
      }
    }
    return out;
  }

  private static long id(ByteString b) {
    return b.asReadOnlyByteBuffer().getLong(0);
  }

  private static List<Tag> tags(List<KeyValue> kvs) {
    List<Tag> tags = new ArrayList<>(kvs.size());
    for (KeyValue kv : kvs) tags.add(new Tag(kv.getKey(), value(kv.getValue())));
    return tags;
  }

  private static TagValue value(AnyValue a) {
    switch (a.getValueCase()) {
      case INT_VALUE:
        return TagValue.of(a.getIntValue());
      case DOUBLE_VALUE:
        return TagValue.of(a.getDoubleValue());
      case BOOL_VALUE:
        return TagValue.of(a.getBoolValue());
      case ARRAY_VALUE:
        List<TagValue> values = new ArrayList<>();
        for (AnyValue e : a.getArrayValue().getValuesList()) values.add(value(e));
        return TagValue.of(values);
      default:
        return TagValue.of(a.getStringValue());
    }
  }
}
