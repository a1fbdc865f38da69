package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import tracestore.storage.Operation;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.Spans;
import tracestore.storage.TraceReader;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** Blocking reads over the read pool. Thread-safe. */
final class JdbcTraceReader implements TraceReader {
  static final String SELECT_CHUNKS = "SELECT payload FROM chunks WHERE trace_id = ?";
  static final String SELECT_SERVICES = "SELECT service FROM service_names";
  static final String SELECT_OPERATIONS =
      "SELECT operation, kind FROM operation_names WHERE service = ?";
  static final String SELECT_REMOTE_SERVICES =
      "SELECT remote_service FROM remote_service_names WHERE service = ?";
  static final String SELECT_TAG_KEYS = "SELECT DISTINCT tag_key FROM tag_names";
  static final String SELECT_TAG_VALUES = "SELECT tag_value FROM tag_names WHERE tag_key = ?";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final int attempts;

  /**
   * @param connections the read pool's size: a read that finds its session killed is repeated on
   *     another connection up to that many times, since every pooled session may have died at once
   *     (reads are idempotent; writes are retried by their caller)
   */
  JdbcTraceReader(DataSource dataSource, Dialect dialect, int connections) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.attempts = connections + 1;
  }

  private interface Read<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String doing, Read<T> read) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return read.run(c);
      } catch (SQLException e) {
        if (attempt >= attempts || !Failures.isConnectionLost(e)) {
          throw Failures.classify(doing + " in " + dialect.name(), e);
        }
      }
    }
  }

  @Override
  public List<Span> getTrace(TraceId traceId) {
    requireTraceId(traceId);
    return read("reading trace " + traceId, c -> readTrace(c, traceId));
  }

  @Override
  public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
    Objects.requireNonNull(traceIds, "traceIds == null");
    for (TraceId id : traceIds) requireTraceId(id);
    return read("reading " + traceIds.size() + " traces", c -> {
      List<List<Span>> out = new ArrayList<>();
      for (TraceId id : new LinkedHashSet<>(traceIds)) {
        List<Span> spans = readTrace(c, id);
        if (!spans.isEmpty()) out.add(spans);
      }
      return out;
    });
  }

  private List<Span> readTrace(Connection c, TraceId id) throws SQLException {
    List<List<Span>> chunks = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT_CHUNKS)) {
      dialect.bindTraceId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) chunks.add(ChunkDecoder.decode(rs.getBytes(1)));
      }
    }
    return Spans.dedupeAndSort(chunks);
  }

  @Override
  public SearchResult search(SearchRequest request) {
    Objects.requireNonNull(request, "request == null");
    SearchCursor cursor = request.cursor() == null ? null : SearchCursor.decode(request.cursor());
    SearchQuery q = SearchQuery.of(request, cursor, request.limit() + 1, dialect);
    List<TraceHit> hits = read("searching", c -> {
      List<TraceHit> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(q.sql)) {
        q.bind(ps, dialect);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(new TraceHit(dialect.readTraceId(rs, 1), rs.getLong(2)));
        }
      }
      return out;
    });
    if (hits.size() <= request.limit()) return new SearchResult(hits, null, true);
    List<TraceHit> page = hits.subList(0, request.limit());
    return new SearchResult(page, SearchCursor.after(page.get(page.size() - 1)).encode(), false);
  }

  @Override
  public List<String> services() {
    return strings(SELECT_SERVICES, null, "listing services");
  }

  @Override
  public List<Operation> operations(String service) {
    requireName(service, "service");
    List<Operation> out = read("listing operations of " + service, c -> {
      List<Operation> ops = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(SELECT_OPERATIONS)) {
        dialect.setText(ps, 1, service);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ops.add(new Operation(service, dialect.getText(rs, 1), SpanKind.ofOrdinal(rs.getInt(2))));
          }
        }
      }
      return ops;
    });
    out.sort(Comparator.comparing(Operation::name).thenComparing(Operation::kind));
    return out;
  }

  @Override
  public List<String> remoteServices(String service) {
    requireName(service, "service");
    return strings(SELECT_REMOTE_SERVICES, service, "listing remote services of " + service);
  }

  @Override
  public List<String> tagKeys() {
    return strings(SELECT_TAG_KEYS, null, "listing tag keys");
  }

  @Override
  public List<String> tagValues(String key) {
    requireName(key, "tag key");
    return strings(SELECT_TAG_VALUES, key, "listing values of tag " + key);
  }

  /** Runs a one-column query with at most one string parameter; sorted in Java (no collation). */
  private List<String> strings(String sql, String param, String doing) {
    List<String> out = read(doing, c -> {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (param != null) dialect.setText(ps, 1, param);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) names.add(dialect.getText(rs, 1));
        }
      }
      return names;
    });
    out.sort(null);
    return out;
  }

  private static void requireTraceId(TraceId id) {
    if (id == null) throw new IllegalArgumentException("traceId == null");
    if (id.isZero()) throw new IllegalArgumentException("traceId is all zeros");
  }

  private static void requireName(String s, String what) {
    if (s == null) throw new IllegalArgumentException(what + " == null");
  }
}
