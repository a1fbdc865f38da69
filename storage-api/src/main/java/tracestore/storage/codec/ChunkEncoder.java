package tracestore.storage.codec;

import static tracestore.storage.codec.ChunkFormat.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHash64;
import tracestore.storage.Chunk;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * Encodes the spans of one trace into one stored {@link Chunk}: a 38-byte header (46 in format 3,
 * which names a {@link StringDictionary}), then one LZ4 block holding a compact binary body (layout
 * in {@code storage-api/RATIONALE.md}).
 *
 * <p><b>Determinism.</b> Spans are sorted canonically (start time, then span id unsigned, then
 * parent, duration, name, service) before encoding, so the same set of spans gives the same body
 * and the same {@link Chunk#chunkId()} whatever order a batch or its replay delivers them in. The
 * chunk id is the XXHash64 of the uncompressed body (not of the payload: another LZ4 implementation
 * may compress the same body to other bytes). {@link ChunkDecoder#decode} returns spans in
 * that canonical order.
 *
 * <p><b>Strings</b> are stored as UTF-8. A string holding an unpaired surrogate (not valid Unicode,
 * which no wire format we accept can carry except JSON {@code \\u} escapes) has each unpaired
 * surrogate replaced by U+FFFD; every well-formed string round-trips exactly.
 *
 * <p><b>Not thread-safe.</b> Use one encoder per batch worker: it reuses one body buffer, bounded
 * by 64 MiB per chunk, and shrinks it back after an unusually large chunk.
 */
public final class ChunkEncoder {
  private static final int INITIAL_BYTES = 16 << 10;
  private static final int RETAIN_BYTES = 1 << 20;
  private static final int RETAIN_ENTRIES = 4096;
  private static final int COLUMN_BYTES = 2 << 10;
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] UUID_SORT_KEY = new byte[0];
  /** A shorter shared prefix costs as much as it saves. */
  private static final int MIN_SHARED_PREFIX = 3;

  /** The canonical span order; the final tie-break on hashCode only matters for near-twins. */
  static final Comparator<Span> CANONICAL =
      (a, b) -> {
        int c = Long.compare(a.startEpochNanos(), b.startEpochNanos());
        if (c != 0) return c;
        c = Long.compareUnsigned(a.spanId(), b.spanId());
        if (c != 0) return c;
        c = Long.compareUnsigned(a.parentSpanId(), b.parentSpanId());
        if (c != 0) return c;
        c = Long.compare(a.durationNanos(), b.durationNanos());
        if (c != 0) return c;
        c = a.name().compareTo(b.name());
        if (c != 0) return c;
        c = a.service().compareTo(b.service());
        if (c != 0) return c;
        return Integer.compare(a.hashCode(), b.hashCode());
      };

  private static final int WELL_KNOWN_COUNT = WellKnownStrings.TABLE.length;

  private final BodyWriter body = new BodyWriter(INITIAL_BYTES, RETAIN_BYTES);
  /** The dictionary of the chunk being encoded, or null. */
  private StringDictionary dictionary;
  /** The span columns of format 2, appended to {@link #body} once every span is written. */
  private final BodyWriter[] columns = new BodyWriter[COLUMNS];
  private final LZ4Compressor lz4 = ChunkFormat.compressor();
  private final XXHash32 hash32 = ChunkFormat.hash32();
  private final XXHash64 hash64 = ChunkFormat.hash64();
  private byte[] out = new byte[HEADER_LENGTH_V3 + INITIAL_BYTES];

  private HashMap<String, StringEntry> strings = new HashMap<>();
  private final ArrayList<StringEntry> stringOrder = new ArrayList<>();
  private HashMap<List<Tag>, Integer> resources = new HashMap<>();
  private final ArrayList<List<Tag>> resourceOrder = new ArrayList<>();
  private HashMap<Origin, Integer> origins = new HashMap<>();
  private final ArrayList<Origin> originOrder = new ArrayList<>();
  private final LongIntMap spanIndex = new LongIntMap(64);
  /** Tag layouts: each distinct list of (key << 3 | type) of the spans' tags, by first use. */
  private HashMap<IntsKey, Integer> layouts = new HashMap<>();
  private final ArrayList<int[]> layoutOrder = new ArrayList<>();
  /** Per layout: the tags of the last span written with it, or null. */
  private final ArrayList<List<Tag>> layoutLast = new ArrayList<>();
  /** The layout index of each span, and of each resource. */
  private int[] spanLayouts = new int[64];
  private int[] resourceLayouts = new int[64];
  /** Scratch for {@link #orderStrings()}. */
  private int[] countBuckets = new int[64];
  private StringEntry[] sortedStrings = new StringEntry[64];
  /** The origin index of each span, found in pass 1 and used in pass 2. */
  private int[] spanOrigins = new int[64];
  /** Spans usually share their resource list instance, so one identity check saves the hashing. */
  private List<Tag> lastResource;
  private int lastResourceIndex;
  /** Likewise for the origin: compared by identity first, then looked up by value. */
  private Origin lastOrigin;
  private int lastOriginIndex;

  /** By UTF-8 bytes, unsigned: the order front coding works in, and a vectorized comparison. */
  private static final Comparator<StringEntry> BY_UTF8 =
      (a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8);

  /** A distinct string of the chunk: how often it is referenced, and its final table index. */
  private static final class StringEntry {
    final String value;
    /** Its {@link WellKnownStrings} index, or -1. */
    final int known;
    /** Its UTF-8 bytes, set by {@link #orderStrings()} when it is not well-known. */
    byte[] utf8;
    int count;
    int index;

    StringEntry(String value, int known) {
      this.value = value;
      this.known = known;
    }
  }

  /** An int[] compared by content, as a hash key. */
  private record IntsKey(int[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof IntsKey k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  /** Where spans come from: instrumentation scope and an index into the resource table. */
  private record Origin(String scopeName, String scopeVersion, int resource) {}

  public ChunkEncoder() {
    for (int c = 0; c < COLUMNS; c++) columns[c] = new BodyWriter(COLUMN_BYTES, RETAIN_BYTES);
  }

  /**
   * Encodes {@code spans}, all of trace {@code traceId}, into one chunk.
   *
   * @throws IllegalArgumentException when {@code spans} is empty, a span belongs to another trace, a
   *     tag array nests deeper than 16 levels, or the body would exceed 64 MiB (split the spans)
   */
  public Chunk encode(TraceId traceId, List<Span> spans) {
    return encode(traceId, spans, null);
  }

  /**
   * Like {@link #encode(TraceId, List)}, and the strings of {@code spans} found in {@code
   * dictionary} are stored as its indexes (format 3): the chunk then decodes only where that
   * dictionary is stored, so the batch that carries the chunk must carry {@link
   * StringDictionary#stored()} too. A null {@code dictionary} writes format 2, as the two-argument
   * method does.
   */
  public Chunk encode(TraceId traceId, List<Span> spans, StringDictionary dictionary) {
    Objects.requireNonNull(traceId, "traceId == null");
    Objects.requireNonNull(spans, "spans == null");
    if (spans.isEmpty()) throw new IllegalArgumentException("no spans to encode for trace " + traceId);
    Span[] sorted = spans.toArray(new Span[0]);
    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    for (Span s : sorted) {
      Objects.requireNonNull(s, "span == null");
      if (!s.traceId().equals(traceId)) {
        throw new IllegalArgumentException(
            "span " + s + " belongs to trace " + s.traceId() + ", not to " + traceId);
      }
      minStart = Math.min(minStart, s.startEpochNanos());
      maxEnd = Math.max(maxEnd, endOf(s));
    }
    Arrays.sort(sorted, CANONICAL);
    this.dictionary = dictionary;
    try {
      if (spanOrigins.length < sorted.length) spanOrigins = new int[sorted.length];
      for (int i = 0; i < sorted.length; i++) collect(sorted[i], i);
      orderStrings();
      writeBody(traceId, minStart, sorted);
      return compress(traceId, minStart, maxEnd, sorted.length);
    } finally {
      reset();
    }
  }

  /** The span's end; saturated at {@link Long#MAX_VALUE} defensively (the model rejects overflow). */
  static long endOf(Span s) {
    long end = s.startEpochNanos() + s.durationNanos();
    return end < 0 ? Long.MAX_VALUE : end;
  }

  private void reset() {
    dictionary = null;
    body.reset();
    for (BodyWriter c : columns) c.reset();
    if (out.length > RETAIN_BYTES) out = new byte[HEADER_LENGTH_V3 + INITIAL_BYTES];
    if (strings.size() > RETAIN_ENTRIES) strings = new HashMap<>();
    else strings.clear();
    if (origins.size() > RETAIN_ENTRIES) origins = new HashMap<>();
    else origins.clear();
    if (resources.size() > RETAIN_ENTRIES) resources = new HashMap<>();
    else resources.clear();
    boolean large = stringOrder.size() > RETAIN_ENTRIES || originOrder.size() > RETAIN_ENTRIES
        || resourceOrder.size() > RETAIN_ENTRIES;
    stringOrder.clear();
    originOrder.clear();
    resourceOrder.clear();
    if (large) {
      stringOrder.trimToSize();
      originOrder.trimToSize();
      resourceOrder.trimToSize();
    }
    if (spanOrigins.length > RETAIN_ENTRIES) spanOrigins = new int[64];
    if (spanLayouts.length > RETAIN_ENTRIES) spanLayouts = new int[64];
    if (resourceLayouts.length > RETAIN_ENTRIES) resourceLayouts = new int[64];
    if (layouts.size() > RETAIN_ENTRIES) layouts = new HashMap<>();
    else layouts.clear();
    layoutOrder.clear();
    layoutLast.clear();
    if (large) {
      layoutOrder.trimToSize();
      layoutLast.trimToSize();
    }
    lastResource = null;
    lastOrigin = null;
    spanIndex.clear(1024);
  }

  // ---- pass 1: count strings and origins

  /** Its well-known index, or past those its dictionary index, or -1. */
  private int knownIndex(String s) {
    int k = WellKnownStrings.indexOf(s);
    if (k < 0 && dictionary != null) {
      int d = dictionary.indexOf(s);
      if (d >= 0) k = WELL_KNOWN_COUNT + d;
    }
    return k;
  }

  private void intern(String s) {
    StringEntry e = strings.get(s);
    if (e == null) {
      e = new StringEntry(s, knownIndex(s));
      strings.put(s, e);
      stringOrder.add(e);
    }
    e.count++;
  }

  private void collect(Span s, int index) {
    intern(s.name());
    intern(s.service());
    if (!s.remoteService().isEmpty()) intern(s.remoteService());
    if (!s.statusMessage().isEmpty()) intern(s.statusMessage());
    List<Tag> resource = s.resource();
    if (resource != lastResource) {
      Integer r = resources.get(resource);
      if (r == null) {
        r = resourceOrder.size();
        resources.put(resource, r);
        resourceOrder.add(resource);
        collectTags(resource);
      }
      lastResource = resource;
      lastResourceIndex = r;
    }
    if (lastOrigin == null
        || lastOrigin.scopeName != s.scopeName()
        || lastOrigin.scopeVersion != s.scopeVersion()
        || lastOrigin.resource != lastResourceIndex) {
      Origin o = new Origin(s.scopeName(), s.scopeVersion(), lastResourceIndex);
      Integer originIndex = origins.get(o);
      if (originIndex == null) {
        originIndex = originOrder.size();
        origins.put(o, originIndex);
        originOrder.add(o);
        intern(o.scopeName);
        intern(o.scopeVersion);
      }
      lastOrigin = o;
      lastOriginIndex = originIndex;
    }
    spanOrigins[index] = lastOriginIndex;
    collectTags(s.tags());
    for (SpanLog log : s.logs()) {
      intern(log.name());
      collectTags(log.fields());
    }
    for (SpanLink link : s.links()) collectTags(link.tags());
  }

  private void collectTags(List<Tag> tags) {
    for (int i = 0, n = tags.size(); i < n; i++) {
      Tag t = tags.get(i);
      intern(t.key());
      collectValue(t.value(), 0);
    }
  }

  private void collectValue(TagValue v, int depth) {
    if (v instanceof TagValue.Str str) {
      intern(str.value());
    } else if (v instanceof TagValue.Arr arr) {
      if (depth >= MAX_ARRAY_DEPTH) {
        throw new IllegalArgumentException(
            "tag value arrays nest deeper than " + MAX_ARRAY_DEPTH + " levels");
      }
      for (TagValue e : arr.values()) collectValue(e, depth + 1);
    }
  }

  /**
   * Well-known strings first, most referenced first (ties by first use): a stable counting sort
   * on the use count, in linear time. Then the other strings, sorted by value.
   */
  private void orderStrings() {
    int n = stringOrder.size();
    int maxCount = 0;
    for (int i = 0; i < n; i++) maxCount = Math.max(maxCount, stringOrder.get(i).count);
    int[] start = countBuckets.length > maxCount + 1 ? countBuckets : new int[maxCount + 2];
    Arrays.fill(start, 0, maxCount + 2, 0);
    for (int i = 0; i < n; i++) start[maxCount - stringOrder.get(i).count + 1]++;
    for (int k = 1; k <= maxCount + 1; k++) start[k] += start[k - 1];
    for (int i = 0; i < n; i++) {
      StringEntry e = stringOrder.get(i);
      e.index = start[maxCount - e.count]++;
    }
    if (start.length <= RETAIN_ENTRIES) countBuckets = start;
    if (sortedStrings.length < n) sortedStrings = new StringEntry[Math.max(n, 64)];
    for (int i = 0; i < n; i++) {
      StringEntry e = stringOrder.get(i);
      sortedStrings[e.index] = e;
    }
    // Well-known strings first, most used first: they are the keys and common values, referenced
    // from every span, and cost one byte in the table. Then every other string sorted by value, so
    // that strings sharing a prefix (thread names, URLs, routes) sit next to each other and store
    // only what differs. Measured: about 4 bytes per span fewer than use-count order.
    int known = 0;
    for (int i = 0; i < n; i++) {
      StringEntry e = sortedStrings[i];
      if (e.known >= 0) sortedStrings[known++] = e;
      else stringOrder.set(i - known, e); // scratch: the others, in order
    }
    for (int i = known; i < n; i++) {
      StringEntry e = stringOrder.get(i - known);
      if (!Uuids.isCanonical(e.value)) e.utf8 = utf8(e.value);
      else e.utf8 = UUID_SORT_KEY; // UUIDs are stored packed: they sort first, share nothing
      sortedStrings[i] = e;
    }
    Arrays.sort(sortedStrings, known, n, BY_UTF8);
    for (int i = 0; i < n; i++) sortedStrings[i].index = i;
    for (int i = 0; i < n; i++) stringOrder.set(i, sortedStrings[i]);
    Arrays.fill(sortedStrings, 0, n, null);
    if (sortedStrings.length > RETAIN_ENTRIES) sortedStrings = new StringEntry[64];
  }

  // ---- pass 2: write the body

  private int ref(String s) {
    return strings.get(s).index;
  }

  private void writeBody(TraceId traceId, long minStart, Span[] spans) {
    BodyWriter w = body;
    w.writeLongBE(traceId.high());
    w.writeLongBE(traceId.low());
    // The min start is in the header (format 1 repeated it here); starts are deltas from it.

    w.writeVarInt(stringOrder.size());
    byte[] previous = EMPTY;
    for (int i = 0, n = stringOrder.size(); i < n; i++) {
      String value = stringOrder.get(i).value;
      int known = stringOrder.get(i).known;
      if (known >= 0) {
        w.writeVarInt((known << S_KIND_BITS) | S_KNOWN);
        previous = EMPTY;
      } else if (Uuids.isCanonical(value)) {
        w.writeVarInt(S_UUID);
        w.writeLongBE(Uuids.high(value));
        w.writeLongBE(Uuids.low(value));
        previous = EMPTY;
      } else {
        byte[] utf8 = stringOrder.get(i).utf8;
        int shared = Arrays.mismatch(previous, utf8);
        if (shared < 0) shared = utf8.length; // equal strings cannot occur; defensive
        shared = Math.min(shared, Math.min(previous.length, utf8.length));
        if (shared >= MIN_SHARED_PREFIX) {
          w.writeVarInt(((utf8.length - shared) << S_KIND_BITS) | S_PREFIXED);
          w.writeVarInt(shared);
          w.writeBytes(utf8, shared, utf8.length - shared);
        } else {
          w.writeVarInt((utf8.length << S_KIND_BITS) | S_LITERAL);
          w.writeBytes(utf8);
        }
        previous = utf8;
      }
    }

    collectLayouts(spans);
    w.writeVarInt(resourceOrder.size());
    w.writeVarInt(originOrder.size());
    w.writeVarInt(layoutOrder.size());
    w.writeVarInt(spans.length);
    // Layouts, resources and origins lead the columns, so they sit with the spans' like data.
    BodyWriter keys = columns[C_KEYS];
    for (int i = 0, n = layoutOrder.size(); i < n; i++) {
      int[] layout = layoutOrder.get(i);
      keys.writeVarInt(layout.length);
      for (int keyType : layout) keys.writeVarInt(keyType);
    }
    for (int i = 0, n = resourceOrder.size(); i < n; i++) {
      // A resource is a layout ref, a repeat mask and values, like a span's tags.
      List<Tag> tags = resourceOrder.get(i);
      int layout = resourceLayouts[i];
      long repeats = repeatMask(layoutLast.get(layout), tags);
      layoutLast.set(layout, tags);
      keys.writeVarInt(layout);
      keys.writeVarLong(repeats);
      writeValues(tags, repeats);
    }
    BodyWriter shapes = columns[C_SHAPES];
    for (int i = 0, n = originOrder.size(); i < n; i++) {
      Origin o = originOrder.get(i);
      shapes.writeVarInt(ref(o.scopeName));
      shapes.writeVarInt(ref(o.scopeVersion));
      shapes.writeVarInt(o.resource);
    }

    long previousStart = minStart;
    for (int i = 0; i < spans.length; i++) {
      writeSpan(spans[i], previousStart, spanOrigins[i], spanLayouts[i]);
      spanIndex.putIfAbsent(spans[i].spanId(), i);
      previousStart = spans[i].startEpochNanos();
    }
    // The decoder refuses to make more layout tags than the body has bytes (a tiny body must not
    // expand into millions of tags). Real spans are far below that; for absurd ones (thousands
    // of boolean or repeated tags per span) zero padding, which LZ4 shrinks to nothing, makes up
    // the difference.
    long unpadded = w.length() + 1;
    for (int c = 0; c < COLUMNS; c++) {
      unpadded += columns[c].length() + (c < COLUMNS - 1 ? varIntSize(columns[c].length()) : 0);
    }
    long padding = Math.max(0, layoutTags(spans.length) - unpadded);
    if (padding > MAX_UNCOMPRESSED) {
      throw new IllegalArgumentException("too many tags for one chunk; split the spans");
    }
    w.writeVarInt((int) padding);
    // The lengths of all columns but the last (which runs to the end), then the columns.
    for (int c = 0; c < COLUMNS - 1; c++) w.writeVarInt(columns[c].length());
    for (BodyWriter c : columns) w.writeBytes(c.array(), c.length());
    for (long i = 0; i < padding; i++) w.writeByte(0);
  }

  /** How many tags the decoder makes from layouts: every resource's and every span's. */
  private long layoutTags(int spanCount) {
    long n = 0;
    for (int i = 0, r = resourceOrder.size(); i < r; i++) n += layoutOrder.get(resourceLayouts[i]).length;
    for (int i = 0; i < spanCount; i++) n += layoutOrder.get(spanLayouts[i]).length;
    return n;
  }

  private static int varIntSize(int v) {
    return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
  }

  /**
   * Gives each span the index of its tag layout. Spans of one kind (every SQL call, every HTTP
   * client call) share a layout, so a span names its keys and types with one reference.
   */
  private void collectLayouts(Span[] spans) {
    int resources = resourceOrder.size();
    if (resourceLayouts.length < resources) resourceLayouts = new int[resources];
    for (int i = 0; i < resources; i++) resourceLayouts[i] = layoutOf(resourceOrder.get(i));
    if (spanLayouts.length < spans.length) spanLayouts = new int[spans.length];
    for (int i = 0; i < spans.length; i++) spanLayouts[i] = layoutOf(spans[i].tags());
  }

  private int layoutOf(List<Tag> tags) {
    int[] layout = new int[tags.size()];
    for (int t = 0; t < layout.length; t++) {
      Tag tag = tags.get(t);
      layout[t] = (ref(tag.key()) << TYPE_BITS) | typeOf(tag.value());
    }
    IntsKey k = new IntsKey(layout);
    Integer index = layouts.get(k);
    if (index == null) {
      index = layoutOrder.size();
      layouts.put(k, index);
      layoutOrder.add(layout);
      layoutLast.add(null);
    }
    return index;
  }

  /** The values of {@code tags} not marked in {@code repeats}, each in its type's column. */
  private void writeValues(List<Tag> tags, long repeats) {
    for (int i = 0, n = tags.size(); i < n; i++) {
      if (i < MAX_REPEAT_BITS && (repeats & (1L << i)) != 0) continue;
      TagValue v = tags.get(i).value();
      writeValuePayload(typeOf(v), v, columns[C_KEYS], columns[C_STRINGS], columns[C_NUMBERS]);
    }
  }

  /**
   * Bit i set: the value of tag i equals that of the previous span with the same layout, and is not
   * written again. Spans of one kind repeat the method, system, port, status... of the previous
   * one; one mask byte replaces those values. Booleans are never marked (their type is the value).
   */
  private static long repeatMask(List<Tag> previous, List<Tag> tags) {
    if (previous == null) return 0;
    long mask = 0;
    for (int i = 0, n = Math.min(tags.size(), MAX_REPEAT_BITS); i < n; i++) {
      TagValue v = tags.get(i).value();
      if (!(v instanceof TagValue.Bool) && v.equals(previous.get(i).value())) mask |= 1L << i;
    }
    return mask;
  }

  /** {@code previousStart}: the previous span's start in canonical order (the min start first). */
  private void writeSpan(Span s, long previousStart, int origin, int layout) {
    columns[C_IDS].writeLongBE(s.spanId());
    long parent = s.parentSpanId();
    BodyWriter p = columns[C_PARENTS];
    if (parent == 0) {
      p.writeVarInt(P_ROOT);
    } else {
      int idx = spanIndex.get(parent);
      if (idx >= 0) {
        p.writeVarInt(P_INDEX_BASE + idx);
      } else {
        p.writeVarInt(P_EXPLICIT);
        p.writeLongBE(parent);
      }
    }
    BodyWriter w = columns[C_SHAPES];
    int flags = s.kind().ordinal() | (s.statusCode().ordinal() << F_STATUS_SHIFT);
    if (!s.remoteService().isEmpty()) flags |= F_REMOTE_SERVICE;
    if (!s.statusMessage().isEmpty()) flags |= F_STATUS_MESSAGE;
    if (!s.logs().isEmpty()) flags |= F_LOGS;
    if (!s.links().isEmpty()) flags |= F_LINKS;
    w.writeVarInt(flags);
    w.writeVarInt(ref(s.name()));
    w.writeVarInt(ref(s.service()));
    w.writeVarInt(origin);
    w.writeVarInt(layout);
    List<Tag> tags = s.tags();
    long repeats = repeatMask(layoutLast.get(layout), tags);
    layoutLast.set(layout, tags);
    w.writeVarLong(repeats);
    if ((flags & F_REMOTE_SERVICE) != 0) w.writeVarInt(ref(s.remoteService()));
    if ((flags & F_STATUS_MESSAGE) != 0) w.writeVarInt(ref(s.statusMessage()));
    columns[C_STARTS].writeVarLong(s.startEpochNanos() - previousStart);
    columns[C_DURATIONS].writeVarLong(s.durationNanos());
    writeValues(tags, repeats);
    w = columns[C_EVENTS];
    if ((flags & F_LOGS) != 0) {
      List<SpanLog> logs = s.logs();
      w.writeVarInt(logs.size());
      for (int i = 0, n = logs.size(); i < n; i++) {
        SpanLog log = logs.get(i);
        w.writeZigZag(log.epochNanos() - s.startEpochNanos());
        w.writeVarInt(ref(log.name()));
        writeTags(log.fields(), w, w, w);
      }
    }
    if ((flags & F_LINKS) != 0) {
      List<SpanLink> links = s.links();
      w.writeVarInt(links.size());
      for (int i = 0, n = links.size(); i < n; i++) {
        SpanLink link = links.get(i);
        w.writeLongBE(link.traceId().high());
        w.writeLongBE(link.traceId().low());
        w.writeLongBE(link.spanId());
        writeTags(link.tags(), w, w, w);
      }
    }
  }

  /**
   * Tag count and keys (with types) go to {@code keys}, string values to {@code strings}, numbers
   * to {@code numbers}. Span tags use three columns; resources, logs and links one writer for all.
   */
  private void writeTags(List<Tag> tags, BodyWriter keys, BodyWriter strings, BodyWriter numbers) {
    keys.writeVarInt(tags.size());
    for (int i = 0, n = tags.size(); i < n; i++) {
      Tag t = tags.get(i);
      TagValue v = t.value();
      int type = typeOf(v);
      keys.writeVarInt((ref(t.key()) << TYPE_BITS) | type);
      writeValuePayload(type, v, keys, strings, numbers);
    }
  }

  private static int typeOf(TagValue v) {
    switch (v.type()) {
      case STRING:
        return T_STRING;
      case LONG:
        return T_LONG;
      case DOUBLE:
        return T_DOUBLE;
      case BOOL:
        return ((TagValue.Bool) v).value() ? T_TRUE : T_FALSE;
      case ARRAY:
        return T_ARRAY;
      default:
        throw new AssertionError(v.type());
    }
  }

  private void writeValuePayload(
      int type, TagValue v, BodyWriter keys, BodyWriter strings, BodyWriter numbers) {
    switch (type) {
      case T_STRING:
        strings.writeVarInt(ref(((TagValue.Str) v).value()));
        break;
      case T_LONG:
        numbers.writeZigZag(((TagValue.Int) v).value());
        break;
      case T_DOUBLE:
        numbers.writeLongBE(Double.doubleToRawLongBits(((TagValue.Dbl) v).value()));
        break;
      case T_ARRAY:
        List<TagValue> values = ((TagValue.Arr) v).values();
        keys.writeVarInt(values.size());
        for (int i = 0, n = values.size(); i < n; i++) {
          TagValue e = values.get(i);
          int t = typeOf(e);
          keys.writeByte(t);
          writeValuePayload(t, e, keys, strings, numbers);
        }
        break;
      default: // booleans live in the type alone
        break;
    }
  }

  /** UTF-8 bytes; unpaired surrogates become U+FFFD rather than the JDK's silent '?'. */
  static byte[] utf8(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) return sanitized(s).getBytes(StandardCharsets.UTF_8);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sanitized(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        b.append('\uFFFD');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  // ---- compress and frame

  private Chunk compress(TraceId traceId, long minStart, long maxEnd, int spanCount) {
    int len = body.length();
    int version = dictionary == null ? VERSION : VERSION_3;
    int headerLength = ChunkFormat.headerLength(version);
    int max = headerLength + lz4.maxCompressedLength(len);
    if (out.length < max) out = new byte[max];
    int clen = lz4.compress(body.array(), 0, len, out, headerLength, out.length - headerLength);
    byte[] p = out;
    INT.set(p, OFF_MAGIC, MAGIC);
    p[OFF_VERSION] = (byte) version;
    p[OFF_FLAGS] = 0;
    INT.set(p, OFF_SPAN_COUNT, spanCount);
    LONG.set(p, OFF_MIN_START, minStart);
    LONG.set(p, OFF_MAX_END, maxEnd);
    INT.set(p, OFF_UNCOMPRESSED, len);
    INT.set(p, OFF_COMPRESSED, clen);
    if (dictionary != null) LONG.set(p, OFF_DICTIONARY, dictionary.id());
    INT.set(p, headerLength - 4, ChunkFormat.checksum(hash32, p, version, clen));
    byte[] payload = Arrays.copyOf(p, headerLength + clen);
    // The body holds times relative to the min start, so the id covers the min start too.
    long chunkId = hash64.hash(body.array(), 0, len, CHUNK_ID_SEED ^ minStart);
    return new Chunk(traceId, chunkId, minStart, maxEnd, spanCount, payload);
  }
}
