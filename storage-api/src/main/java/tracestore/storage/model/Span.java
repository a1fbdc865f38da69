package tracestore.storage.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One immutable span. Build it with {@link #newBuilder()}; decoders reuse one builder via {@link
 * Builder#clear()}.
 *
 * <p>Conventions: ids are primitives (zero parent = root); times are nanoseconds since the epoch;
 * durations are nanoseconds; absent strings are {@code ""}, never null; collections are unmodifiable
 * and never null. {@code remoteService} is Zipkin's remote endpoint service name (OTel {@code
 * peer.service}).
 */
public final class Span {
  private final TraceId traceId;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final String service;
  private final SpanKind kind;
  private final long startEpochNanos;
  private final long durationNanos;
  private final StatusCode statusCode;
  private final String statusMessage;
  private final String remoteService;
  private final List<Tag> tags;
  private final List<SpanLog> logs;
  private final List<SpanLink> links;
  private final List<Tag> resource;
  private final String scopeName;
  private final String scopeVersion;

  Span(Builder b) {
    traceId = b.traceId;
    spanId = b.spanId;
    parentSpanId = b.parentSpanId;
    name = b.name;
    service = b.service;
    kind = b.kind;
    startEpochNanos = b.startEpochNanos;
    durationNanos = b.durationNanos;
    statusCode = b.statusCode;
    statusMessage = b.statusMessage;
    remoteService = b.remoteService;
    tags = List.copyOf(b.tags);
    logs = List.copyOf(b.logs);
    links = List.copyOf(b.links);
    resource = List.copyOf(b.resource);
    scopeName = b.scopeName;
    scopeVersion = b.scopeVersion;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.traceId = traceId;
    b.spanId = spanId;
    b.parentSpanId = parentSpanId;
    b.name = name;
    b.service = service;
    b.kind = kind;
    b.startEpochNanos = startEpochNanos;
    b.durationNanos = durationNanos;
    b.statusCode = statusCode;
    b.statusMessage = statusMessage;
    b.remoteService = remoteService;
    b.tags.addAll(tags);
    b.logs.addAll(logs);
    b.links.addAll(links);
    b.resource.addAll(resource);
    b.scopeName = scopeName;
    b.scopeVersion = scopeVersion;
    return b;
  }

  public TraceId traceId() {
    return traceId;
  }

  /** Never zero. */
  public long spanId() {
    return spanId;
  }

  /** Zero when this span is a root. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId == 0;
  }

  /** The operation name; may be empty. */
  public String name() {
    return name;
  }

  /** The local service name; never empty. */
  public String service() {
    return service;
  }

  public SpanKind kind() {
    return kind;
  }

  /** Nanoseconds since the epoch. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Nanoseconds, never negative. Zero when unknown (an incomplete Zipkin span). */
  public long durationNanos() {
    return durationNanos;
  }

  /** Start plus duration, nanoseconds since the epoch; never overflows (the builder checks). */
  public long endEpochNanos() {
    return startEpochNanos + durationNanos;
  }

  public StatusCode statusCode() {
    return statusCode;
  }

  public String statusMessage() {
    return statusMessage;
  }

  /** True when the status is ERROR or an {@code error} tag is present (Zipkin's convention). */
  public boolean isError() {
    if (statusCode == StatusCode.ERROR) return true;
    for (int i = 0, n = tags.size(); i < n; i++) {
      if ("error".equals(tags.get(i).key())) return true;
    }
    return false;
  }

  /** Zipkin's remote endpoint service name, OTel's {@code peer.service}; may be empty. */
  public String remoteService() {
    return remoteService;
  }

  public List<Tag> tags() {
    return tags;
  }

  /** The first tag with this key, or null. */
  public TagValue tag(String key) {
    for (int i = 0, n = tags.size(); i < n; i++) {
      Tag t = tags.get(i);
      if (t.key().equals(key)) return t.value();
    }
    return null;
  }

  public List<SpanLog> logs() {
    return logs;
  }

  public List<SpanLink> links() {
    return links;
  }

