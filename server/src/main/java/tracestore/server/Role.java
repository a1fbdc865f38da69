package tracestore.server;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a server process does; the value of the {@code roles} setting is a comma-separated set. */
public enum Role {
  /** The OTLP/gRPC, OTLP/HTTP and Zipkin receivers and the write pipeline. */
  INGEST,
  /** The Zipkin v2 query API, Zipkin's UI and the native API. */
  QUERY,
  /** The scheduled aggregation into rollups, links and exemplars, and raw deletion after it. */
  RETENTION;

  /** @throws IllegalArgumentException naming the unknown role */
  static Set<Role> parseSet(String value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : value.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) continue;
      boolean found = false;
      for (Role r : values()) {
        if (r.name().toLowerCase(Locale.ROOT).equals(p)) {
          roles.add(r);
          found = true;
        }
      }
      if (!found) throw new IllegalArgumentException("unknown role '" + part.trim() + "', expected ingest, query or retention");
    }
    if (roles.isEmpty()) throw new IllegalArgumentException("no role given, expected ingest, query or retention");
    return roles;
  }
}
