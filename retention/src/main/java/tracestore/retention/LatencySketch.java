package tracestore.retention;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The mergeable latency sketch stored in {@link tracestore.storage.Rollup#latencySketch()}: an
 * HdrHistogram of span durations in microseconds with two significant digits, so a recorded or
 * merged percentile is within 1% of the exact value (plus the 1 µs unit). Stored compressed
 * (HdrHistogram's own deflate-based encoding, deterministic for equal histograms).
 */
public final class LatencySketch {
  /** Relative error of a reported value, from two significant digits. */
  public static final double RELATIVE_ERROR = 0.01;

  static final int SIGNIFICANT_DIGITS = 2;

  private LatencySketch() {}

  static Histogram newHistogram() {
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  /** Records a duration in nanoseconds (truncated to microseconds). */
  static void record(Histogram h, long durationNanos) {
    h.recordValue(Math.max(0, durationNanos / 1_000));
  }

  static byte[] encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    byte[] out = new byte[n];
    buf.flip();
    buf.get(out);
    return out;
  }

  /** @throws IllegalArgumentException when {@code bytes} is not a sketch this class wrote */
  static Histogram decode(byte[] bytes) {
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
      h.setAutoResize(true);
      return h;
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("not a latency sketch (" + bytes.length + " bytes)", e);
    }
  }

  /** The value at {@code percentile} (0..100) in nanoseconds, 0 when empty. */
  static long percentileNanos(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) return 0;
    return h.getValueAtPercentile(percentile) * 1_000;
  }
}
