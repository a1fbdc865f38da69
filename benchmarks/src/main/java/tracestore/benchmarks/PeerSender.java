package tracestore.benchmarks;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.List;
import tracestore.storage.model.Span;

/**
 * One protocol of the load generator: how a list of spans becomes a request body, and how a body
 * is sent and its answer classified. Blocking; one instance is shared by all sending threads, each
 * thread holding at most one request in flight.
 */
abstract class PeerSender implements AutoCloseable {
  /** What an answer means for the load generator. */
  enum Outcome {
    /** 2xx, or gRPC OK: the server took the spans. */
    ACCEPTED,
    /** 429/503 or RESOURCE_EXHAUSTED/UNAVAILABLE: back-pressure; send the same body again. */
    BACK_PRESSURE,
    /** Anything else: counted, not retried. */
    FAILED
  }

  /** The answer: outcome and status (HTTP code, or gRPC code number). */
  record Answer(Outcome outcome, int status) {}

  /** The request body: bytes for HTTP, the request message for gRPC (its encoding is the stub's). */
  abstract Object encode(List<Span> spans);

  abstract Answer send(Object body);

  @Override
  public abstract void close();

  /**
   * @param protocol {@code otlp-http}, {@code otlp-grpc} or {@code zipkin-json}
   * @param baseUrl for example {@code http://127.0.0.1:4318}
   */
  static PeerSender of(String protocol, String baseUrl, int connections) {
    ClientFactory factory = ClientFactory.builder()
        .maxNumEventLoopsPerEndpoint(Math.max(1, connections))
        .idleTimeout(Duration.ofMinutes(5))
        .build();
    return switch (protocol) {
      case "otlp-http" -> new Http(factory, baseUrl, "/v1/traces", "application/x-protobuf") {
        @Override
        Object encode(List<Span> spans) {
          return OtlpSpans.encode(spans);
        }
      };
      case "zipkin-json" -> new Http(factory, baseUrl, "/api/v2/spans", "application/json") {
        @Override
        Object encode(List<Span> spans) {
          return ZipkinSpans.encode(spans);
        }
      };
      case "otlp-grpc" -> new Grpc(factory, baseUrl);
      default -> {
        factory.close();
        throw new IllegalArgumentException("protocol must be otlp-http, otlp-grpc or zipkin-json: " + protocol);
      }
    };
  }

  /** HTTP/1.1 POSTs, as OTel's OTLP/HTTP exporter and Zipkin's reporters send them. */
  private abstract static class Http extends PeerSender {
    private final ClientFactory factory;
    private final BlockingWebClient client;
    private final String path;
    private final String contentType;

    Http(ClientFactory factory, String baseUrl, String path, String contentType) {
      this.factory = factory;
      this.client = WebClient.builder(baseUrl.replaceFirst("^http://", "h1c://"))
          .factory(factory)
          .responseTimeout(Duration.ofSeconds(60))
          .maxResponseLength(1 << 20)
          .build()
          .blocking();
      this.path = path;
      this.contentType = contentType;
    }

    @Override
    Answer send(Object body) {
      AggregatedHttpResponse r = client.execute(
          RequestHeaders.of(HttpMethod.POST, path, HttpHeaderNames.CONTENT_TYPE, contentType),
          HttpData.wrap((byte[]) body));
      int code = r.status().code();
      if (code >= 200 && code < 300) return new Answer(Outcome.ACCEPTED, code);
      if (code == 429 || code == 503) return new Answer(Outcome.BACK_PRESSURE, code);
      return new Answer(Outcome.FAILED, code);
    }

    @Override
    public void close() {
      factory.close();
    }
  }

  /** OTLP/gRPC {@code TraceService/Export} through Armeria's gRPC client. */
  private static final class Grpc extends PeerSender {
    private final ClientFactory factory;
    private final TraceServiceGrpc.TraceServiceBlockingStub stub;

    Grpc(ClientFactory factory, String baseUrl) {
      this.factory = factory;
      this.stub = GrpcClients.builder(baseUrl)
          .factory(factory)
          .responseTimeout(Duration.ofSeconds(60))
          .maxResponseLength(1 << 20)
          .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    }

    @Override
    Object encode(List<Span> spans) {
      return OtlpSpans.toRequest(spans);
    }

    @Override
    Answer send(Object body) {
      try {
        stub.export((ExportTraceServiceRequest) body);
        return new Answer(Outcome.ACCEPTED, 0);
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        boolean retry = code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE;
        return new Answer(retry ? Outcome.BACK_PRESSURE : Outcome.FAILED, code.value());
      }
    }

    @Override
    public void close() {
      factory.close();
    }
  }
}
