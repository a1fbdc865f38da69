package tracestore.storage.codec;

import static tracestore.storage.codec.ChunkFormat.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/** Parses one decompressed body of format version 1 (kept so stored v1 chunks stay readable); one instance per decode call. The mirror of the encoder's pass 2. */
final class BodyDecoderV1 {
  private static final int KINDS = SpanKind.values().length;
  private static final int STATUSES = StatusCode.values().length;
  /** A log is at least its time delta, name and field count. */
  private static final int MIN_LOG_BYTES = 3;
  /** A link is at least its trace id, span id and tag count. */
  private static final int MIN_LINK_BYTES = 25;
  /** An origin is at least its scope name, scope version and resource reference. */
  private static final int MIN_ORIGIN_BYTES = 3;

  private final BodyReader r;
  private final ChunkHeader header;
  private final TraceId expected;
  private String[] strings;
  private TagValue[] stringValues;

  private record Origin(String scopeName, String scopeVersion, List<Tag> resource) {}

  private static final String[] WELL_KNOWN = WellKnownStrings.TABLE;

  /** @param expected the trace id the chunk must hold, or null for any */
  BodyDecoderV1(byte[] body, ChunkHeader header, TraceId expected) {
    this.r = new BodyReader(body, body.length);
    this.header = header;
    this.expected = expected;
  }

  List<Span> decode() {
    long high = r.readLongBE("trace id");
    long low = r.readLongBE("trace id");
    if (high == 0 && low == 0) throw r.corrupt("zero trace id");
    TraceId traceId = new TraceId(high, low);
    if (expected != null && !expected.equals(traceId)) {
      throw CorruptChunkException.inBody(
          "the chunk holds trace " + traceId + ", not the expected " + expected, 0);
    }
    long minStart = r.readVarLong("min start");
    if (minStart != header.minStartEpochNanos()) {
      throw r.corrupt(
          "min start " + minStart + " differs from the header's " + header.minStartEpochNanos());
    }
    readStrings();
    Origin[] origins = readOrigins(readResources());

    int count = r.readCount("span count", MIN_SPAN_BYTES);
    if (count != header.spanCount()) {
      throw r.corrupt("span count " + count + " differs from the header's " + header.spanCount());
    }
    long[] ids = new long[count];
    ArrayList<Span> spans = new ArrayList<>(count);
    Span.Builder b = Span.newBuilder();
    long seenMinStart = Long.MAX_VALUE;
    long seenMaxEnd = Long.MIN_VALUE;
    long previousStart = minStart;
    for (int i = 0; i < count; i++) {
      int at = r.position();
      Span s = readSpan(b.clear().traceId(traceId), ids, i, previousStart, origins, at);
      previousStart = s.startEpochNanos();
      ids[i] = s.spanId();
      spans.add(s);
      seenMinStart = Math.min(seenMinStart, s.startEpochNanos());
      seenMaxEnd = Math.max(seenMaxEnd, ChunkEncoder.endOf(s));
    }
    if (r.remaining() != 0) throw r.corrupt(r.remaining() + " trailing bytes after the last span");
    if (seenMinStart != minStart || seenMaxEnd != header.maxEndEpochNanos()) {
      throw r.corrupt(
          "spans cover [" + seenMinStart + ", " + seenMaxEnd + "] but the header says ["
              + minStart + ", " + header.maxEndEpochNanos() + "]");
    }
    return spans;
  }

  private void readStrings() {
    int n = r.readCount("string count", 1);
    strings = new String[n];
    stringValues = new TagValue[n];
    byte[] buf = r.array();
    for (int i = 0; i < n; i++) {
      int at = r.position();
      int entry = r.readVarInt("string entry");
      if ((entry & 1) != 0) {
        int known = entry >>> 1;
        if (known >= WellKnownStrings.V1_SIZE) {
          throw CorruptChunkException.inBody(
              "unknown well-known string " + known + " (format 1 knows " + WellKnownStrings.V1_SIZE
                  + ")",
              at);
        }
        strings[i] = WELL_KNOWN[known];
      } else {
        int len = entry >>> 1;
        if (len > r.remaining()) {
          throw CorruptChunkException.inBody(
              "string length " + len + " cannot fit in the " + r.remaining() + " bytes left", at);
        }
        strings[i] = new String(buf, r.skip(len, "string"), len, StandardCharsets.UTF_8);
      }
    }
  }

  private List<List<Tag>> readResources() {
    int n = r.readCount("resource count", 1);
    List<List<Tag>> resources = new ArrayList<>(n);
    for (int i = 0; i < n; i++) resources.add(readTags("resource"));
    return resources;
  }

  private Origin[] readOrigins(List<List<Tag>> resources) {
    int n = r.readCount("origin count", MIN_ORIGIN_BYTES);
    Origin[] origins = new Origin[n];
    for (int i = 0; i < n; i++) {
      String name = string("scope name");
      String version = string("scope version");
      int at = r.position();
      int resource = r.readVarInt("resource reference");
      if (resource >= resources.size()) {
        throw CorruptChunkException.inBody(
            "resource reference " + resource + " of " + resources.size(), at);
      }
      origins[i] = new Origin(name, version, resources.get(resource));
    }
    return origins;
  }

  private String string(String what) {
    int at = r.position();
    int ref = r.readVarInt(what);
    if (ref >= strings.length) {
      throw CorruptChunkException.inBody(
          what + " refers to string " + ref + " of " + strings.length, at);
    }
    return strings[ref];
  }

