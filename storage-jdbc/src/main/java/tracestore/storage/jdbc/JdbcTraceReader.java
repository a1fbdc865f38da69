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

  JdbcTraceReader(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  @Override
  public List<Span> getTrace(TraceId traceId) {
    requireTraceId(traceId);
    try (Connection c = dataSource.getConnection()) {
      return readTrace(c, traceId);
    } catch (SQLException e) {
      throw Failures.classify("reading trace " + traceId + " from " + dialect.name(), e);
    }
  }

  @Override
  public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
    Objects.requireNonNull(traceIds, "traceIds == null");
    for (TraceId id : traceIds) requireTraceId(id);
    List<List<Span>> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (TraceId id : new LinkedHashSet<>(traceIds)) {
        List<Span> spans = readTrace(c, id);
        if (!spans.isEmpty()) out.add(spans);
      }
    } catch (SQLException e) {
      throw Failures.classify("reading " + traceIds.size() + " traces from " + dialect.name(), e);
    }
    return out;
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
    List<TraceHit> hits = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(q.sql)) {
      q.bind(ps, dialect);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) hits.add(new TraceHit(dialect.readTraceId(rs, 1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw Failures.classify("searching " + dialect.name(), e);
    }
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
    List<Operation> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT_OPERATIONS)) {
      dialect.setText(ps, 1, service);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Operation(service, dialect.getText(rs, 1), SpanKind.ofOrdinal(rs.getInt(2))));
        }
      }
    } catch (SQLException e) {
      throw Failures.classify("listing operations of " + service, e);
    }
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
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) dialect.setText(ps, 1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(dialect.getText(rs, 1));
      }
    } catch (SQLException e) {
      throw Failures.classify(doing + " in " + dialect.name(), e);
    }
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
