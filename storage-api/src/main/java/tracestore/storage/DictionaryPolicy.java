package tracestore.storage;

import java.time.Duration;
import java.util.Objects;
import tracestore.storage.codec.StringDictionary;

/**
 * When and how {@link WriteBatches} trains the string dictionary its chunks reference (chunk format
 * 3, see {@link ChunkDictionary}). Immutable; {@link #defaults()} is on, {@link #off()} writes
 * format-2 chunks only.
 *
 * <p>The trainer samples one trace in {@link #sampleOneIn()} (chosen by trace id, so all chunks of a
 * trace are sampled or none), and counts in how many distinct sampled traces each string appears.
 * Only a string seen in at least {@link #minTraces()} distinct traces can enter a dictionary, so a
 * value private to one request (a user's id, a URL with an order number) never does. The first
 * dictionary is built once {@link #firstAfterSpans()} spans went through; then, every {@link
 * #rebuildInterval()} (and at least {@code firstAfterSpans} spans later), a new one is built from
 * the strings counted since the last build, and adopted only when it covers at least {@link
 * #minGain()} more of those strings' occurrences than the current one. Counting memory is bounded
 * by {@link #maxCandidates()} strings of at most {@link #maxStringBytes()} bytes.
 */
public final class DictionaryPolicy {
  private static final DictionaryPolicy DEFAULTS = newBuilder().build();
  private static final DictionaryPolicy OFF = newBuilder().enabled(false).build();

  private final boolean enabled;
  private final int minTraces;
  private final int maxStrings;
  private final int maxBytes;
  private final int maxStringBytes;
  private final long firstAfterSpans;
  private final Duration rebuildInterval;
  private final int sampleOneIn;
  private final int maxCandidates;
  private final double minGain;

  private DictionaryPolicy(Builder b) {
    this.enabled = b.enabled;
    this.minTraces = b.minTraces;
    this.maxStrings = b.maxStrings;
    this.maxBytes = b.maxBytes;
    this.maxStringBytes = b.maxStringBytes;
    this.firstAfterSpans = b.firstAfterSpans;
    this.rebuildInterval = b.rebuildInterval;
    this.sampleOneIn = b.sampleOneIn;
    this.maxCandidates = b.maxCandidates;
    this.minGain = b.minGain;
  }

  /** On: at least 5 traces, 8,192 strings, 256 KiB, first after 20,000 spans, rebuilt hourly. */
  public static DictionaryPolicy defaults() {
    return DEFAULTS;
  }

  /** No dictionary: every chunk is format 2, readable without any stored dictionary. */
  public static DictionaryPolicy off() {
    return OFF;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.minTraces = minTraces;
    b.maxStrings = maxStrings;
    b.maxBytes = maxBytes;
    b.maxStringBytes = maxStringBytes;
    b.firstAfterSpans = firstAfterSpans;
    b.rebuildInterval = rebuildInterval;
    b.sampleOneIn = sampleOneIn;
    b.maxCandidates = maxCandidates;
    b.minGain = minGain;
    return b;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The fewest distinct sampled traces a string must appear in to enter a dictionary. */
  public int minTraces() {
    return minTraces;
  }

  /** The most strings a dictionary holds. */
  public int maxStrings() {
    return maxStrings;
  }

  /** The most UTF-8 bytes a dictionary's strings add up to (before compression). */
  public int maxBytes() {
    return maxBytes;
  }

  /** Longer strings (UTF-8 bytes) are neither counted nor put in a dictionary. */
  public int maxStringBytes() {
    return maxStringBytes;
  }

  /** Spans to see before the first dictionary, and between two rebuilds. */
  public long firstAfterSpans() {
    return firstAfterSpans;
  }

  /** The least time between two rebuilds. */
  public Duration rebuildInterval() {
    return rebuildInterval;
  }

  /** One trace in this many is sampled for counting (1: every trace). */
  public int sampleOneIn() {
    return sampleOneIn;
  }

  /** The most distinct strings counted between two builds; later new strings are not counted. */
  public int maxCandidates() {
    return maxCandidates;
  }

  /** The share of counted occurrences a rebuilt dictionary must cover beyond the current one. */
  public double minGain() {
    return minGain;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DictionaryPolicy p
        && p.enabled == enabled
        && p.minTraces == minTraces
        && p.maxStrings == maxStrings
        && p.maxBytes == maxBytes
        && p.maxStringBytes == maxStringBytes
        && p.firstAfterSpans == firstAfterSpans
        && p.rebuildInterval.equals(rebuildInterval)
        && p.sampleOneIn == sampleOneIn
        && p.maxCandidates == maxCandidates
        && Double.compare(p.minGain, minGain) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, minTraces, maxStrings, maxBytes, maxStringBytes, firstAfterSpans,
        rebuildInterval, sampleOneIn, maxCandidates, minGain);
  }

