package tracestore.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import tracestore.ingest.otlp.OtlpDecoder;
import tracestore.ingest.otlp.OtlpJson;
import java.util.concurrent.Executor;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.IngestPipeline;

/**
 * OTLP/HTTP {@code POST /v1/traces}: protobuf ({@code application/x-protobuf}) or OTLP/JSON ({@code
 * application/json}). Success is 200 with an {@code ExportTraceServiceResponse} (carrying {@code
 * partial_success} when some spans were rejected); failures carry a {@code google.rpc.Status}, both
 * in the request's own content type, as the OTLP spec asks.
 */
final class OtlpHttpReceiver extends HttpReceiver<OtlpHttpReceiver.Format> {
  static final String PATH = "/v1/traces";

  enum Format {
    PROTOBUF,
    JSON
  }

  OtlpHttpReceiver(
      IngestPipeline pipeline,
      IngestMetrics metrics,
      IngestConfig config,
      Executor decoders,
      TraceBudget budget) {
    super(pipeline, metrics, config, decoders, budget);
  }

  @Override
  Format format(MediaType t) {
    if (is(t, "x-protobuf") || is(t, "protobuf")) return Format.PROTOBUF;
    if (is(t, "json")) return Format.JSON;
    return null;
  }

  @Override
  String acceptedTypes() {
    return "application/x-protobuf or application/json";
  }

  @Override
  String protocol() {
    return "otlp_http";
  }

  @Override
  DecodedSpans decode(Format format, byte[] body) {
    return format == Format.PROTOBUF
        ? OtlpDecoder.decodeProtobuf(body, config.spanLimits())
        : OtlpDecoder.decodeJson(body, config.spanLimits());
  }

  @Override
  HttpResponse success(Format format, DecodedSpans decoded) {
    var response = OtlpDecoder.response(decoded);
    return format == Format.PROTOBUF
        ? HttpResponse.of(HttpStatus.OK, MediaType.X_PROTOBUF, response.toByteArray())
        : HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.print(response));
  }

  @Override
  HttpResponse failure(Format format, Failure f) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder().setCode(f.grpcCode().value()).setMessage(f.message()).build();
    if (format == Format.PROTOBUF) {
      return respond(f, MediaType.X_PROTOBUF, HttpData.wrap(status.toByteArray()));
    }
    try {
      return respond(f, MediaType.JSON, HttpData.ofUtf8(JsonFormat.printer().print(status)));
    } catch (InvalidProtocolBufferException e) {
      return text(f);
    }
  }
}
