package tracestore.query;

import java.util.List;
import tracestore.storage.model.Span;

/** Writes one trace for the native API. */
final class NativeTraceWriter {
  private NativeTraceWriter() {}

  static byte[] write(List<Span> spans) {
    TraceSummary summary = TraceSummary.of(spans);
    return ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("traceId", ZipkinJsonWriter.traceIdHex(spans.get(0).traceId()));
      NativeApi.writeSummary(g, summary);
      g.writeEndObject();
    });
  }
}
