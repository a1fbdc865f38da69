package tracestore.storage;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.zip.CRC32;
import tracestore.storage.model.TraceId;

/**
 * The position after the last hit of a search page: the hit's start (epoch nanos) and trace id. A
 * next page holds only hits strictly after it in {@link #HIT_ORDER} (newest first, then trace id
 * descending). Every backend encodes it the same way, so a cursor is opaque to clients and
 * portable across backends.
 *
 * <p>The text form is 39 URL-safe base64 characters (no padding) over a version byte, the start,
 * the trace id and a CRC-32 check, so garbage and truncated cursors are rejected with a reason
 * rather than misread.
 */
public record SearchCursor(long startEpochNanos, TraceId traceId) {
  /** The order of hits in a search result: start descending, then trace id descending. */
  public static final Comparator<TraceHit> HIT_ORDER =
      Comparator.comparingLong(TraceHit::startEpochNanos)
          .thenComparing(TraceHit::traceId)
          .reversed();

  private static final byte VERSION = 1;
  private static final int BYTES = 1 + 8 + 16 + 4;
  private static final int CHARS = (BYTES * 8 + 5) / 6;

  public SearchCursor {
    Objects.requireNonNull(traceId, "traceId == null");
    if (startEpochNanos < 0) throw new IllegalArgumentException("cursor start < 0: " + startEpochNanos);
  }

  /** The cursor that continues after this hit. */
  public static SearchCursor after(TraceHit lastHit) {
    return new SearchCursor(lastHit.startEpochNanos(), lastHit.traceId());
  }

  /** True when a hit at ({@code startEpochNanos}, {@code traceId}) belongs to a later page. */
  public boolean precedes(long startEpochNanos, TraceId traceId) {
    if (startEpochNanos != this.startEpochNanos) return startEpochNanos < this.startEpochNanos;
    return traceId.compareTo(this.traceId) < 0;
  }

  /** True when the hit belongs to a later page. */
  public boolean precedes(TraceHit hit) {
    return precedes(hit.startEpochNanos(), hit.traceId());
  }

  /** The opaque, URL-safe text form. */
  public String encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put(VERSION).putLong(startEpochNanos).putLong(traceId.high()).putLong(traceId.low());
    b.putInt(crc(b.array()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * Parses {@link #encode()}'s output.
   *
   * @throws IllegalArgumentException naming what is wrong: empty, wrong length, not base64url, an
   *     unknown version, a failed check, or an impossible value
   */
  public static SearchCursor decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) throw new IllegalArgumentException("cursor is empty");
    if (cursor.length() != CHARS) {
      throw new IllegalArgumentException(
          "cursor must be " + CHARS + " characters, got " + cursor.length() + ": \"" + clip(cursor) + '"');
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cursor is not URL-safe base64: \"" + clip(cursor) + '"', e);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    long start = b.getLong();
    TraceId id = new TraceId(b.getLong(), b.getLong());
    int check = b.getInt();
    if (check != crc(bytes)) {
      throw new IllegalArgumentException("cursor is corrupt (check failed): \"" + cursor + '"');
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("cursor version " + version + " is unknown: \"" + cursor + '"');
    }
    if (start < 0) throw new IllegalArgumentException("cursor start time is negative: \"" + cursor + '"');
    if (id.isZero()) throw new IllegalArgumentException("cursor trace id is zero: \"" + cursor + '"');
    return new SearchCursor(start, id);
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, BYTES - 4);
    return (int) crc.getValue();
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