  @Override
  public String toString() {
    if (!enabled) return "DictionaryPolicy{off}";
    return "DictionaryPolicy{minTraces=" + minTraces + ", maxStrings=" + maxStrings + ", maxBytes="
        + maxBytes + ", maxStringBytes=" + maxStringBytes + ", firstAfterSpans=" + firstAfterSpans
        + ", rebuildInterval=" + rebuildInterval + ", sampleOneIn=" + sampleOneIn
        + ", maxCandidates=" + maxCandidates + ", minGain=" + minGain + '}';
  }

  /** Not thread-safe. {@link #build()} validates, naming the setting. */
  public static final class Builder {
    private boolean enabled = true;
    private int minTraces = 5;
    private int maxStrings = 8_192;
    private int maxBytes = 256 << 10;
    private int maxStringBytes = 512;
    private long firstAfterSpans = 20_000;
    private Duration rebuildInterval = Duration.ofHours(1);
    private int sampleOneIn = 4;
    private int maxCandidates = 65_536;
    private double minGain = 0.02;

    private Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder minTraces(int minTraces) {
      this.minTraces = minTraces;
      return this;
    }

    public Builder maxStrings(int maxStrings) {
      this.maxStrings = maxStrings;
      return this;
    }

    public Builder maxBytes(int maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    public Builder maxStringBytes(int maxStringBytes) {
      this.maxStringBytes = maxStringBytes;
      return this;
    }

    public Builder firstAfterSpans(long firstAfterSpans) {
      this.firstAfterSpans = firstAfterSpans;
      return this;
    }

    public Builder rebuildInterval(Duration rebuildInterval) {
      this.rebuildInterval = rebuildInterval;
      return this;
    }

    public Builder sampleOneIn(int sampleOneIn) {
      this.sampleOneIn = sampleOneIn;
      return this;
    }

    public Builder maxCandidates(int maxCandidates) {
      this.maxCandidates = maxCandidates;
      return this;
    }

    public Builder minGain(double minGain) {
      this.minGain = minGain;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public DictionaryPolicy build() {
      Objects.requireNonNull(rebuildInterval, "rebuildInterval == null");
      if (minTraces < 2) throw new IllegalArgumentException("minTraces < 2: " + minTraces);
      if (maxStrings < 1 || maxStrings > StringDictionary.MAX_STRINGS) {
        throw new IllegalArgumentException(
            "maxStrings must be in [1, " + StringDictionary.MAX_STRINGS + "]: " + maxStrings);
      }
      if (maxBytes < 1 || maxBytes > StringDictionary.MAX_BYTES / 2) {
        throw new IllegalArgumentException(
            "maxBytes must be in [1, " + StringDictionary.MAX_BYTES / 2 + "]: " + maxBytes);
      }
      if (maxStringBytes < 1 || maxStringBytes > StringDictionary.MAX_STRING_BYTES) {
        throw new IllegalArgumentException("maxStringBytes must be in [1, "
            + StringDictionary.MAX_STRING_BYTES + "]: " + maxStringBytes);
      }
      if (firstAfterSpans < 1) {
        throw new IllegalArgumentException("firstAfterSpans < 1: " + firstAfterSpans);
      }
      if (rebuildInterval.isNegative()) {
        throw new IllegalArgumentException("rebuildInterval < 0: " + rebuildInterval);
      }
      if (sampleOneIn < 1) throw new IllegalArgumentException("sampleOneIn < 1: " + sampleOneIn);
      if (maxCandidates < maxStrings) {
        throw new IllegalArgumentException(
            "maxCandidates (" + maxCandidates + ") < maxStrings (" + maxStrings + ")");
      }
      if (!(minGain >= 0 && minGain <= 1)) {
        throw new IllegalArgumentException("minGain must be in [0, 1]: " + minGain);
      }
      return new DictionaryPolicy(this);
    }
  }
}
