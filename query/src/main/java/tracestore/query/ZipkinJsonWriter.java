package tracestore.query;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;

/**
 * Writes our spans as Zipkin v2 JSON with Jackson's streaming generator: no tree, no
 * intermediate Zipkin objects. Stateless and thread-safe.
 *
 * <p>Field order and omission follow Zipkin's own encoder: {@code traceId, parentId, id, kind,
 * name, timestamp, duration, localEndpoint, remoteEndpoint, annotations, tags, debug, shared}, each
 * left out when absent. The mapping back from our model:
 *
 * <ul>
 *   <li>ids are lower-hex; a trace id whose high 64 bits are zero is written with 16 characters;
 *   <li>{@code timestamp}/{@code duration} are microseconds, truncated; a non-zero duration under
 *       1 µs is written as 1, a zero duration (unknown) is omitted;
 *   <li>{@code kind}: SERVER, CLIENT, PRODUCER, CONSUMER; INTERNAL and UNSPECIFIED are omitted;
 *   <li>{@code localEndpoint.serviceName} is the service, {@code remoteEndpoint.serviceName} the
 *       remote service; addresses, ports, {@code shared} and {@code debug} come from the reserved
 *       tags of {@link ZipkinTags} (the ingest mapping, docs/ingest.md) and are left out of
 *       {@code tags};
 *   <li>logs become annotations: value is the log name, followed by its fields as {@code
 *       key=value} when it has any;
 *   <li>tags are strings ({@link TagValue#asString()}), sorted by key, the first of duplicate keys
 *       wins; an ERROR status without an {@code error} tag adds {@code error} = the status message
 *       (or {@code "true"} when it has none); the instrumentation scope becomes {@code
 *       otel.scope.name}/{@code otel.scope.version}.
 * </ul>
 */
final class ZipkinJsonWriter {
  static final JsonFactory JSON = JsonFactory.builder().build();

  private ZipkinJsonWriter() {}

  static byte[] trace(List<Span> spans) {
    return write(g -> writeSpans(g, spans));
  }

  static byte[] traces(List<List<Span>> traces) {
    return write(
        g -> {
          g.writeStartArray();
          for (List<Span> t : traces) writeSpans(g, t);
          g.writeEndArray();
        });
  }

  static byte[] strings(List<String> values) {
    return write(
        g -> {
          g.writeStartArray();
          for (String v : values) g.writeString(v);
          g.writeEndArray();
        });
  }

