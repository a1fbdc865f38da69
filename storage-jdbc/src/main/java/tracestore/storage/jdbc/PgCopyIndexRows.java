package tracestore.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL index rows through {@code COPY ... FROM STDIN} in text format, one COPY per table per
 * batch. COPY has no {@code ON CONFLICT}; none is needed because the index tables have no unique
 * key and rows are written only for new chunks. Text fields are escaped as COPY's text format
 * requires (backslash, tab, newline, carriage return), after {@link PostgresDialect#escape}.
 */
final class PgCopyIndexRows implements IndexRows {
  static final String COPY_SERVICE =
      "COPY service_index (service, start_ns, trace_id, duration_ns, error) FROM STDIN";
  static final String COPY_OPERATION =
      "COPY operation_index (op_hash, start_ns, trace_id, duration_ns) FROM STDIN";
  static final String COPY_TAG = "COPY tag_index (start_ns, trace_id, tags) FROM STDIN";

  @Override
  public void write(Connection c, List<ServiceIndexEntry> service,
      List<OperationIndexEntry> operation, List<TagIndexEntry> tag) throws SQLException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    StringBuilder b = new StringBuilder(4096);
    if (!service.isEmpty()) {
      for (ServiceIndexEntry e : service) {
        text(b, e.service()).append('\t').append(e.startEpochNanos()).append('\t');
        uuid(b, e.traceId()).append('\t').append(e.durationNanos()).append('\t')
            .append(e.error() ? 't' : 'f').append('\n');
      }
      send(copy, COPY_SERVICE, b);
    }
    if (!operation.isEmpty()) {
      for (OperationIndexEntry e : operation) {
        b.append(TagRows.operationHash(e.service(), e.operation())).append('\t')
            .append(e.startEpochNanos()).append('\t');
        uuid(b, e.traceId()).append('\t').append(e.durationNanos()).append('\n');
      }
      send(copy, COPY_OPERATION, b);
    }
    if (!tag.isEmpty()) {
      for (TagRows.Row row : TagRows.group(tag)) {
        b.append(row.startEpochNanos()).append('\t');
        uuid(b, row.traceId()).append("\t{");
        for (int i = 0; i < row.hashes().size(); i++) {
          if (i > 0) b.append(',');
          b.append(row.hashes().get(i).longValue());
        }
        b.append("}\n");
      }
      send(copy, COPY_TAG, b);
    }
  }

  private static void send(CopyManager copy, String sql, StringBuilder rows) throws SQLException {
    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
    rows.setLength(0);
    CopyIn in = copy.copyIn(sql);
    try {
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  /** A text field: the NUL escape of {@link PostgresDialect#escape}, then COPY's escapes. */
  static StringBuilder text(StringBuilder b, String s) {
    return copyEscape(b, PostgresDialect.escape(s));
  }

  /** COPY text format's escapes only: backslash, tab, newline, carriage return. */
  static StringBuilder copyEscape(StringBuilder b, String v) {
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(ch);
      }
    }
    return b;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static StringBuilder uuid(StringBuilder b, TraceId id) {
    hex(b, id.high());
    return hex(b, id.low());
  }

  private static StringBuilder hex(StringBuilder b, long v) {
    for (int shift = 60; shift >= 0; shift -= 4) b.append(HEX[(int) (v >>> shift) & 0xf]);
    return b;
  }
}
