package tracestore.ingest;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import tracestore.ingest.otlp.OtlpDecoder;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.IngestPipeline;

/**
 * OTLP/gRPC {@code TraceService/Export}. Answers once the pipeline has the request's outcome; the
 * error codes are in {@link Failure}. armeria-grpc inflates {@code grpc-encoding: gzip} and caps the
 * message at {@code maxInflatedBytes}.
 */
final class OtlpGrpcReceiver extends TraceServiceGrpc.TraceServiceImplBase {
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;
  private final IngestConfig config;
  private final TraceBudget budget;

  OtlpGrpcReceiver(
      IngestPipeline pipeline, IngestMetrics metrics, IngestConfig config, TraceBudget budget) {
    this.pipeline = pipeline;
    this.budget = budget;
    this.metrics = metrics;
    this.config = config;
  }

  @Override
  public void export(
      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
    DecodedSpans decoded;
    try {
      decoded = OtlpDecoder.decode(request, config.spanLimits());
      metrics.received("otlp_grpc", decoded.spans().size() + decoded.rejectedCount());
      metrics.rejectedSpans("invalid", decoded.rejectedCount());
      if (decoded.spans().isEmpty() && decoded.rejectedCount() > 0) metrics.rejected("invalid", 0);
      decoded.requireSomeValid();
    } catch (BadRequestException e) {
      Failure.count(e, metrics);
      observer.onError(Failure.of(e).toGrpc());
      return;
    }
    metrics.rejectedSpans("trace_too_large", decoded.applyTraceBudget(budget));
    DecodedSpans d = decoded;
    pipeline
        .submit(d.spans())
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                observer.onError(Failure.of(e).toGrpc());
              } else {
                observer.onNext(OtlpDecoder.response(d));
                observer.onCompleted();
              }
            });
  }
}