  /** Zipkin's dependency link JSON: {@code errorCount} is omitted when zero. */
  static byte[] links(List<DependencyLinker.Link> links) {
    return write(
        g -> {
          g.writeStartArray();
          for (DependencyLinker.Link l : links) {
            g.writeStartObject();
            g.writeStringField("parent", l.parent());
            g.writeStringField("child", l.child());
            g.writeNumberField("callCount", l.calls());
            if (l.errors() > 0) g.writeNumberField("errorCount", l.errors());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  static void writeSpans(JsonGenerator g, List<Span> spans) throws IOException {
    g.writeStartArray();
    for (Span s : spans) writeSpan(g, s);
    g.writeEndArray();
  }

  static void writeSpan(JsonGenerator g, Span s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", traceIdHex(s.traceId()));
    if (s.parentSpanId() != 0) g.writeStringField("parentId", SpanId.toHex(s.parentSpanId()));
    g.writeStringField("id", SpanId.toHex(s.spanId()));
    String kind = kind(s);
    if (kind != null) g.writeStringField("kind", kind);
    if (!s.name().isEmpty()) g.writeStringField("name", s.name());
    if (s.startEpochNanos() != 0) g.writeNumberField("timestamp", s.startEpochNanos() / 1000);
    if (s.durationNanos() != 0) g.writeNumberField("duration", Math.max(1, s.durationNanos() / 1000));

    writeEndpoint(
        g,
        "localEndpoint",
        s.service(),
        reserved(s, ZipkinTags.LOCAL_IPV4),
        reserved(s, ZipkinTags.LOCAL_IPV6),
        port(reserved(s, ZipkinTags.LOCAL_PORT)));
    String remoteIpv4 = reserved(s, ZipkinTags.REMOTE_IPV4);
    String remoteIpv6 = reserved(s, ZipkinTags.REMOTE_IPV6);
    Integer remotePort = port(reserved(s, ZipkinTags.REMOTE_PORT));
    if (!s.remoteService().isEmpty() || remoteIpv4 != null || remoteIpv6 != null || remotePort != null) {
      writeEndpoint(g, "remoteEndpoint", s.remoteService(), remoteIpv4, remoteIpv6, remotePort);
    }

    if (!s.logs().isEmpty()) {
      g.writeArrayFieldStart("annotations");
      for (SpanLog log : s.logs()) {
        g.writeStartObject();
        g.writeNumberField("timestamp", log.epochNanos() / 1000);
        g.writeStringField("value", annotationValue(log));
        g.writeEndObject();
      }
      g.writeEndArray();
    }

    Map<String, String> tags = tags(s);
    if (!tags.isEmpty()) {
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> e : tags.entrySet()) g.writeStringField(e.getKey(), e.getValue());
      g.writeEndObject();
    }
    if (isTrue(reserved(s, ZipkinTags.DEBUG))) g.writeBooleanField("debug", true);
    if (isTrue(reserved(s, ZipkinTags.SHARED))) g.writeBooleanField("shared", true);
    g.writeEndObject();
  }

  /** 16 characters when the high bits are zero, else 32. */
  static String traceIdHex(TraceId id) {
    return id.high() == 0 ? SpanId.toHex(id.low()) : id.toHex();
  }

  private static String kind(Span s) {
    switch (s.kind()) {
      case SERVER:
        return "SERVER";
      case CLIENT:
        return "CLIENT";
      case PRODUCER:
        return "PRODUCER";
      case CONSUMER:
        return "CONSUMER";
      default:
        return null;
    }
  }

  private static void writeEndpoint(
      JsonGenerator g, String field, String service, String ipv4, String ipv6, Integer port)
      throws IOException {
    g.writeObjectFieldStart(field);
    if (!service.isEmpty()) g.writeStringField("serviceName", service);
    if (ipv4 != null && !ipv4.isEmpty()) g.writeStringField("ipv4", ipv4);
    if (ipv6 != null && !ipv6.isEmpty()) g.writeStringField("ipv6", ipv6);
    if (port != null) g.writeNumberField("port", port);
    g.writeEndObject();
  }

  private static String annotationValue(SpanLog log) {
    if (log.fields().isEmpty()) return log.name();
    StringBuilder b = new StringBuilder(log.name());
    for (Tag f : log.fields()) b.append(' ').append(f.key()).append('=').append(f.value().asString());
    return b.toString();
  }

  private static Map<String, String> tags(Span s) {
    Map<String, String> out = new TreeMap<>();
    for (Tag t : s.tags()) {
      if (ZipkinTags.isReserved(t.key())) continue;
      out.putIfAbsent(t.key(), t.value().asString());
    }
    if (s.statusCode() == StatusCode.ERROR && !out.containsKey("error")) {
      out.put("error", s.statusMessage().isEmpty() ? "true" : s.statusMessage());
    }
    if (!s.scopeName().isEmpty()) out.putIfAbsent("otel.scope.name", s.scopeName());
    if (!s.scopeVersion().isEmpty()) out.putIfAbsent("otel.scope.version", s.scopeVersion());
    return out;
  }

  private static String reserved(Span s, String key) {
    TagValue v = s.tag(key);
    return v == null ? null : v.asString();
  }

  private static Integer port(String text) {
    if (text == null) return null;
    try {
      int p = Integer.parseInt(text.trim());
      return p > 0 && p <= 0xffff ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isTrue(String text) {
    return text != null && text.equalsIgnoreCase("true");
  }

  /** Writes one JSON document into a byte array. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
