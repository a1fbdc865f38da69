package tracestore.ingest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.IngestPipeline;

/**
 * The shared shape of the HTTP receivers: check content type and encoding, aggregate the body
 * (Armeria enforces {@code maxBodyBytes}), inflate, decode, hand the valid spans to the pipeline,
 * and answer once the pipeline has the request's one outcome. Inflating and decoding run on the
 * service's bounded decoder pool, so a large JSON body never stalls an event loop; when that pool's
 * queue is full the request gets 503 with {@code Retry-After}.
 *
 * @param <F> the body formats the endpoint accepts
 */
abstract class HttpReceiver<F> implements HttpService {
  final IngestPipeline pipeline;
  final IngestMetrics metrics;
  final IngestConfig config;
  private final Executor decoders;
  private final TraceBudget budget;

  HttpReceiver(
      IngestPipeline pipeline,
      IngestMetrics metrics,
      IngestConfig config,
      Executor decoders,
      TraceBudget budget) {
    this.pipeline = pipeline;
    this.budget = budget;
    this.decoders = decoders;
    this.metrics = metrics;
    this.config = config;
  }

  /** The format for this content type, or null when the endpoint does not accept it. */
  abstract F format(MediaType contentType);

  /** The format assumed when a request has no Content-Type, or null to refuse it (415). */
  F withoutContentType() {
    return null;
  }

  /** What the 415 answer lists as accepted. */
  abstract String acceptedTypes();

  abstract DecodedSpans decode(F format, byte[] body);

  abstract String protocol();

  abstract HttpResponse success(F format, DecodedSpans decoded);

  abstract HttpResponse failure(F format, Failure failure);

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    MediaType type = req.contentType();
    F format = type == null ? withoutContentType() : format(type);
    try {
      if (format == null) {
        throw new BadRequestException(
            BadRequestException.Reason.UNSUPPORTED_MEDIA_TYPE,
            "unsupported Content-Type "
                + (type == null ? "(none)" : "\"" + type + "\"")
                + "; use " + acceptedTypes());
      }
      Bodies.checkEncoding(req.headers());
    } catch (BadRequestException e) {
      Failure.count(e, metrics);
      return text(Failure.of(e));
    }
    CompletionStage<HttpResponse> answer =
        req.aggregate()
            .thenComposeAsync(agg -> handle(format, agg), decoders)
            .exceptionally(
                t -> {
                  Throwable c = Failure.unwrap(t);
                  if (c instanceof ContentTooLargeException) c = tooLarge();
                  Failure.count(c, metrics);
                  return failure(format, Failure.of(c));
                });
    return HttpResponse.of(answer);
  }

  private CompletionStage<HttpResponse> handle(F format, AggregatedHttpRequest agg) {
    byte[] body = Bodies.decoded(agg.headers(), agg.content().array(), config.maxInflatedBytes());
    DecodedSpans decoded = decode(format, body);
    metrics.received(protocol(), decoded.spans().size() + decoded.rejectedCount());
    metrics.rejectedSpans("invalid", decoded.rejectedCount());
    try {
      decoded.requireSomeValid();
    } catch (BadRequestException e) {
      metrics.rejected("invalid", 0);
      return CompletableFuture.failedFuture(e);
    }
    metrics.rejectedSpans("trace_too_large", decoded.applyTraceBudget(budget));
    return pipeline.submit(decoded.spans()).thenApply(v -> success(format, decoded));
  }

  BadRequestException tooLarge() {
    return new BadRequestException(
        BadRequestException.Reason.TOO_LARGE,
        "request body exceeds " + config.maxBodyBytes() + " bytes (maxBodyBytes)");
  }

  /** A plain-text error answer with the status, message and {@code Retry-After} of the failure. */
  static HttpResponse text(Failure f) {
    return respond(f, MediaType.PLAIN_TEXT_UTF_8, HttpData.ofUtf8(f.message() + "\n"));
  }

  static HttpResponse respond(Failure f, MediaType type, HttpData body) {
    ResponseHeadersBuilder h = ResponseHeaders.builder(f.httpStatus()).contentType(type);
    if (f.retryAfterSeconds() > 0) {
      h.set(HttpHeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
    }
    return HttpResponse.of(h.build(), body);
  }

  static boolean is(MediaType t, String subtype) {
    return t.type().equals("application") && t.subtype().toLowerCase(Locale.ROOT).equals(subtype);
  }
}
