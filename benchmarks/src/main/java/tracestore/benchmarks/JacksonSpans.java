package tracestore.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * The JSON baseline: the spans of one trace as a JSON array, one object per span in a Zipkin-like
 * shape (hex ids, typed tags as an object, logs, links, resource, scope), written and read with
 * Jackson's streaming API, the fastest way Jackson offers. Not thread-safe (one reused buffer).
 */
final class JacksonSpans {
  private final JsonFactory factory = new ObjectMapper().getFactory();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 << 10);

  byte[] encode(List<Span> spans) {
    buffer.reset();
    try (JsonGenerator g = factory.createGenerator(buffer)) {
      g.writeStartArray();
      for (Span s : spans) writeSpan(g, s);
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeSpan(JsonGenerator g, Span s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.traceId().toHex());
    g.writeStringField("id", SpanId.toHex(s.spanId()));
    if (s.parentSpanId() != 0) g.writeStringField("parentId", SpanId.toHex(s.parentSpanId()));
    g.writeStringField("name", s.name());
    g.writeStringField("service", s.service());
    g.writeStringField("kind", s.kind().name());
    g.writeNumberField("timestamp", s.startEpochNanos());
    g.writeNumberField("duration", s.durationNanos());
    if (s.statusCode() != StatusCode.UNSET) g.writeStringField("status", s.statusCode().name());
    if (!s.statusMessage().isEmpty()) g.writeStringField("statusMessage", s.statusMessage());
    if (!s.remoteService().isEmpty()) g.writeStringField("remoteService", s.remoteService());
    writeTags(g, "tags", s.tags());
    if (!s.logs().isEmpty()) {
      g.writeArrayFieldStart("logs");
      for (SpanLog log : s.logs()) {
        g.writeStartObject();
        g.writeNumberField("timestamp", log.epochNanos());
        g.writeStringField("name", log.name());
        writeTags(g, "fields", log.fields());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!s.links().isEmpty()) {
      g.writeArrayFieldStart("links");
      for (SpanLink link : s.links()) {
        g.writeStartObject();
        g.writeStringField("traceId", link.traceId().toHex());
        g.writeStringField("id", SpanId.toHex(link.spanId()));
        writeTags(g, "tags", link.tags());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    writeTags(g, "resource", s.resource());
    if (!s.scopeName().isEmpty()) g.writeStringField("scope", s.scopeName());
    if (!s.scopeVersion().isEmpty()) g.writeStringField("scopeVersion", s.scopeVersion());
    g.writeEndObject();
  }

  private static void writeTags(JsonGenerator g, String field, List<Tag> tags) throws IOException {
    if (tags.isEmpty()) return;
    g.writeObjectFieldStart(field);
    for (Tag t : tags) {
      g.writeFieldName(t.key());
      writeValue(g, t.value());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, TagValue v) throws IOException {
    if (v instanceof TagValue.Str s) g.writeString(s.value());
    else if (v instanceof TagValue.Int i) g.writeNumber(i.value());
    else if (v instanceof TagValue.Dbl d) g.writeNumber(d.value());
    else if (v instanceof TagValue.Bool b) g.writeBoolean(b.value());
    else {
      g.writeStartArray();
      for (TagValue e : ((TagValue.Arr) v).values()) writeValue(g, e);
      g.writeEndArray();
    }
  }

  List<Span> decode(byte[] json) {
    try (JsonParser p = factory.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_ARRAY);
      List<Span> spans = new ArrayList<>();
      Span.Builder b = Span.newBuilder();
      while (p.nextToken() == JsonToken.START_OBJECT) spans.add(readSpan(p, b.clear()));
      return spans;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Span readSpan(JsonParser p, Span.Builder b) throws IOException {
    StatusCode status = StatusCode.UNSET;
    String message = "";
    String scope = "";
    String scopeVersion = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "traceId" -> b.traceId(TraceId.parse(p.getText()));
        case "id" -> b.spanId(Long.parseUnsignedLong(p.getText(), 16));
        case "parentId" -> b.parentSpanId(Long.parseUnsignedLong(p.getText(), 16));
        case "name" -> b.name(p.getText());
        case "service" -> b.service(p.getText());
        case "kind" -> b.kind(SpanKind.valueOf(p.getText()));
        case "timestamp" -> b.startEpochNanos(p.getLongValue());
        case "duration" -> b.durationNanos(p.getLongValue());
        case "status" -> status = StatusCode.valueOf(p.getText());
        case "statusMessage" -> message = p.getText();
        case "remoteService" -> b.remoteService(p.getText());
        case "tags" -> b.tags(readTags(p));
        case "logs" -> {
          while (p.nextToken() == JsonToken.START_OBJECT) b.addLog(readLog(p));
        }
        case "links" -> {
          while (p.nextToken() == JsonToken.START_OBJECT) b.addLink(readLink(p));
        }
        case "resource" -> b.resource(readTags(p));
        case "scope" -> scope = p.getText();
        case "scopeVersion" -> scopeVersion = p.getText();
        default -> p.skipChildren();
      }
    }
    return b.status(status, message).scope(scope, scopeVersion).build();
  }

  private static SpanLog readLog(JsonParser p) throws IOException {
    long time = 0;
    String name = "";
    List<Tag> fields = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "timestamp" -> time = p.getLongValue();
        case "name" -> name = p.getText();
        case "fields" -> fields = readTags(p);
        default -> p.skipChildren();
      }
    }
    return new SpanLog(time, name, fields);
  }

  private static SpanLink readLink(JsonParser p) throws IOException {
    TraceId traceId = null;
    long spanId = 0;
    List<Tag> tags = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "traceId" -> traceId = TraceId.parse(p.getText());
        case "id" -> spanId = Long.parseUnsignedLong(p.getText(), 16);
        case "tags" -> tags = readTags(p);
        default -> p.skipChildren();
      }
    }
    return new SpanLink(traceId, spanId, tags);
  }

  private static List<Tag> readTags(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT);
    List<Tag> tags = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      tags.add(new Tag(key, readValue(p)));
    }
    return tags;
  }

  private static TagValue readValue(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return TagValue.of(p.getText());
      case VALUE_NUMBER_INT:
        return TagValue.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return TagValue.of(p.getDoubleValue());
      case VALUE_TRUE:
        return TagValue.of(true);
      case VALUE_FALSE:
        return TagValue.of(false);
      case START_ARRAY:
        List<TagValue> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) values.add(readValue(p));
        return TagValue.of(values);
      default:
        throw new IOException("unexpected " + p.currentToken());
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) throw new IOException("expected " + expected + ", got " + actual);
  }
}
