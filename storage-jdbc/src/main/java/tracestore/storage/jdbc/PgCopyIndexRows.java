package tracestore.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL index rows ({@link TraceRows}) through one binary {@code COPY ... FROM STDIN} per
 * batch. Binary, not text: the server then parses no numbers or array literals (most of a row is
 * its bigint and integer arrays). COPY has no {@code ON CONFLICT}; none is needed because {@code
 * trace_index} has no unique key and rows are written only for new chunks.
 */
final class PgCopyIndexRows implements IndexRows {
  static final String COPY_TRACE_INDEX = "COPY trace_index (service, start_ns, trace_id, duration_ns,"
      + " error, terms, term_offsets, op_durations) FROM STDIN (FORMAT binary)";

  static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  private static final int INT8_OID = 20;
  private static final int INT4_OID = 23;

  @Override
  public void write(Connection c, List<ServiceIndexEntry> service,
      List<OperationIndexEntry> operation, List<TagIndexEntry> tag) throws SQLException {
    List<TraceRows.Row> rows = TraceRows.of(service, operation, tag);
    if (rows.isEmpty()) return;
    byte[] bytes = encode(rows);
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    CopyIn in = copy.copyIn(COPY_TRACE_INDEX);
    try {
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  /** The whole COPY stream: header, one tuple per row, trailer. */
  static byte[] encode(List<TraceRows.Row> rows) {
    Buf b = new Buf(64 + rows.size() * 256);
    b.bytes(SIGNATURE).int32(0).int32(0);
    Map<String, byte[]> services = new HashMap<>(); // a batch has far fewer services than rows
    for (TraceRows.Row r : rows) {
      b.int16(8);
      byte[] service = services.computeIfAbsent(r.service(),
          s -> PostgresDialect.escape(s).getBytes(StandardCharsets.UTF_8));
      b.int32(service.length).bytes(service);
      b.int32(8).int64(r.startEpochNanos());
      TraceId id = r.traceId();
      b.int32(16).int64(id.high()).int64(id.low());
      if (r.hasService()) {
        b.int32(8).int64(r.durationNanos());
        b.int32(1).int8(r.error() ? 1 : 0);
      } else {
        b.int32(-1).int32(-1); // NULL, NULL
      }
      longArray(b, r.terms());
      intArray(b, r.offsets());
      longArray(b, r.opDurations());
    }
    b.int16(-1);
    return b.toByteArray();
  }

  /** A one-dimensional array without NULLs in binary form; an empty one has no dimension. */
  private static void longArray(Buf b, long[] values) {
    if (values.length == 0) {
      b.int32(12).int32(0).int32(0).int32(INT8_OID);
      return;
    }
    b.int32(20 + 12 * values.length).int32(1).int32(0).int32(INT8_OID).int32(values.length).int32(1);
    for (long v : values) b.int32(8).int64(v);
  }

  private static void intArray(Buf b, int[] values) {
    if (values.length == 0) {
      b.int32(12).int32(0).int32(0).int32(INT4_OID);
      return;
    }
    b.int32(20 + 8 * values.length).int32(1).int32(0).int32(INT4_OID).int32(values.length).int32(1);
    for (int v : values) b.int32(4).int32(v);
  }

  /** A growable big-endian byte buffer (no synchronization, unlike ByteArrayOutputStream). */
  static final class Buf {
    private byte[] a;
    private int n;

    Buf(int capacity) { // package-private: PgCopyChunks writes its rows with it too
      a = new byte[capacity];
    }

    private void ensure(int more) {
      if (n + more > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
    }

    Buf bytes(byte[] v) {
      ensure(v.length);
      System.arraycopy(v, 0, a, n, v.length);
      n += v.length;
      return this;
    }

    Buf int8(int v) {
      ensure(1);
      a[n++] = (byte) v;
      return this;
    }

    Buf int16(int v) {
      ensure(2);
      a[n++] = (byte) (v >>> 8);
      a[n++] = (byte) v;
      return this;
    }

    Buf int32(int v) {
      ensure(4);
      a[n++] = (byte) (v >>> 24);
      a[n++] = (byte) (v >>> 16);
      a[n++] = (byte) (v >>> 8);
      a[n++] = (byte) v;
      return this;
    }

    Buf int64(long v) {
      int32((int) (v >>> 32));
      return int32((int) v);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