  /** Resource attributes other than {@code service.name}, which is {@link #service()}. */
  public List<Tag> resource() {
    return resource;
  }

  public String scopeName() {
    return scopeName;
  }

  public String scopeVersion() {
    return scopeVersion;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof Span)) return false;
    Span s = (Span) o;
    return spanId == s.spanId
        && parentSpanId == s.parentSpanId
        && startEpochNanos == s.startEpochNanos
        && durationNanos == s.durationNanos
        && traceId.equals(s.traceId)
        && name.equals(s.name)
        && service.equals(s.service)
        && kind == s.kind
        && statusCode == s.statusCode
        && statusMessage.equals(s.statusMessage)
        && remoteService.equals(s.remoteService)
        && tags.equals(s.tags)
        && logs.equals(s.logs)
        && links.equals(s.links)
        && resource.equals(s.resource)
        && scopeName.equals(s.scopeName)
        && scopeVersion.equals(s.scopeVersion);
  }

  /** Stable across JVM runs: it depends only on the field values. */
  @Override
  public int hashCode() {
    int h = traceId.hashCode();
    h = 31 * h + Long.hashCode(spanId);
    h = 31 * h + Long.hashCode(parentSpanId);
    h = 31 * h + name.hashCode();
    h = 31 * h + service.hashCode();
    h = 31 * h + kind.ordinal(); // not Enum.hashCode(), which changes from one JVM run to the next
    h = 31 * h + Long.hashCode(startEpochNanos);
    h = 31 * h + Long.hashCode(durationNanos);
    h = 31 * h + statusCode.ordinal();
    h = 31 * h + statusMessage.hashCode();
    h = 31 * h + remoteService.hashCode();
    h = 31 * h + tags.hashCode();
    h = 31 * h + logs.hashCode();
    h = 31 * h + links.hashCode();
    h = 31 * h + resource.hashCode();
    h = 31 * h + scopeName.hashCode();
    h = 31 * h + scopeVersion.hashCode();
    return h;
  }

  /** A short, codec-free description for logs and test failures. */
  @Override
  public String toString() {
    return "Span{"
        + traceId.toHex()
        + '/'
        + SpanId.toHex(spanId)
        + (parentSpanId == 0 ? "" : " parent=" + SpanId.toHex(parentSpanId))
        + ' '
        + service
        + ':'
        + name
        + ' '
        + kind
        + " start="
        + startEpochNanos
        + " dur="
        + durationNanos
        + (statusCode == StatusCode.UNSET ? "" : " " + statusCode)
        + (tags.isEmpty() ? "" : " tags=" + tags.size())
        + (logs.isEmpty() ? "" : " logs=" + logs.size())
        + '}';
  }

  /** Mutable, reusable builder. Validation happens in {@link #build()}, naming the bad field. */
  public static final class Builder {
    TraceId traceId;
    long spanId;
    long parentSpanId;
    String name = "";
    String service = "";
    SpanKind kind = SpanKind.UNSPECIFIED;
    long startEpochNanos;
    long durationNanos;
    StatusCode statusCode = StatusCode.UNSET;
    String statusMessage = "";
    String remoteService = "";
    final ArrayList<Tag> tags = new ArrayList<>();
    final ArrayList<SpanLog> logs = new ArrayList<>();
    final ArrayList<SpanLink> links = new ArrayList<>();
    final ArrayList<Tag> resource = new ArrayList<>();
    String scopeName = "";
    String scopeVersion = "";

    Builder() {}

    /** Resets every field, so one builder can decode many spans. */
    public Builder clear() {
      traceId = null;
      spanId = 0;
      parentSpanId = 0;
      name = "";
      service = "";
      kind = SpanKind.UNSPECIFIED;
      startEpochNanos = 0;
      durationNanos = 0;
      statusCode = StatusCode.UNSET;
      statusMessage = "";
      remoteService = "";
      tags.clear();
      logs.clear();
      links.clear();
      resource.clear();
      scopeName = "";
      scopeVersion = "";
      return this;
    }

    public Builder traceId(TraceId traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder traceId(long high, long low) {
      this.traceId = new TraceId(high, low);
      return this;
    }

    public Builder spanId(long spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder parentSpanId(long parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    public Builder name(String name) {
      this.name = name == null ? "" : name;
      return this;
    }

    public Builder service(String service) {
      this.service = service == null ? "" : service;
      return this;
    }

    public Builder kind(SpanKind kind) {
      this.kind = kind == null ? SpanKind.UNSPECIFIED : kind;
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder durationNanos(long durationNanos) {
      this.durationNanos = durationNanos;
      return this;
    }

    public Builder status(StatusCode code, String message) {
      this.statusCode = code == null ? StatusCode.UNSET : code;
      this.statusMessage = message == null ? "" : message;
      return this;
    }

    public Builder remoteService(String remoteService) {
      this.remoteService = remoteService == null ? "" : remoteService;
      return this;
    }

    public Builder addTag(Tag tag) {
      tags.add(Objects.requireNonNull(tag, "tag == null"));
      return this;
    }

    public Builder addTag(String key, String value) {
      return addTag(Tag.of(key, value));
    }

    public Builder tags(List<Tag> tags) {
      this.tags.clear();
      for (Tag t : tags) addTag(t);
      return this;
    }

    public Builder addLog(SpanLog log) {
      logs.add(Objects.requireNonNull(log, "log == null"));
      return this;
    }

    public Builder logs(List<SpanLog> logs) {
      this.logs.clear();
      for (SpanLog l : logs) addLog(l);
      return this;
    }

    public Builder addLink(SpanLink link) {
      links.add(Objects.requireNonNull(link, "link == null"));
      return this;
    }

    public Builder links(List<SpanLink> links) {
      this.links.clear();
      for (SpanLink l : links) addLink(l);
      return this;
    }

    public Builder addResource(Tag tag) {
      resource.add(Objects.requireNonNull(tag, "resource tag == null"));
      return this;
    }

    public Builder resource(List<Tag> resource) {
      this.resource.clear();
      for (Tag t : resource) addResource(t);
      return this;
    }

    public Builder scope(String name, String version) {
      this.scopeName = name == null ? "" : name;
      this.scopeVersion = version == null ? "" : version;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field, when an id is zero or missing, the service
     *     is empty, a time is negative, the end time overflows a long, a span is its own parent, or a
     *     tag or resource key is empty
     */
    public Span build() {
      if (traceId == null || traceId.isZero()) {
        throw new IllegalArgumentException("traceId is missing or zero");
      }
      if (spanId == 0) throw new IllegalArgumentException("spanId is zero in trace " + traceId);
      if (parentSpanId == spanId) {
        throw new IllegalArgumentException(
            "span " + SpanId.toHex(spanId) + " is its own parent in trace " + traceId);
      }
      if (service.isEmpty()) {
        throw new IllegalArgumentException(
            "service is empty for span " + SpanId.toHex(spanId) + " in trace " + traceId);
      }
      if (startEpochNanos < 0) {
        throw new IllegalArgumentException("startEpochNanos < 0: " + startEpochNanos);
      }
      if (durationNanos < 0) throw new IllegalArgumentException("durationNanos < 0: " + durationNanos);
      if (startEpochNanos + durationNanos < 0) {
        // Both are non-negative here, so a negative sum is an overflow of endEpochNanos().
        throw new IllegalArgumentException(
            "startEpochNanos + durationNanos overflows: " + startEpochNanos + " + " + durationNanos);
      }
      for (int i = 0, n = tags.size(); i < n; i++) {
        if (tags.get(i).key().isEmpty()) {
          throw new IllegalArgumentException(
              "tag key is empty at tags[" + i + "] of span " + SpanId.toHex(spanId));
        }
      }
      for (int i = 0, n = resource.size(); i < n; i++) {
        if (resource.get(i).key().isEmpty()) {
          throw new IllegalArgumentException(
              "resource key is empty at resource[" + i + "] of span " + SpanId.toHex(spanId));
        }
      }
      return new Span(this);
    }
  }
}
