package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static tracestore.ingest.Payloads.hex;
import static tracestore.ingest.Payloads.otlpRequest;
import static tracestore.ingest.Payloads.otlpSpan;
import static tracestore.ingest.Payloads.utf8;
import static tracestore.ingest.Payloads.zipkinSpan;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracestore.ingest.pipeline.FlakyWriter;
import tracestore.ingest.pipeline.PipelineConfig;
import tracestore.storage.StorageException;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.TraceId;

/** Queue full, deadline and shutdown, over HTTP and gRPC: status, Retry-After, message, no loss. */
class BackpressureTest {
  final Random random = new Random();


  /** A valid OTLP request for gRPC, built as protobuf (ids as bytes). */
  ExportTraceServiceRequest grpcRequest(String service, String traceHex) {
    byte[] trace = TraceId.parse(traceHex).toBytes();
    byte[] span = new byte[8];
    random.nextBytes(span);
    span[0] |= 1;
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                .setResource(
                    io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(
                            io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(
                    io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                        .addSpans(
                            io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                                .setSpanId(com.google.protobuf.ByteString.copyFrom(span))
                                .setName("op")
                                .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                                .setEndTimeUnixNano(1_700_000_000_000_001_000L))))
        .build();
  }

  @Test
  void aFullQueueAnswers429WithRetryAfterAndStoresEverythingItAccepted() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    IngestConfig config =
        IngestConfig.newBuilder()
            .pipeline(
                PipelineConfig.newBuilder()
                    .maxQueueBytes(4_000)
                    .maxBatchBytes(1_000)
                    .maxConcurrentWrites(1)
                    .flushInterval(Duration.ofMillis(5))
                    .build())
            .build();
    try (Harness h = new Harness(writer, config)) {
      List<String> acceptedTraces = new ArrayList<>();
      List<CompletableFuture<HttpResponse<byte[]>>> accepted = new ArrayList<>();
      HttpResponse<byte[]> refused = null;
      for (int i = 0; i < 50 && refused == null; i++) {
        String trace = hex(random, 16);
        HttpRequest req =
            HttpRequest.newBuilder(URI.create(h.url("/api/v2/spans")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(utf8("[" + zipkinSpan(trace, hex(random, 8), "bp") + "]")))
                .build();
        long before = h.ingest.pendingBytes();
        CompletableFuture<HttpResponse<byte[]>> f = h.client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
        // Accepted requests raise the pending bytes and wait for the closed writer; refused ones
        // are answered at once.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!f.isDone() && h.ingest.pendingBytes() == before && System.nanoTime() < until) {
          Thread.sleep(1);
        }
        if (f.isDone()) {
          refused = f.get();
        } else {
          assertThat(h.ingest.pendingBytes()).isGreaterThan(before);
          acceptedTraces.add(trace);
          accepted.add(f);
        }
      }
      assertThat(refused).as("a request was refused").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
      assertThat(new String(refused.body(), StandardCharsets.UTF_8)).startsWith("ingest queue is full (");

      // gRPC sees the same full queue as RESOURCE_EXHAUSTED with a RetryInfo.
      TraceServiceGrpc.TraceServiceBlockingStub grpc =
          GrpcClients.newClient(h.url("/"), TraceServiceGrpc.TraceServiceBlockingStub.class);
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> grpc.export(grpcRequest("bp", hex(random, 16))));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).startsWith("ingest queue is full (");
      com.google.rpc.Status detail = StatusProto.fromThrowable(e);
      assertThat(detail.getDetailsList()).hasSize(1);
      assertThat(detail.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

      writer.open();
      for (CompletableFuture<HttpResponse<byte[]>> f : accepted) {
        assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      }
      for (String t : acceptedTraces) assertThat(store.reader().getTrace(TraceId.parse(t))).hasSize(1);
      assertThat(h.counter("tracestore.ingest.requests.rejected", "reason", "queue_full")).isEqualTo(2);
    }
  }

  @Test
  void aStoreThatCannotWriteInTimeGives503AndNothingIsAcknowledged() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    FlakyWriter writer =
        new FlakyWriter(store.writer(), Integer.MAX_VALUE, StorageException.retryable("connection refused", null));
    IngestConfig config =
        IngestConfig.newBuilder()
            .pipeline(
                PipelineConfig.newBuilder()
                    .requestDeadline(Duration.ofMillis(300))
                    .flushInterval(Duration.ofMillis(5))
                    .initialBackoff(Duration.ofMillis(10))
                    .maxBackoff(Duration.ofMillis(50))
                    .build())
            .build();
    try (Harness h = new Harness(writer, config)) {
      var r = h.post("/v1/traces", "application/json", utf8(otlpRequest("dl", otlpSpan(hex(random, 16), hex(random, 8), "x", ""))));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).hasValue("1");
      com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder();
      JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), s);
      assertThat(s.getMessage())
          .isEqualTo("1 spans were not all stored within 300 ms; last storage error: connection refused");
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());

      TraceServiceGrpc.TraceServiceBlockingStub grpc =
          GrpcClients.newClient(h.url("/"), TraceServiceGrpc.TraceServiceBlockingStub.class);
      StatusRuntimeException e =
          catchThrowableOfType(StatusRuntimeException.class, () -> grpc.export(grpcRequest("dl", hex(random, 16))));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("not all stored within 300 ms");
      assertThat(h.counter("tracestore.ingest.requests.rejected", "reason", "deadline")).isEqualTo(2);
      assertThat(h.counter("tracestore.ingest.spans.accepted")).isZero();
    }
  }

  @Test
  void closeRefusesNewRequestsAndAnswersEveryAcceptedOneAfterStoringIt() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    try (Harness h = new Harness(writer, IngestConfig.defaults())) {
      List<String> traces = new ArrayList<>();
      List<CompletableFuture<HttpResponse<byte[]>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String trace = hex(random, 16);
        traces.add(trace);
        long before = h.ingest.pendingBytes();
        inFlight.add(
            h.client.sendAsync(
                HttpRequest.newBuilder(URI.create(h.url("/api/v2/spans")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(utf8("[" + zipkinSpan(trace, hex(random, 8), "drain") + "]")))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.ingest.pendingBytes() == before && System.nanoTime() < until) Thread.sleep(1);
        assertThat(h.ingest.pendingBytes()).as("request %d accepted", i).isGreaterThan(before);
      }
      CompletableFuture<Void> closed = h.ingest.closeAsync().toCompletableFuture();
      var late = h.post("/api/v2/spans", "application/json", utf8("[" + zipkinSpan(hex(random, 16), hex(random, 8), "late") + "]"));
      assertThat(late.statusCode()).isEqualTo(503);
      assertThat(closed).isNotDone(); // the accepted ones are not written yet
      for (var f : inFlight) assertThat(f).isNotDone();
      writer.open();
      closed.get(10, TimeUnit.SECONDS);
      for (var f : inFlight) assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      for (String t : traces) assertThat(store.reader().getTrace(TraceId.parse(t))).hasSize(1);
    }
  }

  @Test
  void afterCloseRequestsGet503WithRetryAfter() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    try (Harness h = new Harness(store.writer(), IngestConfig.defaults())) {
      h.ingest.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
      var r = h.post("/api/v2/spans", "application/json", utf8("[" + zipkinSpan(hex(random, 16), hex(random, 8), "c") + "]"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).hasValue("1");
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("ingest is shutting down\n");
    }
  }
}
