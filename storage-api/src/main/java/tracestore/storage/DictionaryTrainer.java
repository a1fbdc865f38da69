package tracestore.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import tracestore.storage.codec.StringDictionary;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * Trains {@link WriteBatches}'s string dictionary from the traces that pass through it, as {@link
 * DictionaryPolicy} says. Thread-safe: the current dictionary is a volatile read; counting takes a
 * lock once per sampled trace; a build runs in the one thread that finds it due, under a try-lock,
 * while the others go on with the current dictionary.
 */
final class DictionaryTrainer {
  private final DictionaryPolicy policy;
  private final LongSupplier nanoClock;
  private final ThreadLocal<HashSet<String>> scratch = ThreadLocal.withInitial(HashSet::new);
  private final ReentrantLock countLock = new ReentrantLock();
  private final ReentrantLock buildLock = new ReentrantLock();
  /** Strings counted since the last build; guarded by countLock. */
  private HashMap<String, Candidate> candidates = new HashMap<>();
  private final AtomicLong spansInWindow = new AtomicLong();
  private volatile StringDictionary current;
  private volatile long lastBuildNanos;
  private volatile int builds;

  /**
   * In how many distinct sampled traces a string appeared. Until it reaches the policy's minimum,
   * the traces are remembered by hash so that several chunks of one trace count once; past it only
   * the ranking is left, and further chunks simply add one.
   */
  private static final class Candidate {
    long[] traces;
    int count;

    Candidate(int minTraces) {
      traces = new long[minTraces];
    }

    void add(long trace, int minTraces) {
      if (count >= minTraces) {
        count++;
        return;
      }
      for (int i = 0; i < count; i++) if (traces[i] == trace) return;
      traces[count++] = trace;
      if (count == minTraces) traces = null;
    }
  }

  DictionaryTrainer(DictionaryPolicy policy, LongSupplier nanoClock) {
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.lastBuildNanos = nanoClock.getAsLong();
  }

  /** The dictionary new chunks reference, or null before the first one. */
  StringDictionary current() {
    return current;
  }

  /** How many dictionaries were adopted. */
  int adopted() {
    return builds;
  }

  /** Counts the strings of one trace's spans if the trace is sampled, and the spans either way. */
  void observe(TraceId traceId, List<Span> spans) {
    spansInWindow.addAndGet(spans.size());
    long mixed = (traceId.high() ^ traceId.low()) * 0x9E3779B97F4A7C15L;
    if (Long.remainderUnsigned(mixed >>> 16, policy.sampleOneIn()) != 0) return;
    HashSet<String> strings = scratch.get();
    strings.clear();
    List<Tag> lastResource = null;
    for (int i = 0, n = spans.size(); i < n; i++) {
      Span s = spans.get(i);
      add(strings, s.name());
      add(strings, s.service());
      add(strings, s.remoteService());
      add(strings, s.statusMessage());
      add(strings, s.scopeName());
      add(strings, s.scopeVersion());
      if (s.resource() != lastResource) {
        lastResource = s.resource();
        addTags(strings, lastResource);
      }
      addTags(strings, s.tags());
      for (SpanLog log : s.logs()) {
        add(strings, log.name());
        addTags(strings, log.fields());
      }
      for (SpanLink link : s.links()) addTags(strings, link.tags());
    }
    int minTraces = policy.minTraces();
    countLock.lock();
    try {
      for (String str : strings) {
        Candidate c = candidates.get(str);
        if (c == null) {
          if (candidates.size() >= policy.maxCandidates()) continue;
          candidates.put(str, c = new Candidate(minTraces));
        }
        c.add(mixed, minTraces);
      }
    } finally {
      countLock.unlock();
    }
    if (strings.size() > 4_096) scratch.remove();
  }

  private void addTags(HashSet<String> strings, List<Tag> tags) {
    for (int i = 0, n = tags.size(); i < n; i++) {
      Tag t = tags.get(i);
      add(strings, t.key());
      addValue(strings, t.value());
    }
  }

  private void addValue(HashSet<String> strings, TagValue v) {
    if (v instanceof TagValue.Str str) {
      add(strings, str.value());
    } else if (v instanceof TagValue.Arr arr) {
      for (TagValue e : arr.values()) addValue(strings, e);
    }
  }

  private void add(HashSet<String> strings, String s) {
    // Length in chars bounds the UTF-8 bytes from below (at most 3 bytes per char).
    if (s.isEmpty() || s.length() > policy.maxStringBytes()) return;
    strings.add(s);
  }

  /** Builds a dictionary when one is due; returns quickly otherwise. */
  void maybeRebuild() {
    if (spansInWindow.get() < policy.firstAfterSpans()) return;
    long now = nanoClock.getAsLong();
    if (current != null && now - lastBuildNanos < policy.rebuildInterval().toNanos()) return;
    if (!buildLock.tryLock()) return;
    try {
      if (spansInWindow.get() < policy.firstAfterSpans()) return; // another thread just built
      HashMap<String, Candidate> counted;
      countLock.lock();
      try {
        counted = candidates;
        candidates = new HashMap<>();
        spansInWindow.set(0);
      } finally {
        countLock.unlock();
      }
      lastBuildNanos = now;
      StringDictionary next = build(counted);
      if (next != null && (current == null || gain(counted, next, current) >= policy.minGain())) {
        current = next;
        builds++;
      }
    } finally {
      buildLock.unlock();
    }
  }

  /** The dictionary of the counted strings the policy admits, most frequent first; or null. */
  StringDictionary build(Map<String, Candidate> counted) {
    int minTraces = policy.minTraces();
    List<Map.Entry<String, Candidate>> admitted = new ArrayList<>();
    for (Map.Entry<String, Candidate> e : counted.entrySet()) {
      if (e.getValue().count >= minTraces && !StringDictionary.isWellKnown(e.getKey())) {
        admitted.add(e);
      }
    }
    admitted.sort(
        (a, b) -> {
          int c = Integer.compare(b.getValue().count, a.getValue().count);
          return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
    List<String> chosen = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, Candidate> e : admitted) {
      if (chosen.size() >= policy.maxStrings()) break;
      int size = Utf8Length.of(e.getKey());
      if (size < 0 || size > policy.maxStringBytes()) continue; // malformed, or too long

      if (bytes + size > policy.maxBytes()) continue; // a shorter one may still fit
      bytes += size;
      chosen.add(e.getKey());
    }
    if (chosen.isEmpty()) return null;
    // The most frequent ones get the two-byte entries; within each band, sorted strings share
    // prefixes, which is what makes the stored dictionary small (front coding, then LZ4).
    int shortBand = Math.min(chosen.size(), StringDictionary.SHORT_ENTRIES);
    String[] ordered = chosen.toArray(new String[0]);
    Arrays.sort(ordered, 0, shortBand);
    Arrays.sort(ordered, shortBand, ordered.length);
    return StringDictionary.of(Arrays.asList(ordered));
  }

  /** The share of counted occurrences {@code next} covers beyond {@code current}. */
  private static double gain(
      Map<String, Candidate> counted, StringDictionary next, StringDictionary current) {
    long total = 0;
    long inNext = 0;
    long inCurrent = 0;
    for (Map.Entry<String, Candidate> e : counted.entrySet()) {
      int n = e.getValue().count;
      total += n;
      if (next.indexOf(e.getKey()) >= 0) inNext += n;
      if (current.indexOf(e.getKey()) >= 0) inCurrent += n;
    }
    return total == 0 ? 0 : (inNext - inCurrent) / (double) total;
  }
}
