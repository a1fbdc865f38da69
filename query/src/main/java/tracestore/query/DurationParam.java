package tracestore.query;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parses the native API's durations ({@code 250ms}) and instants (epoch millis or ISO-8601). */
final class DurationParam {
  private DurationParam() {}

  /**
   * A non-negative duration with a unit: {@code ns, us, ms, s, m, h, d}, for example {@code 250ms}
   * or {@code 1.5s}. Returns nanoseconds.
   */
  static long nanos(String name, String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
    String number = t.substring(0, i);
    String unit = t.substring(i).trim();
    long scale;
    switch (unit) {
      case "ns":
        scale = 1L;
        break;
      case "us":
      case "µs":
        scale = 1_000L;
        break;
      case "ms":
        scale = 1_000_000L;
        break;
      case "s":
        scale = 1_000_000_000L;
        break;
      case "m":
        scale = 60_000_000_000L;
        break;
      case "h":
        scale = 3_600_000_000_000L;
        break;
      case "d":
        scale = 86_400_000_000_000L;
        break;
      default:
        throw new BadRequestException(
            name + " must be a duration with a unit (ns, us, ms, s, m, h, d), for example 250ms; got \""
                + text + "\"");
    }
    try {
      double value = Double.parseDouble(number);
      double nanos = value * scale;
      if (nanos >= Long.MAX_VALUE) throw new BadRequestException(name + " is too large: " + text);
      return Math.round(nanos);
    } catch (NumberFormatException e) {
      throw new BadRequestException(name + " must start with a number, for example 250ms; got \"" + text + "\"");
    }
  }

  /** Epoch milliseconds (digits only) or an ISO-8601 instant; returns epoch nanoseconds. */
  static long instantNanos(String name, String text) {
    String t = text.trim();
    try {
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
        return Math.multiplyExact(Long.parseLong(t), 1_000_000L);
      }
      Instant instant = Instant.parse(t);
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new BadRequestException(
          name + " must be epoch milliseconds or an ISO-8601 instant such as 2026-01-31T12:00:00Z; got \""
              + text + "\"");
    }
  }

  static long nanos(Duration d) {
    return d.toNanos();
  }
}
