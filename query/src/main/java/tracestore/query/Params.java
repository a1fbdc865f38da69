package tracestore.query;

import com.linecorp.armeria.common.QueryParams;
import java.util.List;
import tracestore.storage.model.TraceId;

/**
 * Reads query parameters. Every failure is a {@link BadRequestException} whose message names the
 * parameter and what is expected, so a 400 explains itself.
 */
final class Params {
  private final QueryParams params;

  Params(QueryParams params) {
    this.params = params;
  }

  /** The value, or null when absent. An empty value counts as present. */
  String string(String name) {
    return params.get(name);
  }

  /** The value, or null when absent or blank. */
  String nonBlank(String name) {
    String v = params.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  String required(String name) {
    String v = params.get(name);
    if (v == null) throw new BadRequestException(name + " is required");
    return v.trim();
  }

  List<String> all(String name) {
    return params.getAll(name);
  }

  /** A non-negative integer, or {@code defaultValue} when absent or blank. */
  long nonNegativeLong(String name, long defaultValue, String unit) {
    String v = nonBlank(name);
    if (v == null) return defaultValue;
    long parsed;
    try {
      parsed = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          name + " must be an integer (" + unit + "), got \"" + v + "\"");
    }
    if (parsed < 0) throw new BadRequestException(name + " must be >= 0 (" + unit + "), got " + v);
    return parsed;
  }

  /** A positive integer no larger than {@code max}, or {@code defaultValue} when absent. */
  int limit(String name, int defaultValue, int max) {
    long v = nonNegativeLong(name, defaultValue, "count");
    if (v < 1 || v > max) {
      throw new BadRequestException(name + " must be between 1 and " + max + ", got " + v);
    }
    return (int) v;
  }

  boolean bool(String name) {
    String v = nonBlank(name);
    if (v == null) return false;
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    throw new BadRequestException(name + " must be true or false, got \"" + v + "\"");
  }

  /** Parses 16 or 32 hex characters; {@code what} names the parameter in the error. */
  static TraceId traceId(String what, String hex) {
    try {
      return TraceId.parse(hex.trim());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(what + ": " + e.getMessage());
    }
  }
}
