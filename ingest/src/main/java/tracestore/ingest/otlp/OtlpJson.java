package tracestore.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import tracestore.ingest.BadRequestException;

/**
 * OTLP/JSON through protobuf-java-util. Unknown fields are ignored, as the OTLP spec asks of
 * receivers. Ids are NOT converted here: see {@link OtlpDecoder}, which reads them back as hex.
 */
public final class OtlpJson {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  static ExportTraceServiceRequest parseRequest(byte[] body) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(new String(body, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat throws IllegalArgumentException-style runtime errors for some broken input too.
      throw new BadRequestException(
          BadRequestException.Reason.MALFORMED,
          "body is not an OTLP/JSON ExportTraceServiceRequest: " + e.getMessage(),
          e);
    }
    return b.build();
  }

  /** The response as OTLP/JSON ({@code {}} when everything was accepted). */
  public static byte[] print(ExportTraceServiceResponse response) {
    try {
      return PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print an ExportTraceServiceResponse", e);
    }
  }
}
