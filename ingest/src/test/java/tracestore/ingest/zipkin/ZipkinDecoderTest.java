package tracestore.ingest.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.ingest.BadRequestException;
import tracestore.ingest.DecodedSpans;
import tracestore.ingest.SpanLimits;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinDecoderTest {
  static zipkin2.Span zipkinSpan() {
    return zipkin2.Span.newBuilder()
        .traceId("5b8efff798038103d269b633813fc60c")
        .id("eee19b7ec3c1b174")
        .parentId("eee19b7ec3c1b173")
        .name("get /cart")
        .kind(zipkin2.Span.Kind.SERVER)
        .timestamp(1_700_000_000_123_456L)
        .duration(100_000L)
        .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("10.0.0.1").port(8080).build())
        .remoteEndpoint(Endpoint.newBuilder().serviceName("backend").ip("2001:db8::1").port(9000).build())
        .addAnnotation(1_700_000_000_150_000L, "wire.send")
        .putTag("http.path", "/cart")
        .putTag("error", "500")
        .shared(true)
        .debug(true)
        .build();
  }

  static Span expected() {
    return Span.newBuilder()
        .traceId(TraceId.parse("5b8efff798038103d269b633813fc60c"))
        .spanId(0xeee19b7ec3c1b174L)
        .parentSpanId(0xeee19b7ec3c1b173L)
        .name("get /cart")
        .service("frontend")
        .remoteService("backend")
        .kind(SpanKind.SERVER)
        .startEpochNanos(1_700_000_000_123_456_000L)
        .durationNanos(100_000_000L)
        .addLog(SpanLog.of(1_700_000_000_150_000_000L, "wire.send"))
        .addTag(Tag.of("error", "500"))
        .addTag(Tag.of("http.path", "/cart"))
        .addTag(Tag.of(ZipkinTags.LOCAL_IPV4, "10.0.0.1"))
        .addTag(Tag.of(ZipkinTags.LOCAL_PORT, 8080L))
        .addTag(Tag.of(ZipkinTags.REMOTE_IPV6, "2001:db8::1"))
        .addTag(Tag.of(ZipkinTags.REMOTE_PORT, 9000L))
        .addTag(Tag.of(ZipkinTags.SHARED, true))
        .addTag(Tag.of(ZipkinTags.DEBUG, true))
        .build();
  }

  @Test
  void jsonAndProto3MapEveryField() {
    List<zipkin2.Span> in = List.of(zipkinSpan());
    DecodedSpans json = ZipkinDecoder.decodeJson(SpanBytesEncoder.JSON_V2.encodeList(in), SpanLimits.DEFAULTS);
    DecodedSpans proto = ZipkinDecoder.decodeProto3(SpanBytesEncoder.PROTO3.encodeList(in), SpanLimits.DEFAULTS);
    assertThat(json.spans().get(0).tags()).isEqualTo(expected().tags());
    assertThat(json.spans()).containsExactly(expected());
    assertThat(proto.spans()).containsExactly(expected());
    assertThat(expected().isError()).isTrue();
  }

  @Test
  void missingServiceAndTimestampAreRejectedByName() {
    zipkin2.Span noService = zipkinSpan().toBuilder().localEndpoint(null).build();
    zipkin2.Span noTimestamp = zipkinSpan().toBuilder().timestamp(0L).build();
    DecodedSpans d =
        ZipkinDecoder.decodeJson(
            SpanBytesEncoder.JSON_V2.encodeList(List.of(noService, noTimestamp)), SpanLimits.DEFAULTS);
    assertThat(d.spans()).isEmpty();
    assertThat(d.rejectionMessage())
        .isEqualTo(
            "2 of 2 spans rejected: span[0] 5b8efff798038103d269b633813fc60c/eee19b7ec3c1b174: "
                + "localEndpoint.serviceName is missing; span[1] 5b8efff798038103d269b633813fc60c/"
                + "eee19b7ec3c1b174: timestamp is missing");
    assertThatThrownBy(d::requireSomeValid).isInstanceOf(BadRequestException.class);
  }

  @Test
  void brokenJsonAndBadIdsAreMalformed() {
    assertThatThrownBy(() -> ZipkinDecoder.decodeJson("[{\"traceId\":".getBytes(StandardCharsets.UTF_8), SpanLimits.DEFAULTS))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("body is not a Zipkin v2 JSON span list");
    String badId = "[{\"traceId\":\"xyz\",\"id\":\"eee19b7ec3c1b174\",\"localEndpoint\":{\"serviceName\":\"a\"}}]";
    assertThatThrownBy(() -> ZipkinDecoder.decodeJson(badId.getBytes(StandardCharsets.UTF_8), SpanLimits.DEFAULTS))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("xyz should be lower-hex");
  }
}
