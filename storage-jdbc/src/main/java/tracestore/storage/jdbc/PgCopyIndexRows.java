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
 * PostgreSQL index rows ({@link BatchRows}) through one binary {@code COPY ... FROM STDIN} per
 * batch. Binary, not text: the server then parses no numbers or array literals (most of a row is
 * its bigint and integer arrays). COPY has no {@code ON CONFLICT}; none is needed because {@code
 * trace_index} has no unique key and rows are written only for new chunks.
 */
final class PgCopyIndexRows implements IndexRows {
  static final String COPY_TRACE_INDEX = "COPY trace_index (service, start_ns, trace_ids,"
      + " part_offsets, durations, errors, terms, term_parts, term_offsets, op_durations)"
      + " FROM STDIN (FORMAT binary)";

  static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  private static final int INT8_OID = 20;
  private static final int INT4_OID = 23;
  private static final int BOOL_OID = 16;
  private static final int UUID_OID = 2950;

  @Override
  public void write(Connection c, List<ServiceIndexEntry> service,
      List<OperationIndexEntry> operation, List<TagIndexEntry> tag) throws SQLException {
    List<BatchRows.Row> rows = BatchRows.of(TraceRows.of(service, operation, tag));
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
  static byte[] encode(List<BatchRows.Row> rows) {
    Buf b = new Buf(64 + rows.size() * 2048);
    b.bytes(SIGNATURE).int32(0).int32(0);
    Map<String, byte[]> services = new HashMap<>(); // a batch has far fewer services than rows
    for (BatchRows.Row r : rows) {
      b.int16(10);
      byte[] service = services.computeIfAbsent(r.service(),
          s -> PostgresDialect.escape(s).getBytes(StandardCharsets.UTF_8));
      b.int32(service.length).bytes(service);
      b.int32(8).int64(r.startEpochNanos());
      TraceId[] ids = r.traceIds();
      header(b, 20, ids.length, UUID_OID);
      for (TraceId id : ids) b.int32(16).int64(id.high()).int64(id.low());
      intArray(b, r.partOffsets());
      longArray(b, r.durations());
      header(b, 5, ids.length, BOOL_OID);
      for (boolean e : r.errors()) b.int32(1).int8(e ? 1 : 0);
      longArray(b, r.terms());
      intArray(b, r.termParts());
      intArray(b, r.termOffsets());
      longArray(b, r.opDurations());
    }
    b.int16(-1);
    return b.toByteArray();
  }

  /**
   * The length and header of a one-dimensional array without NULLs in binary form, of {@code n}
   * elements taking {@code perElement} bytes each with their length word; an empty one has no
   * dimension.
   */
  private static void header(Buf b, int perElement, int n, int oid) {
    if (n == 0) b.int32(12).int32(0).int32(0).int32(oid);
    else b.int32(20 + perElement * n).int32(1).int32(0).int32(oid).int32(n).int32(1);
  }

  private static void longArray(Buf b, long[] values) {
    header(b, 12, values.length, INT8_OID);
    for (long v : values) b.int32(8).int64(v);
  }

  private static void intArray(Buf b, int[] values) {
    header(b, 8, values.length, INT4_OID);
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
