package tracestore.ingest;

import java.util.Objects;
import tracestore.ingest.pipeline.PipelineConfig;

/**
 * Settings of the receivers and of the pipeline behind them. Immutable; {@link Builder#build()}
 * validates and names the bad setting.
 *
 * <p>Ports: {@code -1} leaves a port closed, {@code 0} opens an ephemeral one (tests). Every opened
 * port serves every ingest route (the routes do not collide); the three ports exist so each client
 * finds its protocol's usual port.
 */
public final class IngestConfig {
  private final String bindAddress;
  private final int otlpGrpcPort;
  private final int otlpHttpPort;
  private final int zipkinPort;
  private final long maxBodyBytes;
  private final int decodeThreads;
  private final long maxInflatedBytes;
  private final SpanLimits spanLimits;
  private final PipelineConfig pipeline;

  private IngestConfig(Builder b) {
    bindAddress = b.bindAddress;
    otlpGrpcPort = b.otlpGrpcPort;
    otlpHttpPort = b.otlpHttpPort;
    zipkinPort = b.zipkinPort;
    maxBodyBytes = b.maxBodyBytes;
    decodeThreads = b.decodeThreads;
    maxInflatedBytes = b.maxInflatedBytes;
    spanLimits = b.spanLimits;
    pipeline = b.pipeline;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static IngestConfig defaults() {
    return new Builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .bindAddress(bindAddress)
        .otlpGrpcPort(otlpGrpcPort)
        .otlpHttpPort(otlpHttpPort)
        .zipkinPort(zipkinPort)
        .maxBodyBytes(maxBodyBytes)
        .decodeThreads(decodeThreads)
        .maxInflatedBytes(maxInflatedBytes)
        .spanLimits(spanLimits)
        .pipeline(pipeline);
  }

  /** The address the ports listen on; empty (the default) means every interface. */
  public String bindAddress() {
    return bindAddress;
  }

  /** OTLP/gRPC port; default 4317. */
  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  /** OTLP/HTTP port; default 4318. */
  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  /** Zipkin v2 port; default 9411 (the query API usually shares it). */
  public int zipkinPort() {
    return zipkinPort;
  }

  /** Largest request body as sent (compressed or not), in bytes; above it, 413. Default 8 MiB. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Threads that inflate and decode HTTP bodies; default the number of processors. */
  public int decodeThreads() {
    return decodeThreads;
  }

  /**
   * Largest body after gzip inflation (and largest gRPC message), in bytes; above it, 413. Default
   * 32 MiB.
   */
  public long maxInflatedBytes() {
    return maxInflatedBytes;
  }

  public SpanLimits spanLimits() {
    return spanLimits;
  }

  public PipelineConfig pipeline() {
    return pipeline;
  }

  @Override
  public String toString() {
    return "IngestConfig{bindAddress=" + bindAddress + ", otlpGrpcPort=" + otlpGrpcPort + ", otlpHttpPort=" + otlpHttpPort
        + ", zipkinPort=" + zipkinPort + ", maxBodyBytes=" + maxBodyBytes + ", decodeThreads=" + decodeThreads + ", maxInflatedBytes="
        + maxInflatedBytes + ", spanLimits=" + spanLimits + ", pipeline=" + pipeline + '}';
  }

  /** Mutable builder with the defaults listed on the accessors. */
  public static final class Builder {
    private String bindAddress = "";
    private int otlpGrpcPort = 4317;
    private int otlpHttpPort = 4318;
    private int zipkinPort = 9411;
    private long maxBodyBytes = 8L << 20;
    private int decodeThreads = Runtime.getRuntime().availableProcessors();
    private long maxInflatedBytes = 32L << 20;
    private SpanLimits spanLimits = SpanLimits.DEFAULTS;
    private PipelineConfig pipeline = PipelineConfig.defaults();

    private Builder() {}

    public Builder bindAddress(String v) {
      bindAddress = v == null ? "" : v.trim();
      return this;
    }

    public Builder otlpGrpcPort(int v) {
      otlpGrpcPort = v;
      return this;
    }

    public Builder otlpHttpPort(int v) {
      otlpHttpPort = v;
      return this;
    }

    public Builder zipkinPort(int v) {
      zipkinPort = v;
      return this;
    }

    public Builder maxBodyBytes(long v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder decodeThreads(int v) {
      decodeThreads = v;
      return this;
    }

    public Builder maxInflatedBytes(long v) {
      maxInflatedBytes = v;
      return this;
    }

    public Builder spanLimits(SpanLimits v) {
      spanLimits = Objects.requireNonNull(v, "spanLimits == null");
      return this;
    }

    public Builder pipeline(PipelineConfig v) {
      pipeline = Objects.requireNonNull(v, "pipeline == null");
      return this;
    }

    public IngestConfig build() {
      port("otlpGrpcPort", otlpGrpcPort);
      port("otlpHttpPort", otlpHttpPort);
      port("zipkinPort", zipkinPort);
      if (decodeThreads < 1) throw new IllegalArgumentException("decodeThreads must be > 0, got " + decodeThreads);
      if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxBodyBytes must be in 1.." + Integer.MAX_VALUE + ", got " + maxBodyBytes);
      }
      if (maxInflatedBytes < maxBodyBytes || maxInflatedBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxInflatedBytes must be in maxBodyBytes (" + maxBodyBytes + ").." + Integer.MAX_VALUE
                + ", got " + maxInflatedBytes);
      }
      return new IngestConfig(this);
    }

    private static void port(String name, int v) {
      if (v < -1 || v > 65535) {
        throw new IllegalArgumentException(name + " must be -1 (off), 0 (ephemeral) or 1..65535, got " + v);
      }
    }
  }
}
