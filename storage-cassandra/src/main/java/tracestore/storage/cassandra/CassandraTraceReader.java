package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import tracestore.storage.Operation;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.Spans;
import tracestore.storage.TraceReader;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** Blocking reads: traces by id from their chunk rows, the search, and the names tables. */
final class CassandraTraceReader implements TraceReader {
  private final Statements st;
  private final CassandraSearch search;
  private final ChunkDictionaries dictionaries;

  CassandraTraceReader(Statements st, ChunkDictionaries dictionaries) {
    this.st = st;
    this.dictionaries = dictionaries;
    this.search = new CassandraSearch(st, st.selectLegacyTagIndex.anyRow(), st.selectLegacyIndexes.anyRow());
  }

  @Override
  public List<Span> getTrace(TraceId traceId) {
    Objects.requireNonNull(traceId, "traceId == null");
    List<List<Span>> traces = read(List.of(traceId));
    return traces.get(0);
  }

  @Override
  public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
    Objects.requireNonNull(traceIds, "traceIds == null");
    List<TraceId> distinct = new ArrayList<>(new LinkedHashSet<>(traceIds));
    if (distinct.contains(null)) throw new IllegalArgumentException("traceIds contains null");
    List<List<Span>> out = new ArrayList<>();
    for (List<Span> trace : read(distinct)) if (!trace.isEmpty()) out.add(trace);
    return out;
  }

  /** One list per id, in order; empty for unknown traces. */
  private List<List<Span>> read(List<TraceId> ids) {
    List<BoundStatement> statements = new ArrayList<>(ids.size());
    List<List<List<Span>>> chunksPerTrace = new ArrayList<>(ids.size());
    for (TraceId id : ids) {
      statements.add(st.selectChunks.bind(id));
      chunksPerTrace.add(new ArrayList<>());
    }
    Reads.forEachRow(
        st.ctx.session(),
        statements,
        (row, i) -> {
          ByteBuffer payload = row.getByteBuffer(0);
          byte[] bytes = new byte[payload.remaining()];
          payload.get(bytes);
          chunksPerTrace.get(i).add(ChunkDecoder.decode(bytes, ids.get(i), dictionaries));
        },
        ids.size() == 1 ? "reading trace " + ids.get(0).toHex() : "reading " + ids.size() + " traces");
    List<List<Span>> out = new ArrayList<>(ids.size());
    for (List<List<Span>> chunks : chunksPerTrace) {
      out.add(chunks.isEmpty() ? List.of() : Spans.dedupeAndSort(chunks));
    }
    return out;
  }

  @Override
  public SearchResult search(SearchRequest request) {
    return search.search(Objects.requireNonNull(request, "request == null"));
  }

  @Override
  public List<String> services() {
    return sortedStrings(st.selectServiceNames.bind(), "listing services");
  }

  @Override
  public List<Operation> operations(String service) {
    Objects.requireNonNull(service, "service == null");
    TreeSet<Operation> out =
        new TreeSet<>(
            java.util.Comparator.comparing(Operation::name).thenComparing(Operation::kind));
    Reads.forEachRow(
        st.ctx.session(),
        st.selectOperationNames.bind(service),
        (row, i) -> out.add(new Operation(service, row.getString(0), SpanKind.valueOf(row.getString(1)))),
        "listing operations of " + service);
    return List.copyOf(out);
  }

  @Override
  public List<String> remoteServices(String service) {
    Objects.requireNonNull(service, "service == null");
    return sortedStrings(st.selectRemoteServiceNames.bind(service), "listing remote services of " + service);
  }

  @Override
  public List<String> tagKeys() {
    return sortedStrings(st.selectTagKeys.bind(), "listing tag keys");
  }

  @Override
  public List<String> tagValues(String key) {
    Objects.requireNonNull(key, "key == null");
    return sortedStrings(st.selectTagValues.bind(key), "listing values of tag " + key);
  }

  /** Sorted by {@link String#compareTo}, whatever order Cassandra's collation returned. */
  private List<String> sortedStrings(BoundStatement statement, String what) {
    TreeSet<String> out = new TreeSet<>();
    Reads.forEachRow(st.ctx.session(), statement, (row, i) -> out.add(row.getString(0)), what);
    return List.copyOf(out);
  }
}
