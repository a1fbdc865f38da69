package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {
  static final TraceId TRACE = new TraceId(0x1234L, 0x5678L);

  /** A span with every field set to a non-default value. */
  static Span.Builder full() {
    return Span.newBuilder()
        .traceId(TRACE)
        .spanId(0xaL)
        .parentSpanId(0xbL)
        .name("GET /users")
        .service("api")
        .kind(SpanKind.SERVER)
        .startEpochNanos(1_700_000_000_000_000_000L)
        .durationNanos(1_500_000L)
        .status(StatusCode.ERROR, "boom")
        .remoteService("db")
        .addTag("http.method", "GET")
        .addTag(Tag.of("http.status_code", 500L))
        .addTag(Tag.of("ratio", 0.5))
        .addTag(Tag.of("cached", true))
        .addTag(new Tag("list", TagValue.of(List.of(TagValue.of("a"), TagValue.of(1L)))))
        .addLog(new SpanLog(1_700_000_000_000_100_000L, "retry", List.of(Tag.of("attempt", 2L))))
        .addLink(new SpanLink(new TraceId(0, 9), 0xcL, List.of(Tag.of("k", "v"))))
        .addResource(Tag.of("host.name", "h1"))
        .scope("io.opentelemetry.jdbc", "1.2.3");
  }

  static Span.Builder minimal() {
    return Span.newBuilder().traceId(TRACE).spanId(1).service("svc");
  }

  @Test
  void builds_withEveryField() {
    Span s = full().build();
    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.spanId()).isEqualTo(0xaL);
    assertThat(s.parentSpanId()).isEqualTo(0xbL);
    assertThat(s.isRoot()).isFalse();
    assertThat(s.name()).isEqualTo("GET /users");
    assertThat(s.service()).isEqualTo("api");
    assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(s.endEpochNanos()).isEqualTo(1_700_000_000_001_500_000L);
    assertThat(s.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.statusMessage()).isEqualTo("boom");
    assertThat(s.isError()).isTrue();
    assertThat(s.remoteService()).isEqualTo("db");
    assertThat(s.tags()).hasSize(5);
    assertThat(s.tag("http.status_code")).isEqualTo(TagValue.of(500L));
    assertThat(s.tag("absent")).isNull();
    assertThat(s.logs()).hasSize(1);
    assertThat(s.links()).hasSize(1);
    assertThat(s.resource()).containsExactly(Tag.of("host.name", "h1"));
    assertThat(s.scopeName()).isEqualTo("io.opentelemetry.jdbc");
    assertThat(s.scopeVersion()).isEqualTo("1.2.3");
  }

  @Test
  void defaults_areEmptyNotNull() {
    Span s = minimal().build();
    assertThat(s.parentSpanId()).isZero();
    assertThat(s.isRoot()).isTrue();
    assertThat(s.name()).isEmpty();
    assertThat(s.kind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(s.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(s.statusMessage()).isEmpty();
    assertThat(s.remoteService()).isEmpty();
    assertThat(s.tags()).isEmpty();
    assertThat(s.logs()).isEmpty();
    assertThat(s.links()).isEmpty();
    assertThat(s.resource()).isEmpty();
    assertThat(s.scopeName()).isEmpty();
    assertThat(s.scopeVersion()).isEmpty();
    assertThat(s.isError()).isFalse();
  }

  @Test
  void nullStringsAndEnumsBecomeDefaults() {
    Span s =
        minimal()
            .name(null)
            .kind(null)
            .status(null, null)
            .remoteService(null)
            .scope(null, null)
            .build();
    assertThat(s.name()).isEmpty();
    assertThat(s.kind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(s.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(s.statusMessage()).isEmpty();
    assertThat(s.remoteService()).isEmpty();
    assertThat(s.scopeName()).isEmpty();
  }

  @Test
  void errorTagMakesError() {
    assertThat(minimal().addTag("error", "").build().isError()).isTrue();
    assertThat(minimal().status(StatusCode.OK, "").build().isError()).isFalse();
  }

  @Test
  void rejects_missingTraceId() {
    assertThatThrownBy(() -> Span.newBuilder().spanId(1).service("s").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("traceId");
  }

  @Test
  void rejects_zeroTraceId() {
    assertThatThrownBy(() -> minimal().traceId(0, 0).build()).hasMessageContaining("traceId");
  }

  @Test
  void rejects_zeroSpanId() {
    assertThatThrownBy(() -> minimal().spanId(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spanId")
        .hasMessageContaining(TRACE.toHex());
  }

  @Test
  void rejects_ownParent() {
    assertThatThrownBy(() -> minimal().spanId(7).parentSpanId(7).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("own parent")
        .hasMessageContaining("0000000000000007");
  }

  @Test
  void rejects_emptyService() {
    assertThatThrownBy(() -> minimal().service("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> minimal().service(null).build()).hasMessageContaining("service");
  }

  @Test
  void rejects_negativeStart() {
    assertThatThrownBy(() -> minimal().startEpochNanos(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startEpochNanos")
        .hasMessageContaining("-1");
  }

  @Test
  void rejects_negativeDuration() {
    assertThatThrownBy(() -> minimal().durationNanos(-5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("durationNanos")
        .hasMessageContaining("-5");
  }

  @Test
  void rejects_endOverflow() {
    assertThatThrownBy(
            () -> minimal().startEpochNanos(Long.MAX_VALUE - 10).durationNanos(11).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows");
    assertThatThrownBy(() -> minimal().startEpochNanos(5).durationNanos(Long.MAX_VALUE).build())
        .hasMessageContaining("durationNanos");
    Span edge = minimal().startEpochNanos(Long.MAX_VALUE - 10).durationNanos(10).build();
    assertThat(edge.endEpochNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rejects_emptyTagKey() {
    assertThatThrownBy(() -> minimal().addTag("ok", "v").addTag("", "v").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag key")
        .hasMessageContaining("tags[1]");
  }

  @Test
  void rejects_emptyResourceKey() {
    assertThatThrownBy(() -> minimal().addResource(Tag.of("", "v")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource key")
        .hasMessageContaining("resource[0]");
  }

  @Test
  void emptyKeysAllowedInLogAndLinkFields() {
    Span s =
        minimal()
            .addLog(new SpanLog(1, "e", List.of(Tag.of("", "v"))))
            .addLink(new SpanLink(TRACE, 2, List.of(Tag.of("", "v"))))
            .build();
    assertThat(s.logs()).hasSize(1);
  }

  @Test
  void rejects_nullElements() {
    assertThatThrownBy(() -> minimal().addTag((Tag) null)).hasMessageContaining("tag");
    assertThatThrownBy(() -> minimal().addLog(null)).hasMessageContaining("log");
    assertThatThrownBy(() -> minimal().addLink(null)).hasMessageContaining("link");
    assertThatThrownBy(() -> minimal().addResource(null)).hasMessageContaining("resource");
    assertThatThrownBy(() -> Tag.of(null, "v")).hasMessageContaining("key");
    assertThatThrownBy(() -> new Tag("k", null)).hasMessageContaining("value");
    assertThatThrownBy(() -> new SpanLog(1, null, List.of())).hasMessageContaining("name");
    assertThatThrownBy(() -> new SpanLink(null, 1, List.of())).hasMessageContaining("trace id");
  }

  @Test
  void clear_resetsEveryFieldForReuse() {
    Span.Builder b = full();
    b.build();
    b.clear();
    // Only the required fields: everything else must be back to the defaults.
    Span reused = b.traceId(TRACE).spanId(1).service("svc").build();
    assertThat(reused).isEqualTo(minimal().build());
    // And clear() alone leaves a builder that fails on the first required field.
    assertThatThrownBy(() -> full().clear().build()).hasMessageContaining("traceId");
  }

  @Test
  void toBuilder_roundTrips() {
    Span s = full().build();
    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.toBuilder().name("other").build()).isNotEqualTo(s);
    // toBuilder copies the collections: adding to the new builder leaves s untouched.
    s.toBuilder().addTag("x", "y").build();
    assertThat(s.tags()).hasSize(5);
  }

  @Test
  void collectionsAreImmutable() {
    Span s = full().build();
    assertThatThrownBy(() -> s.tags().add(Tag.of("a", "b")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.logs().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.links().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.resource().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.logs().get(0).fields().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.links().get(0).tags().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builderChangesAfterBuildDoNotLeak() {
    Span.Builder b = minimal().addTag("a", "1");
    Span s = b.build();
    b.addTag("b", "2").addLog(SpanLog.of(1, "x")).addResource(Tag.of("r", "1"));
    assertThat(s.tags()).containsExactly(Tag.of("a", "1"));
    assertThat(s.logs()).isEmpty();
    assertThat(s.resource()).isEmpty();
  }

  @Test
  void valueCollectionsAreCopied() {
    List<Tag> fields = new ArrayList<>(List.of(Tag.of("a", "1")));
    SpanLog log = new SpanLog(1, "e", fields);
    List<TagValue> values = new ArrayList<>(List.of(TagValue.of(1L)));
    TagValue.Arr arr = new TagValue.Arr(values);
    SpanLink link = new SpanLink(TRACE, 2, fields);
    fields.add(Tag.of("b", "2"));
    values.add(TagValue.of(2L));
    assertThat(log.fields()).hasSize(1);
    assertThat(link.tags()).hasSize(1);
    assertThat(arr.values()).hasSize(1);
  }

  @Test
  void tagValues_asString() {
    assertThat(TagValue.of("s").asString()).isEqualTo("s");
    assertThat(TagValue.of(-3L).asString()).isEqualTo("-3");
    assertThat(TagValue.of(0.25).asString()).isEqualTo("0.25");
    assertThat(TagValue.of(true).asString()).isEqualTo("true");
    assertThat(TagValue.of(List.of(TagValue.of("a"), TagValue.of(false))).asString())
        .isEqualTo("[a,false]");
    assertThat(TagValue.of(Double.NaN)).isEqualTo(TagValue.of(Double.NaN));
  }

  @Test
  void equals_everyFieldMatters() {
    Span base = full().build();
    List<Span.Builder> variants =
        List.of(
            full().traceId(new TraceId(1, 1)),
            full().spanId(0xdL),
            full().parentSpanId(0),
            full().name("POST /users"),
            full().service("web"),
            full().kind(SpanKind.CLIENT),
            full().startEpochNanos(1),
            full().durationNanos(1),
            full().status(StatusCode.OK, "boom"),
            full().status(StatusCode.ERROR, "bang"),
            full().remoteService("cache"),
            full().addTag("extra", "1"),
            full().addLog(SpanLog.of(5, "x")),
            full().addLink(new SpanLink(TRACE, 5, List.of())),
            full().addResource(Tag.of("extra", "1")),
            full().scope("other", "1.2.3"),
            full().scope("io.opentelemetry.jdbc", "9"));
    for (Span.Builder v : variants) {
      Span other = v.build();
      assertThat(other).as(other.toString()).isNotEqualTo(base);
      assertThat(other.hashCode()).as(other.toString()).isNotEqualTo(base.hashCode());
    }
    assertThat(full().build()).isEqualTo(base).hasSameHashCodeAs(base);
  }

  @Test
  void toString_isShortAndCodecFree() {
    String s = full().build().toString();
    assertThat(s)
        .contains(TRACE.toHex())
        .contains("000000000000000a")
        .contains("parent=000000000000000b")
        .contains("api:GET /users")
        .contains("ERROR");
  }
}
