package tracestore.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.ingest.BadRequestException;
import tracestore.ingest.DecodedSpans;
import tracestore.ingest.SpanLimits;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

class OtlpDecoderTest {
  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String SPAN = "eee19b7ec3c1b174";
  static final String PARENT = "eee19b7ec3c1b173";
  static final String LINK_TRACE = "0102030405060708090a0b0c0d0e0f10";

  static ByteString hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    return ByteString.copyFrom(b);
  }

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", str("checkout")))
                        .addAttributes(kv("host.name", str("box-1"))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
                        .addAllSpans(List.of(spans))))
        .build();
  }

  static io.opentelemetry.proto.trace.v1.Span.Builder fullSpan() {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(hex(TRACE))
        .setSpanId(hex(SPAN))
        .setParentSpanId(hex(PARENT))
        .setName("GET /cart")
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_123_456_789L)
        .setEndTimeUnixNano(1_700_000_000_223_456_789L)
        .addAttributes(kv("http.status_code", AnyValue.newBuilder().setIntValue(500).build()))
        .addAttributes(kv("peer.service", str("db")))
        .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
        .addAttributes(kv("cached", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(
            kv(
                "ids",
                AnyValue.newBuilder()
                    .setArrayValue(ArrayValue.newBuilder().addValues(str("a")).addValues(str("b")))
                    .build()))
        .addAttributes(
            kv(
                "map",
                AnyValue.newBuilder()
                    .setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", str("v"))))
                    .build()))
        .addEvents(
            io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(1_700_000_000_200_000_000L)
                .addAttributes(kv("exception.type", str("IOException"))))
        .addLinks(
            io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                .setTraceId(hex(LINK_TRACE))
                .setSpanId(hex(SPAN))
                .addAttributes(kv("why", str("batch"))))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
  }

  static Span expected() {
    return Span.newBuilder()
        .traceId(TraceId.parse(TRACE))
        .spanId(0xeee19b7ec3c1b174L)
        .parentSpanId(0xeee19b7ec3c1b173L)
        .name("GET /cart")
        .service("checkout")
        .kind(SpanKind.SERVER)
        .startEpochNanos(1_700_000_000_123_456_789L)
        .durationNanos(100_000_000L)
        .status(StatusCode.ERROR, "boom")
        .remoteService("db")
        .addTag(Tag.of("http.status_code", 500L))
        .addTag(Tag.of("ratio", 0.5))
        .addTag(Tag.of("cached", true))
        .addTag(new Tag("ids", TagValue.of(List.of(TagValue.of("a"), TagValue.of("b")))))
        .addTag(Tag.of("map", "{k=v}"))
        .addLog(new SpanLog(1_700_000_000_200_000_000L, "exception", List.of(Tag.of("exception.type", "IOException"))))
        .addLink(new SpanLink(TraceId.parse(LINK_TRACE), 0xeee19b7ec3c1b174L, List.of(Tag.of("why", "batch"))))
        .addResource(Tag.of("host.name", "box-1"))
        .scope("lib", "1.2")
        .build();
  }

  @Test
  void protobufMapsEveryField() {
    DecodedSpans d =
        OtlpDecoder.decodeProtobuf(request(fullSpan().build()).toByteArray(), SpanLimits.DEFAULTS);
    assertThat(d.rejectedCount()).isZero();
    assertThat(d.spans()).containsExactly(expected());
    assertThat(OtlpDecoder.response(d)).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
  }

  @Test
  void jsonPerSpecWithHexIdsMapsEveryField() {
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"checkout"}},
            {"key":"host.name","value":{"stringValue":"box-1"}}]},
          "scopeSpans":[{"scope":{"name":"lib","version":"1.2"},"spans":[{
            "traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"GET /cart","kind":2,
            "startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000223456789",
            "attributes":[
              {"key":"http.status_code","value":{"intValue":"500"}},
              {"key":"peer.service","value":{"stringValue":"db"}},
              {"key":"ratio","value":{"doubleValue":0.5}},
              {"key":"cached","value":{"boolValue":true}},
              {"key":"ids","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b"}]}}},
              {"key":"map","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],
            "events":[{"timeUnixNano":"1700000000200000000","name":"exception",
              "attributes":[{"key":"exception.type","value":{"stringValue":"IOException"}}]}],
            "links":[{"traceId":"%s","spanId":"%s","attributes":[{"key":"why","value":{"stringValue":"batch"}}]}],
            "status":{"code":2,"message":"boom"}}]}]}]}
        """
            .formatted(TRACE, SPAN.toUpperCase(), PARENT, LINK_TRACE, SPAN);
    DecodedSpans d =
        OtlpDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8), SpanLimits.DEFAULTS);
    assertThat(d.rejectionMessage()).isEmpty();
    assertThat(d.spans()).containsExactly(expected());
  }

  @Test
  void invalidSpansAreRejectedOneByOneWithTheirPosition() {
    DecodedSpans d =
        OtlpDecoder.decodeProtobuf(
            request(
                    fullSpan().setTraceId(hex("00000000000000000000000000000000")).build(),
                    fullSpan().setSpanId(hex("0102")).build(),
                    fullSpan().build(),
                    fullSpan().setEndTimeUnixNano(1).build())
                .toByteArray(),
            SpanLimits.DEFAULTS);
    assertThat(d.spans()).containsExactly(expected());
    assertThat(d.rejectedCount()).isEqualTo(3);
    assertThat(d.rejectionMessage())
        .startsWith("3 of 4 spans rejected: ")
        .contains("resourceSpans[0].scopeSpans[0].spans[0]: traceId is all zeros")
        .contains("spans[1]: spanId must be 8 bytes, got 2")
        .contains("spans[3]: endTimeUnixNano 1 is before startTimeUnixNano");
    ExportTraceServiceResponse r = OtlpDecoder.response(d);
    assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
    assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo(d.rejectionMessage());
  }

  @Test
  void missingServiceNameRejectsAndAllInvalidIsA400() {
    ExportTraceServiceRequest r =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(fullSpan())))
            .build();
    DecodedSpans d = OtlpDecoder.decode(r, SpanLimits.DEFAULTS);
    assertThatThrownBy(d::requireSomeValid)
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("resource has no service.name attribute")
        .extracting(e -> ((BadRequestException) e).reason())
        .isEqualTo(BadRequestException.Reason.INVALID_SPANS);
  }

  @Test
  void jsonWithInvalidHexIdNamesIt() {
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}}]},"
            + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc6zz\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";
    DecodedSpans d = OtlpDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8), SpanLimits.DEFAULTS);
    assertThat(d.rejectionMessage()).contains("non-hex character").contains("6zz");
  }

  @Test
  void brokenBodiesAreMalformed() {
    assertThatThrownBy(() -> OtlpDecoder.decodeJson("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), SpanLimits.DEFAULTS))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("body is not an OTLP/JSON ExportTraceServiceRequest");
    assertThatThrownBy(() -> OtlpDecoder.decodeProtobuf(new byte[] {0x0a, 0x7f, 0x01}, SpanLimits.DEFAULTS))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("body is not a protobuf ExportTraceServiceRequest");
  }

  @Test
  void deeplyNestedArraysBecomeTextBelowTheDepthLimit() {
    AnyValue v = str("leaf");
    for (int i = 0; i < 40; i++) v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    TagValue t = OtlpDecoder.value(v);
    int depth = 0;
    while (t instanceof TagValue.Arr a) {
      depth++;
      t = a.values().get(0);
    }
    assertThat(depth).isEqualTo(OtlpDecoder.MAX_ARRAY_DEPTH);
    assertThat(t.asString()).isEqualTo("[".repeat(32) + "leaf" + "]".repeat(32));
  }

  @Test
  void limitsTruncateValuesDropTagsAndCapSpans() {
    SpanLimits limits = new SpanLimits(2, 3, 10, 5);
    io.opentelemetry.proto.trace.v1.Span s =
        fullSpan()
            .clearAttributes()
            .addAttributes(kv("a", str("0123456789")))
            .addAttributes(kv("a-very-long-key", str("x")))
            .addAttributes(kv("b", str("ok")))
            .addAttributes(kv("c", str("ok")))
            .addAttributes(kv("d", str("dropped")))
            .build();
    Span decoded = OtlpDecoder.decode(request(s), limits).spans().get(0);
    assertThat(decoded.tags())
        .containsExactly(
            Tag.of("a", "01234" + DecodedSpans.TRUNCATION_MARKER),
            Tag.of("b", "ok"),
            Tag.of("c", "ok"),
            // dropped: the long key, the fourth tag, and the event field "exception.type" (key > 10)
            Tag.of(DecodedSpans.DROPPED_TAGS_KEY, 3L));
    assertThatThrownBy(() -> OtlpDecoder.decode(request(s, s, s), limits))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("request has more than 2 spans (maxSpansPerRequest)");
  }
}
