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
import tracestore.storage.codec.ChunkDictionaries;
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
  private final DictionaryLoads dictionaryLoads;
  private final ChunkDictionaries dictionaries;

  /**
   * @param connections the read pool's size: a read that finds its session killed is repeated on
   *     another connection up to that many times, since every pooled session may have died at once
   *     (reads are idempotent; writes are retried by their caller)
   * @param dictionaries the storage's one dictionary cache, loading through {@code dictionaryLoads}
   */
  JdbcTraceReader(DataSource dataSource, Dialect dialect, int connections,
      DictionaryLoads dictionaryLoads, ChunkDictionaries dictionaries) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.attempts = connections + 1;
    this.dictionaryLoads = dictionaryLoads;
    this.dictionaries = dictionaries;
  }

  private interface Read<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String doing, Read<T> read) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection();
          DictionaryLoads.Binding b = dictionaryLoads.bind(c)) { // dictionaries load on c
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
        while (rs.next()) chunks.add(ChunkDecoder.decode(rs.getBytes(1), id, dictionaries));
      }
    }
    return Spans.dedupeAndSort(chunks);
  }

  /** The first window a search looks at, before widening it 4x at a time. */
  static final long FIRST_WINDOW_NANOS = 1_000_000_000L;
  /** Above this limit the window pass costs more lookups than it saves: search the whole range. */
  static final int WINDOWED_MAX_LIMIT = 100;

  /**
   * Searches the newest part of the range first. A window [L, end] holds every trace whose true
   * start (the earliest matching start over the whole range) is at least L, with that exact start;
   * it may also hold traces whose matching entries straddle L, with a start that is too late. Those
   * are recognized (a chunk of the trace starts before L and an entry matches before L) and left
   * for a wider window. When the window yields limit + 1 exact hits they are the answer; otherwise
   * it widens 4x, and at the range's start it is the plain search, exact by definition.
   */
  @Override
  public SearchResult search(SearchRequest request) {
    Objects.requireNonNull(request, "request == null");
    SearchCursor cursor = request.cursor() == null ? null : SearchCursor.decode(request.cursor());
    int fetch = request.limit() + 1;
    List<TraceHit> hits = read("searching", c -> {
      long start = request.startEpochNanos();
      long top = cursor == null ? request.endEpochNanos()
          : Math.min(request.endEpochNanos(), cursor.startEpochNanos());
      if (request.limit() <= WINDOWED_MAX_LIMIT) {
        for (long w = FIRST_WINDOW_NANOS; top - start > w && w > 0; w *= 4) {
          long lower = top - w;
          SearchRequest window = request.toBuilder().timeRange(lower, request.endEpochNanos()).build();
          List<TraceHit> raw = query(c, SearchQuery.of(window, cursor, 2 * fetch, dialect));
          List<TraceHit> exact = new ArrayList<>();
          for (TraceHit h : raw) {
            if (exact.size() == fetch) break;
            if (!straddles(c, request, h.traceId(), lower)) exact.add(h);
          }
          if (exact.size() == fetch) return exact;
        }
      }
      return query(c, SearchQuery.of(request, cursor, fetch, dialect));
    });
    if (hits.size() <= request.limit()) return new SearchResult(hits, null, true);
    List<TraceHit> page = hits.subList(0, request.limit());
    return new SearchResult(page, SearchCursor.after(page.get(page.size() - 1)).encode(), false);
  }

  private List<TraceHit> query(Connection c, SearchQuery q) throws SQLException {
    List<TraceHit> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(q.sql)) {
      q.bind(ps, dialect);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new TraceHit(dialect.readTraceId(rs, 1), rs.getLong(2)));
      }
    }
    return out;
  }

  static final String SELECT_FIRST_CHUNK_START =
      "SELECT min(start_ns) FROM chunks WHERE trace_id = ?";

  /**
   * Whether the trace has an entry matching a predicate of {@code r} before {@code lower}: then its
   * true start is before the window. Every entry starts at or after its trace's earliest chunk
   * start, so only [max(range start, first chunk start), lower) is looked at, and nothing at all
   * when the trace began inside the window (the usual case).
   */
  private boolean straddles(Connection c, SearchRequest r, TraceId id, long lower)
      throws SQLException {
    long first;
    try (PreparedStatement ps = c.prepareStatement(SELECT_FIRST_CHUNK_START)) {
      dialect.bindTraceId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        first = rs.getLong(1);
        if (rs.wasNull()) return false;
      }
    }
    if (first >= lower) return false;
    long from = Math.max(r.startEpochNanos(), first);
    SearchRequest before = r.toBuilder().timeRange(from, lower - 1).cursor(null).build();
    SearchQuery q = SearchQuery.anyEntry(before, id, dialect);
    try (PreparedStatement ps = c.prepareStatement(q.sql)) {
      q.bind(ps, dialect);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
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
