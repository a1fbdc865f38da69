package tracestore.storage.codec;

import static tracestore.storage.codec.ChunkFormat.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * Parses one decompressed body of format version 2 or 3 (the same body; in format 3 a well-known
 * entry past the well-known strings names a string of the chunk's dictionary); one instance per
 * decode call. The mirror of
 * the encoder's pass 2: the prefix (trace id, min start, string table, counts, column lengths) is
 * read with one cursor, then spans are rebuilt row by row from one cursor per column.
 */
final class BodyDecoder {
  private static final String[] COLUMN_NAMES = {
    "ids", "parents", "shapes", "starts", "durations", "keys", "strings", "numbers", "events"
  };
  private static final int KINDS = SpanKind.values().length;
  private static final int STATUSES = StatusCode.values().length;
  /** A log is at least its time delta, name and field count. */
  private static final int MIN_LOG_BYTES = 3;
  /** A link is at least its trace id, span id and tag count. */
  private static final int MIN_LINK_BYTES = 25;
  /** An origin is at least its scope name, scope version and resource reference. */
  private static final int MIN_ORIGIN_BYTES = 3;
  private static final String[] WELL_KNOWN = WellKnownStrings.TABLE;

  private final byte[] body;
  private final BodyReader r;
  private final ChunkHeader header;
  private final TraceId expected;
  /** Format 3: entries past the well-known strings name these. */
  private final String[] dictionary;
  private final BodyReader[] columns = new BodyReader[COLUMNS];
  private String[] strings;
  private TagValue[] stringValues;
  /**
   * How many more tags layouts may still make: at most one per body byte. A layout tag can cost no
   * body byte (booleans, repeated values), so without this a small hostile body could name a
   * layout of thousands of tags from thousands of spans and expand into billions of tags.
   */
  private long tagBudget;

  private record Origin(String scopeName, String scopeVersion, List<Tag> resource) {}

  /**
   * The keys and value types of a span's tags, shared by the spans with the same layout. It also
   * remembers the last string tag made at each position: spans of one layout mostly repeat values
   * (method, system, port...), and reusing the {@link Tag} saves an allocation per such tag.
   */
  private static final class Layout {
    final String[] keys;
    final int[] types;
    final int[] lastRef;
    /** The tags of the last span decoded with this layout (booleans: preset). */
    final Tag[] lastTag;
    boolean used;

    Layout(String[] keys, int[] types) {
      this.keys = keys;
      this.types = types;
      this.lastRef = new int[keys.length];
      Arrays.fill(lastRef, -1);
      this.lastTag = new Tag[keys.length];
      for (int i = 0; i < keys.length; i++) {
        if (types[i] == T_TRUE) lastTag[i] = new Tag(keys[i], TagValue.of(true));
        else if (types[i] == T_FALSE) lastTag[i] = new Tag(keys[i], TagValue.of(false));
      }
    }
  }

  /**
   * @param expected the trace id the chunk must hold, or null for any
   * @param dictionary the strings of the chunk's dictionary (format 3), empty for none
   */
  BodyDecoder(byte[] body, ChunkHeader header, TraceId expected, String[] dictionary) {
    this.body = body;
    this.dictionary = dictionary;
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
    long minStart = header.minStartEpochNanos(); // format 2 keeps it in the header only
    readStrings();
    int resourceCount = r.readCount("resource count", 1);
    int originCount = r.readCount("origin count", MIN_ORIGIN_BYTES);
    int layoutCount = r.readCount("layout count", MIN_LAYOUT_BYTES);
    int count = r.readCount("span count", MIN_SPAN_BYTES);
    if (count != header.spanCount()) {
      throw r.corrupt("span count " + count + " differs from the header's " + header.spanCount());
    }
    tagBudget = body.length;
    openColumns();
    BodyReader keys = columns[C_KEYS];
    BodyReader values = columns[C_STRINGS];
    BodyReader numbers = columns[C_NUMBERS];
    Layout[] layouts = readLayouts(keys, layoutCount);
    List<List<Tag>> resources = new ArrayList<>(resourceCount);
    for (int i = 0; i < resourceCount; i++) {
      Layout layout = layout(keys, layouts);
      long repeats = readRepeats(keys, layout);
      int n = spend(layout, keys);
      if (n == 0) {
        resources.add(List.of());
        continue;
      }
      ArrayList<Tag> tags = new ArrayList<>(n);
      for (int t = 0; t < n; t++) tags.add(layoutTag(layout, t, repeats, keys, values, numbers));
      resources.add(tags);
    }
    Origin[] origins = readOrigins(resources, originCount);

    long[] ids = new long[count];
    ArrayList<Span> spans = new ArrayList<>(count);
    Span.Builder b = Span.newBuilder();
    long seenMinStart = Long.MAX_VALUE;
    long seenMaxEnd = Long.MIN_VALUE;
    long previousStart = minStart;
    for (int i = 0; i < count; i++) {
      int at = columns[C_IDS].position();
      Span s = readSpan(b.clear().traceId(traceId), ids, i, previousStart, origins, layouts, at);
      previousStart = s.startEpochNanos();
      ids[i] = s.spanId();
      spans.add(s);
      seenMinStart = Math.min(seenMinStart, s.startEpochNanos());
      seenMaxEnd = Math.max(seenMaxEnd, ChunkEncoder.endOf(s));
    }
    for (int c = 0; c < COLUMNS; c++) {
      if (columns[c].remaining() != 0) {
        throw columns[c].corrupt(
            columns[c].remaining() + " trailing bytes in the " + COLUMN_NAMES[c] + " column");
      }
    }
    if (seenMinStart != minStart || seenMaxEnd != header.maxEndEpochNanos()) {
      throw r.corrupt(
          "spans cover [" + seenMinStart + ", " + seenMaxEnd + "] but the header says ["
              + minStart + ", " + header.maxEndEpochNanos() + "]");
    }
    return spans;
  }

  /** Reads the padding and the lengths of all columns but the last, which runs to the padding. */
  private void openColumns() {
    int[] lengths = new int[COLUMNS];
    long sum = r.readVarInt("padding length");
    for (int c = 0; c < COLUMNS - 1; c++) {
      lengths[c] = r.readVarInt(COLUMN_NAMES[c] + " column length");
      sum += lengths[c];
    }
    if (sum > r.remaining()) {
      throw r.corrupt(
          "column lengths and padding add up to " + sum + " but only " + r.remaining()
              + " bytes are left");
    }
    lengths[COLUMNS - 1] = r.remaining() - (int) sum;
    int start = r.position();
    for (int c = 0; c < COLUMNS; c++) {
      columns[c] = new BodyReader(body, start, start + lengths[c]);
      start += lengths[c];
    }
    for (int i = start; i < body.length; i++) {
      if (body[i] != 0) throw CorruptChunkException.inBody("non-zero padding byte", i);
    }
  }

  private void readStrings() {
    int n = r.readCount("string count", 1);
    strings = new String[n];
    stringValues = new TagValue[n];
    byte[] previous = new byte[0];
    int previousLength = 0; // bytes of `previous` in use; 0 after a well-known or UUID entry
    for (int i = 0; i < n; i++) {
      int at = r.position();
      int entry = r.readVarInt("string entry");
      int arg = entry >>> S_KIND_BITS;
      switch (entry & S_KIND_MASK) {
        case S_KNOWN:
          if (arg < WELL_KNOWN.length) {
            strings[i] = WELL_KNOWN[arg];
          } else if (arg - WELL_KNOWN.length < dictionary.length) {
            strings[i] = dictionary[arg - WELL_KNOWN.length];
          } else {
            throw CorruptChunkException.inBody(
                "unknown string " + arg + " (" + WELL_KNOWN.length + " well-known strings and "
                    + dictionary.length + " in the chunk's dictionary)", at);
          }
          previousLength = 0;
          break;
        case S_UUID:
          if (arg != 0) throw CorruptChunkException.inBody("invalid UUID entry " + entry, at);
          strings[i] = Uuids.format(r.readLongBE("UUID"), r.readLongBE("UUID"));
          previousLength = 0;
          break;
        case S_LITERAL:
          {
            int from = r.skip(checkedLength(arg, at), "string");
            strings[i] = new String(body, from, arg, StandardCharsets.UTF_8);
            if (previous.length < arg) previous = new byte[Math.max(arg, previous.length * 2)];
            System.arraycopy(body, from, previous, 0, arg);
            previousLength = arg;
            break;
          }
        default: // S_PREFIXED
          {
            int sharedAt = r.position();
            int shared = r.readVarInt("shared prefix length");
            if (shared < 3 || shared > previousLength) {
              throw CorruptChunkException.inBody(
                  "shared prefix of " + shared + " bytes, but the previous entry has "
                      + previousLength, sharedAt);
            }
            int from = r.skip(checkedLength(arg, at), "string suffix");
            int length = shared + arg;
            if (previous.length < length) previous = Arrays.copyOf(previous, length * 2);
            System.arraycopy(body, from, previous, shared, arg);
            strings[i] = new String(previous, 0, length, StandardCharsets.UTF_8);
            previousLength = length;
          }
      }
    }
  }

  private int checkedLength(int length, int at) {
    if (length > r.remaining()) {
      throw CorruptChunkException.inBody(
          "string length " + length + " cannot fit in the " + r.remaining() + " bytes left", at);
    }
    return length;
  }

  private Origin[] readOrigins(List<List<Tag>> resources, int n) {
    BodyReader c = columns[C_SHAPES];
    Origin[] origins = new Origin[n];
    for (int i = 0; i < n; i++) {
      String name = string(c, "scope name");
      String version = string(c, "scope version");
      int at = c.position();
      int resource = c.readVarInt("resource reference");
      if (resource >= resources.size()) {
        throw CorruptChunkException.inBody(
            "resource reference " + resource + " of " + resources.size(), at);
      }
      origins[i] = new Origin(name, version, resources.get(resource));
    }
    return origins;
  }

  /** Charges a layout's tags to the budget; returns how many. */
  private int spend(Layout layout, BodyReader c) {
    int n = layout.keys.length;
    tagBudget -= n;
    if (tagBudget < 0) {
      throw c.corrupt("the tag layouts make more tags than the body has bytes (" + body.length + ")");
    }
    return n;
  }

  private static Layout layout(BodyReader c, Layout[] layouts) {
    int at = c.position();
    int ref = c.readVarInt("layout reference");
    if (ref >= layouts.length) {
      throw CorruptChunkException.inBody("layout reference " + ref + " of " + layouts.length, at);
    }
    return layouts[ref];
  }

  /** A repeat mask: bit i set = tag i repeats the previous span's (or resource's) of the layout. */
  private static long readRepeats(BodyReader c, Layout layout) {
    int at = c.position();
    long repeats = c.readVarLong("repeat mask");
    int tagCount = layout.keys.length;
    if (repeats != 0
        && (!layout.used
            || repeats < 0
            || (tagCount < MAX_REPEAT_BITS && (repeats >>> tagCount) != 0))) {
      throw CorruptChunkException.inBody(
          "repeat mask 0x" + Long.toHexString(repeats) + " for a layout of " + tagCount
              + " tags" + (layout.used ? "" : " used for the first time"), at);
    }
    layout.used = true;
    return repeats;
  }

  /** Tag {@code i} of a layout: repeated, or read from the column of its type. */
  private Tag layoutTag(
      Layout layout, int i, long repeats, BodyReader keys, BodyReader values, BodyReader numbers) {
    if (i < MAX_REPEAT_BITS && (repeats & (1L << i)) != 0) return layout.lastTag[i];
    int type = layout.types[i];
    if (type == T_STRING) {
      int ref = stringRef(values, "tag value");
      if (ref != layout.lastRef[i]) {
        layout.lastRef[i] = ref;
        layout.lastTag[i] = new Tag(layout.keys[i], stringValue(ref));
      }
      return layout.lastTag[i];
    }
    if (type == T_TRUE || type == T_FALSE) return layout.lastTag[i];
    int at = keys.position();
    Tag tag = new Tag(layout.keys[i], readValue(keys, values, numbers, type, 0, at));
    layout.lastTag[i] = tag;
    return tag;
  }

  private int stringRef(BodyReader c, String what) {
    int at = c.position();
    int ref = c.readVarInt(what);
    if (ref >= strings.length) {
      throw CorruptChunkException.inBody(
          what + " refers to string " + ref + " of " + strings.length, at);
    }
    return ref;
  }

  /** One {@link TagValue} per string of the chunk, made when first needed. */
  private TagValue stringValue(int ref) {
    TagValue v = stringValues[ref];
    if (v == null) stringValues[ref] = v = TagValue.of(strings[ref]);
    return v;
  }

  private Layout[] readLayouts(BodyReader keys, int n) {
    Layout[] layouts = new Layout[n];
    for (int i = 0; i < n; i++) {
      int tags = keys.readCount("layout tag count", MIN_TAG_BYTES);
      String[] names = new String[tags];
      int[] types = new int[tags];
      for (int t = 0; t < tags; t++) {
        int at = keys.position();
        int keyAndType = keys.readVarInt("layout key");
        int ref = keyAndType >>> TYPE_BITS;
        if (ref >= strings.length) {
          throw CorruptChunkException.inBody(
              "layout key refers to string " + ref + " of " + strings.length, at);
        }
        int type = keyAndType & TYPE_MASK;
        if (type > T_ARRAY) throw CorruptChunkException.inBody("unknown tag value type " + type, at);
        names[t] = strings[ref];
        types[t] = type;
      }
      layouts[i] = new Layout(names, types);
    }
    return layouts;
  }

  private String string(BodyReader c, String what) {
    int at = c.position();
    int ref = c.readVarInt(what);
    if (ref >= strings.length) {
      throw CorruptChunkException.inBody(
          what + " refers to string " + ref + " of " + strings.length, at);
    }
    return strings[ref];
  }

  private Span readSpan(
      Span.Builder b,
      long[] ids,
      int index,
      long previousStart,
      Origin[] origins,
      Layout[] layouts,
      int spanOffset) {
    b.spanId(columns[C_IDS].readLongBE("span id"));
    BodyReader parents = columns[C_PARENTS];
    int at = parents.position();
    int parentRef = parents.readVarInt("parent reference");
    if (parentRef == P_EXPLICIT) {
      b.parentSpanId(parents.readLongBE("parent id"));
    } else if (parentRef >= P_INDEX_BASE) {
      int p = parentRef - P_INDEX_BASE;
      if (p >= index) {
        throw CorruptChunkException.inBody(
            "parent reference " + p + " is not an earlier span (this is span " + index + ")", at);
      }
      b.parentSpanId(ids[p]);
    }
    BodyReader shape = columns[C_SHAPES];
    at = shape.position();
    int flags = shape.readVarInt("span flags");
    int kind = flags & F_KIND_MASK;
    int status = (flags >>> F_STATUS_SHIFT) & F_STATUS_MASK;
    if ((flags & ~F_KNOWN) != 0 || kind >= KINDS || status >= STATUSES) {
      throw CorruptChunkException.inBody("invalid span flags 0x" + Integer.toHexString(flags), at);
    }
    b.kind(SpanKind.ofOrdinal(kind));
    b.name(string(shape, "span name"));
    b.service(string(shape, "service name"));
    at = shape.position();
    int originRef = shape.readVarInt("origin reference");
    if (originRef >= origins.length) {
      throw CorruptChunkException.inBody(
          "origin reference " + originRef + " of " + origins.length, at);
    }
    Origin origin = origins[originRef];
    b.scope(origin.scopeName, origin.scopeVersion);
    b.resource(origin.resource);
    Layout layout = layout(shape, layouts);
    long repeats = readRepeats(shape, layout);
    spend(layout, shape);
    if ((flags & F_REMOTE_SERVICE) != 0) b.remoteService(string(shape, "remote service"));
    String message = (flags & F_STATUS_MESSAGE) != 0 ? string(shape, "status message") : "";
    b.status(StatusCode.ofOrdinal(status), message);

    BodyReader starts = columns[C_STARTS];
    at = starts.position();
    long start = previousStart + starts.readVarLong("start delta");
    if (start < previousStart) throw CorruptChunkException.inBody("start delta overflows", at);
    b.startEpochNanos(start);
    BodyReader durations = columns[C_DURATIONS];
    at = durations.position();
    long duration = durations.readVarLong("duration");
    if (duration < 0) throw CorruptChunkException.inBody("negative duration " + duration, at);
    b.durationNanos(duration);

    BodyReader keys = columns[C_KEYS];
    BodyReader values = columns[C_STRINGS];
    BodyReader numbers = columns[C_NUMBERS];
    for (int i = 0, n = layout.keys.length; i < n; i++) {
      b.addTag(layoutTag(layout, i, repeats, keys, values, numbers));
    }

    BodyReader events = columns[C_EVENTS];
    if ((flags & F_LOGS) != 0) {
      int n = events.readCount("log count", MIN_LOG_BYTES);
      for (int i = 0; i < n; i++) {
        long time = start + events.readZigZag("log time");
        String name = string(events, "log name");
        b.addLog(new SpanLog(time, name, readTags(events, events, events, "log field")));
      }
    }
    if ((flags & F_LINKS) != 0) {
      int n = events.readCount("link count", MIN_LINK_BYTES);
      for (int i = 0; i < n; i++) {
        long high = events.readLongBE("link trace id");
        long low = events.readLongBE("link trace id");
        long linkSpan = events.readLongBE("link span id");
        b.addLink(
            new SpanLink(
                new TraceId(high, low), linkSpan, readTags(events, events, events, "link tag")));
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CorruptChunkException(
          "corrupt chunk: invalid span (" + e.getMessage() + ") at body offset " + spanOffset, e);
    }
  }

  private List<Tag> readTags(BodyReader keys, BodyReader values, BodyReader numbers, String what) {
    int n = keys.readCount(what + " count", MIN_TAG_BYTES);
    if (n == 0) return List.of();
    ArrayList<Tag> tags = new ArrayList<>(n);
    for (int i = 0; i < n; i++) tags.add(readTag(keys, values, numbers));
    return tags;
  }

  private Tag readTag(BodyReader keys, BodyReader values, BodyReader numbers) {
    int at = keys.position();
    int keyAndType = keys.readVarInt("tag key");
    int ref = keyAndType >>> TYPE_BITS;
    if (ref >= strings.length) {
      throw CorruptChunkException.inBody(
          "tag key refers to string " + ref + " of " + strings.length, at);
    }
    return new Tag(strings[ref], readValue(keys, values, numbers, keyAndType & TYPE_MASK, 0, at));
  }

  private TagValue readValue(
      BodyReader keys, BodyReader values, BodyReader numbers, int type, int depth, int at) {
    switch (type) {
      case T_STRING:
        return stringValue(stringRef(values, "tag value"));
      case T_LONG:
        return TagValue.of(numbers.readZigZag("long tag value"));
      case T_DOUBLE:
        return TagValue.of(Double.longBitsToDouble(numbers.readLongBE("double tag value")));
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
          int n = keys.readCount("array length", 1);
          ArrayList<TagValue> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int eat = keys.position();
            list.add(
                readValue(keys, values, numbers, keys.readByte("array element type"), depth + 1, eat));
          }
          return TagValue.of(list);
        }
      default:
        throw CorruptChunkException.inBody("unknown tag value type " + type, at);
    }
  }
}