  private Span readSpan(
      Span.Builder b, long[] ids, int index, long previousStart, Origin[] origins, int spanOffset) {
    long spanId = r.readLongBE("span id");
    b.spanId(spanId);
    int at = r.position();
    int parentRef = r.readVarInt("parent reference");
    if (parentRef == P_EXPLICIT) {
      b.parentSpanId(r.readLongBE("parent id"));
    } else if (parentRef >= P_INDEX_BASE) {
      int p = parentRef - P_INDEX_BASE;
      if (p >= index) {
        throw CorruptChunkException.inBody(
            "parent reference " + p + " is not an earlier span (this is span " + index + ")", at);
      }
      b.parentSpanId(ids[p]);
    }
    at = r.position();
    int flags = r.readVarInt("span flags");
    int kind = flags & F_KIND_MASK;
    int status = (flags >>> F_STATUS_SHIFT) & F_STATUS_MASK;
    if ((flags & ~F_KNOWN) != 0 || kind >= KINDS || status >= STATUSES) {
      throw CorruptChunkException.inBody("invalid span flags 0x" + Integer.toHexString(flags), at);
    }
    b.kind(SpanKind.ofOrdinal(kind));
    b.name(string("span name"));
    b.service(string("service name"));
    at = r.position();
    long start = previousStart + r.readVarLong("start delta");
    if (start < previousStart) throw CorruptChunkException.inBody("start delta overflows", at);
    b.startEpochNanos(start);
    at = r.position();
    long duration = r.readVarLong("duration");
    if (duration < 0) throw CorruptChunkException.inBody("negative duration " + duration, at);
    b.durationNanos(duration);
    at = r.position();
    int originRef = r.readVarInt("origin reference");
    if (originRef >= origins.length) {
      throw CorruptChunkException.inBody(
          "origin reference " + originRef + " of " + origins.length, at);
    }
    Origin origin = origins[originRef];
    b.scope(origin.scopeName, origin.scopeVersion);
    b.resource(origin.resource);
    if ((flags & F_REMOTE_SERVICE) != 0) b.remoteService(string("remote service"));
    String message = (flags & F_STATUS_MESSAGE) != 0 ? string("status message") : "";
    b.status(StatusCode.ofOrdinal(status), message);
    int tagCount = r.readCount("tag count", MIN_TAG_BYTES);
    for (int i = 0; i < tagCount; i++) b.addTag(readTag());
    if ((flags & F_LOGS) != 0) {
      int n = r.readCount("log count", MIN_LOG_BYTES);
      for (int i = 0; i < n; i++) {
        long time = start + r.readZigZag("log time");
        b.addLog(new SpanLog(time, string("log name"), readTags("log field")));
      }
    }
    if ((flags & F_LINKS) != 0) {
      int n = r.readCount("link count", MIN_LINK_BYTES);
      for (int i = 0; i < n; i++) {
        long high = r.readLongBE("link trace id");
        long low = r.readLongBE("link trace id");
        long linkSpan = r.readLongBE("link span id");
        b.addLink(new SpanLink(new TraceId(high, low), linkSpan, readTags("link tag")));
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CorruptChunkException(
          "corrupt chunk: invalid span (" + e.getMessage() + ") at body offset " + spanOffset, e);
    }
  }

  private List<Tag> readTags(String what) {
    int n = r.readCount(what + " count", MIN_TAG_BYTES);
    if (n == 0) return List.of();
    ArrayList<Tag> tags = new ArrayList<>(n);
    for (int i = 0; i < n; i++) tags.add(readTag());
    return tags;
  }

  private Tag readTag() {
    int at = r.position();
    int keyAndType = r.readVarInt("tag key");
    int ref = keyAndType >>> TYPE_BITS;
    if (ref >= strings.length) {
      throw CorruptChunkException.inBody(
          "tag key refers to string " + ref + " of " + strings.length, at);
    }
    return new Tag(strings[ref], readValue(keyAndType & TYPE_MASK, 0, at));
  }

  private TagValue readValue(int type, int depth, int at) {
    switch (type) {
      case T_STRING:
        {
          int vat = r.position();
          int ref = r.readVarInt("tag value");
          if (ref >= strings.length) {
            throw CorruptChunkException.inBody(
                "tag value refers to string " + ref + " of " + strings.length, vat);
          }
          TagValue v = stringValues[ref];
          if (v == null) stringValues[ref] = v = TagValue.of(strings[ref]);
          return v;
        }
      case T_LONG:
        return TagValue.of(r.readZigZag("long tag value"));
      case T_DOUBLE:
        return TagValue.of(Double.longBitsToDouble(r.readLongBE("double tag value")));
      case T_FALSE:
        return TagValue.of(false);
      case T_TRUE:
        return TagValue.of(true);
      case T_ARRAY:
        {
          if (depth >= MAX_ARRAY_DEPTH) {
            throw CorruptChunkException.inBody(
                "tag arrays nest deeper than " + MAX_ARRAY_DEPTH + " levels", at);
          }
          int n = r.readCount("array length", 1);
          ArrayList<TagValue> values = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int eat = r.position();
            values.add(readValue(r.readByte("array element type"), depth + 1, eat));
          }
          return TagValue.of(values);
        }
      default:
        throw CorruptChunkException.inBody("unknown tag value type " + type, at);
    }
  }
}
