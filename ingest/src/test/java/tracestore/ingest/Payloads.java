package tracestore.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Hand-written OTLP/JSON and Zipkin JSON payloads, following the specs (hex ids, camelCase). */
final class Payloads {
  private Payloads() {}

  static String hex(Random r, int bytes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < bytes; i++) b.append(String.format("%02x", r.nextInt(256)));
    if (b.toString().matches("0+")) b.setCharAt(0, '1');
    return b.toString();
  }

  /** One OTLP/JSON span object. */
  static String otlpSpan(String traceId, String spanId, String name, String extraAttributes) {
    return """
        {"traceId":"%s","spanId":"%s","name":"%s","kind":2,
         "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000050000000",
         "attributes":[{"key":"http.method","value":{"stringValue":"GET"}}%s],
         "status":{"code":1}}"""
        .formatted(traceId, spanId, name, extraAttributes);
  }

  /** An OTLP/JSON request of the given span objects under one resource. */
  static String otlpRequest(String service, String... spans) {
    String resource =
        service == null
            ? "{\"attributes\":[]}"
            : "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service + "\"}}]}";
    return "{\"resourceSpans\":[{\"resource\":" + resource
        + ",\"scopeSpans\":[{\"scope\":{\"name\":\"test\"},\"spans\":[" + String.join(",", spans)
        + "]}]}]}";
  }

  static String zipkinSpan(String traceId, String id, String service) {
    return """
        {"traceId":"%s","id":"%s","name":"get","kind":"SERVER","timestamp":1700000000000000,
         "duration":1500,"localEndpoint":{"serviceName":"%s"}}"""
        .formatted(traceId, id, service);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
