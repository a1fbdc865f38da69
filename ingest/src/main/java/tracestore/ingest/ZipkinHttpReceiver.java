package tracestore.ingest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.util.concurrent.Executor;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.IngestPipeline;
import tracestore.ingest.zipkin.ZipkinDecoder;

/**
 * Zipkin v2 {@code POST /api/v2/spans}: a JSON array ({@code application/json}) or a proto3 {@code
 * ListOfSpans} ({@code application/x-protobuf}); no Content-Type means JSON, as in Zipkin's own
 * server. 202 once stored; errors are plain text. Zipkin has
 * no partial success, so one invalid span refuses the whole request (400).
 */
final class ZipkinHttpReceiver extends HttpReceiver<ZipkinHttpReceiver.Format> {
  static final String PATH = "/api/v2/spans";

  enum Format {
    JSON,
    PROTO3
  }

  ZipkinHttpReceiver(
      IngestPipeline pipeline,
      IngestMetrics metrics,
      IngestConfig config,
      Executor decoders,
      TraceBudget budget) {
    super(pipeline, metrics, config, decoders, budget);
  }

  @Override
  Format format(MediaType t) {
    if (is(t, "json")) return Format.JSON;
    if (is(t, "x-protobuf") || is(t, "protobuf")) return Format.PROTO3;
    return null;
  }

  /** Zipkin's own server reads a body without Content-Type as JSON; so do we. */
  @Override
  Format withoutContentType() {
    return Format.JSON;
  }

  @Override
  String acceptedTypes() {
    return "application/json or application/x-protobuf";
  }

  @Override
  String protocol() {
    return "zipkin";
  }

  @Override
  DecodedSpans decode(Format format, byte[] body) {
    DecodedSpans d =
        format == Format.JSON
            ? ZipkinDecoder.decodeJson(body, config.spanLimits())
            : ZipkinDecoder.decodeProto3(body, config.spanLimits());
    if (d.rejectedCount() > 0) {
      metrics.received(protocol(), d.spans().size() + d.rejectedCount());
      metrics.rejected("invalid", d.spans().size() + d.rejectedCount());
      throw new BadRequestException(BadRequestException.Reason.INVALID_SPANS, d.rejectionMessage());
    }
    return d;
  }

  @Override
  HttpResponse success(Format format, DecodedSpans decoded) {
    return HttpResponse.of(HttpStatus.ACCEPTED);
  }

  @Override
  HttpResponse failure(Format format, Failure f) {
    return text(f);
  }
}
