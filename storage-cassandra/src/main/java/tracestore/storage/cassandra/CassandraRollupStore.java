package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * Retention's view of the Cassandra backend (schema V002). Aggregates live in one partition per day,
 * clustered by bucket first; raw data is never deleted by statement (TTL expires it). Writes go out
 * asynchronously in windows of {@link #WINDOW} statements; reads block. Thread-safe.
 */
final class CassandraRollupStore implements RollupStore {
  static final long DAY_NANOS = 24 * Buckets.BUCKET_NANOS;
  /** Statements in flight at once per write call. */
  static final int WINDOW = 32;
  /** Segments (or V003 postings) fetched per page while walking the index. */
  static final int INDEX_PAGE = 100;

  private final CqlSession session;
  private final Statements statements;
  private final RollupStatements rs;
  private final ChunkDictionaries dictionaries;
  private final boolean legacyIndexes;

  CassandraRollupStore(Statements statements, RollupStatements rollupStatements,
      ChunkDictionaries dictionaries) {
    this.dictionaries = dictionaries;
    this.session = statements.ctx.session();
    this.statements = statements;
    this.rs = rollupStatements;
    this.legacyIndexes = statements.selectLegacyIndexes.anyRow();
  }

  static long dayOf(long epochNanos) {
    return Math.floorDiv(epochNanos, DAY_NANOS);
  }

  /**
   * Walks the index hour by hour: for each known service, the service entries of the segments of the
   * hours that overlap [from, to) (and V003's service postings while they exist) name the traces; each trace's chunks are read, and a chunk is delivered when
   * its earliest start lies in [from, to) and in the hour being walked, so exactly once. Memory holds
   * one hour's distinct trace ids. Costs one index read per (service, hour) plus one partition read
   * per trace, per hour; see RATIONALE.md.
   */
  @Override
  public void scanRaw(long fromEpochNanos, long toEpochNanos, Consumer<List<Span>> chunkSpans) {
    Objects.requireNonNull(chunkSpans, "chunkSpans == null");
    if (toEpochNanos <= fromEpochNanos) return;
    List<String> services = new ArrayList<>();
    for (Row r : execute(statements.selectServiceNames.bind(), "listing services for the raw scan")) {
      services.add(r.getString(0));
    }
    int first = Buckets.of(fromEpochNanos);
    int last = Buckets.of(toEpochNanos - 1);
    for (int hour = first; hour <= last; hour++) {
      Set<TraceId> traces = new TreeSet<>();
      for (String service : services) {
        int bucket = hour;
        ResultSet segments = execute(statements.selectSegmentEntries.bindAll(service, hour, INDEX_PAGE),
            "reading the index segments of " + service + " for the raw scan");
        for (Row p : segments) {
          if (p.getLong(1) < fromEpochNanos || p.getLong(0) >= toEpochNanos) continue;
          ByteBuffer blob = p.getByteBuffer(2);
          if (blob == null) continue;
          IndexSegment.scan(blob, bucket, IndexSegment.SERVICE, "", "", (id, start, duration, error) -> {
            if (start >= fromEpochNanos && start < toEpochNanos) traces.add(id);
          });
        }
        if (!legacyIndexes) continue;
        ResultSet postings = execute(statements.selectServiceIndex.bind(service, hour, INDEX_PAGE),
            "reading the service index of " + service + " for the raw scan");
        for (Row p : postings) {
          if (p.getLong(1) < fromEpochNanos || p.getLong(0) >= toEpochNanos) continue;
          ByteBuffer blob = p.getByteBuffer(2);
          if (blob == null) continue;
          Postings.decode(blob, Postings.SERVICE_WIDTH, (id, start, duration, error) -> {
            if (start >= fromEpochNanos && start < toEpochNanos) traces.add(id);
          });
        }
      }
      for (TraceId id : traces) {
        for (Row c : execute(rs.selectChunkStarts.bind(id), "reading the chunks of trace " + id)) {
          long minStart = c.getLong(0);
          if (minStart < fromEpochNanos || minStart >= toEpochNanos || Buckets.of(minStart) != hour) continue;
          chunkSpans.accept(ChunkDecoder.decode(bytes(c.getByteBuffer(1)), id, dictionaries));
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> writeRollups(List<Rollup> rollups) {
    List<BoundStatement> rows = new ArrayList<>(rollups.size());
    Set<Long> days = new HashSet<>();
    for (Rollup r : rollups) {
      long day = dayOf(r.bucketStartEpochNanos());
      days.add(day);
      rows.add(rs.ctx.write(rs.insertRollup).setLong(0, day).setLong(1, r.bucketStartEpochNanos())
          .setString(2, r.service()).setString(3, r.operation()).setInt(4, r.kind().ordinal())
          .setLong(5, r.count()).setLong(6, r.errorCount())
          .setByteBuffer(7, ByteBuffer.wrap(r.latencySketch())).build());
    }
    return writeWithDays("rollups", days, rows, "writing " + rows.size() + " rollups");
  }

  @Override
  public List<Rollup> readRollups(String service, long fromEpochNanos, long toEpochNanos) {
    boolean any = service == null || service.isEmpty();
    List<Rollup> out = new ArrayList<>();
    for (long day : days("rollups", fromEpochNanos, toEpochNanos)) {
      BoundStatement st = rs.ctx.read(rs.selectRollups).setLong(0, day).setLong(1, fromEpochNanos)
          .setLong(2, toEpochNanos).build();
      for (Row r : execute(st, "reading rollups")) {
        if (!any && !service.equals(r.getString(1))) continue;
        out.add(new Rollup(r.getString(1), r.getString(2), SpanKind.ofOrdinal(r.getInt(3)), r.getLong(0),
            r.getLong(4), r.getLong(5), bytes(r.getByteBuffer(6))));
      }
    }
    return out;
  }

  @Override
  public CompletionStage<Void> writeLinks(List<DependencyLink> links) {
    List<BoundStatement> rows = new ArrayList<>(links.size());
    Set<Long> days = new HashSet<>();
    for (DependencyLink l : links) {
      long day = dayOf(l.bucketStartEpochNanos());
      days.add(day);
      rows.add(rs.ctx.write(rs.insertLink).setLong(0, day).setLong(1, l.bucketStartEpochNanos())
          .setString(2, l.parent()).setString(3, l.child()).setLong(4, l.calls()).setLong(5, l.errors())
          .build());
    }
    return writeWithDays("dependency_links", days, rows, "writing " + rows.size() + " dependency links");
  }

  @Override
  public List<DependencyLink> readLinks(long fromEpochNanos, long toEpochNanos) {
    List<DependencyLink> out = new ArrayList<>();
    for (long day : days("dependency_links", fromEpochNanos, toEpochNanos)) {
      BoundStatement st = rs.ctx.read(rs.selectLinks).setLong(0, day).setLong(1, fromEpochNanos)
          .setLong(2, toEpochNanos).build();
      for (Row r : execute(st, "reading dependency links")) {
        out.add(new DependencyLink(r.getString(1), r.getString(2), r.getLong(0), r.getLong(3), r.getLong(4)));
      }
    }
    return out;
  }

  @Override
  public CompletionStage<Void> writeExemplars(List<Exemplar> exemplars) {
    List<BoundStatement> rows = new ArrayList<>(exemplars.size());
    Set<Long> days = new HashSet<>();
    for (Exemplar e : exemplars) {
      long day = dayOf(e.bucketStartEpochNanos());
      days.add(day);
      rows.add(rs.ctx.write(rs.insertExemplar).setLong(0, day).setLong(1, e.bucketStartEpochNanos())
          .setString(2, e.service()).setString(3, e.operation()).setInt(4, e.reason().ordinal())
          .setByteBuffer(5, ByteBuffer.wrap(e.traceId().toBytes())).setLong(6, e.durationNanos())
          .setByteBuffer(7, ByteBuffer.wrap(e.payload())).build());
    }
    return writeWithDays("exemplars", days, rows, "writing " + rows.size() + " exemplars");
  }

  /** In clustering order: bucket, service, operation, reason, trace id (unsigned bytes). */
  @Override
  public List<Exemplar> readExemplars(String service, long fromEpochNanos, long toEpochNanos) {
    boolean any = service == null || service.isEmpty();
    List<Exemplar> out = new ArrayList<>();
    for (long day : days("exemplars", fromEpochNanos, toEpochNanos)) {
      BoundStatement st = rs.ctx.read(rs.selectExemplars).setLong(0, day).setLong(1, fromEpochNanos)
          .setLong(2, toEpochNanos).build();
      for (Row r : execute(st, "reading exemplars")) {
        if (!any && !service.equals(r.getString(1))) continue;
        out.add(new Exemplar(r.getString(1), r.getString(2), r.getLong(0),
            TraceId.fromBytes(bytes(r.getByteBuffer(4))), Exemplar.Reason.values()[r.getInt(3)], r.getLong(5),
            bytes(r.getByteBuffer(6))));
      }
    }
    return out;
  }

  @Override
  public OptionalLong watermark(String job) {
    Objects.requireNonNull(job, "job == null");
    Row r = execute(rs.ctx.read(rs.selectWatermark).setString(0, job).build(), "reading the watermark of " + job).one();
    return r == null || r.isNull(0) ? OptionalLong.empty() : OptionalLong.of(r.getLong(0));
  }

  @Override
  public void setWatermark(String job, long epochNanos) {
    Objects.requireNonNull(job, "job == null");
    execute(rs.ctx.write(rs.upsertWatermark).setString(0, job).setLong(1, epochNanos).build(),
        "setting the watermark of " + job);
  }

  /**
   * A lightweight transaction: {@code INSERT IF NOT EXISTS USING TTL} takes a free lease (an expired
   * one is gone by TTL); when the row exists and is ours, an owner-conditional {@code UPDATE USING TTL}
   * renews it. Expiry is Cassandra's clock, in whole seconds (rounded up).
   */
  @Override
  public boolean tryLease(String name, String owner, Duration ttl) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(owner, "owner == null");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease ttl must be positive, got " + ttl);
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, (ttl.toMillis() + 999) / 1000);
    String doing = "taking lease " + name;
    ResultSet taken = execute(rs.ctx.write(rs.takeLease).setString(0, name).setString(1, owner)
        .setInt(2, seconds).build(), doing);
    if (taken.wasApplied()) return true;
    Row current = taken.one();
    if (current == null || !owner.equals(current.getString("owner"))) return false;
    return execute(rs.ctx.write(rs.renewLease).setInt(0, seconds).setString(1, owner).setString(2, name)
        .setString(3, owner).build(), doing).wasApplied();
  }

  @Override
  public void releaseLease(String name, String owner) {
    execute(rs.ctx.write(rs.releaseLease).setString(0, name).setString(1, owner).build(), "releasing lease " + name);
  }

  /** A no-op returning 0: raw chunks and index rows expire by their table TTL (V001, 7 days). */
  @Override
  public long deleteRawBefore(long epochNanos) {
    return 0;
  }

  @Override
  public long deleteRollupsBefore(long epochNanos) {
    return deleteBefore(rs.rollupDeletes, epochNanos) + deleteBefore(rs.linkDeletes, epochNanos);
  }

  @Override
  public long deleteExemplarsBefore(long epochNanos) {
    return deleteBefore(rs.exemplarDeletes, epochNanos);
  }

  /** Whole days before the cutoff: one partition delete each; the cutoff's day: one range delete. */
  private long deleteBefore(RollupStatements.TableDeletes t, long epochNanos) {
    long cutoffDay = dayOf(epochNanos);
    String doing = "deleting " + t.table + " before " + epochNanos;
    long deleted = 0;
    for (long day : days(t.table, Long.MIN_VALUE, epochNanos + 1)) {
      Row n = execute(rs.ctx.read(t.countBefore).setLong(0, day).setLong(1, epochNanos).build(), doing).one();
      long count = n == null ? 0 : n.getLong(0);
      if (day < cutoffDay) {
        execute(rs.ctx.write(t.deletePartition).setLong(0, day).build(), doing);
        execute(rs.ctx.write(rs.deleteDay).setString(0, t.table).setLong(1, day).build(), doing);
      } else if (count > 0) {
        execute(rs.ctx.write(t.deleteBefore).setLong(0, day).setLong(1, epochNanos).build(), doing);
      }
      deleted += count;
    }
    return deleted;
  }

  /** Days listed for {@code table} whose partitions may hold buckets in [from, to). */
  private List<Long> days(String table, long fromEpochNanos, long toEpochNanos) {
    List<Long> out = new ArrayList<>();
    if (toEpochNanos <= fromEpochNanos) return out;
    BoundStatement st = rs.ctx.read(rs.selectDays).setString(0, table).setLong(1, dayOf(fromEpochNanos))
        .setLong(2, dayOf(toEpochNanos - 1)).build();
    for (Row r : execute(st, "listing the days of " + table)) out.add(r.getLong(0));
    return out;
  }

  /** Lists the days first, so a reader or a delete never misses rows that were written. */
  private CompletionStage<Void> writeWithDays(String table, Set<Long> days, List<BoundStatement> rows, String doing) {
    List<BoundStatement> dayRows = new ArrayList<>(days.size());
    for (long day : days) dayRows.add(rs.ctx.write(rs.insertDay).setString(0, table).setLong(1, day).build());
    CompletableFuture<Void> done = new CompletableFuture<>();
    writeWindows(dayRows, 0, done, doing);
    CompletableFuture<Void> all = new CompletableFuture<>();
    done.whenComplete((v, e) -> {
      if (e != null) all.completeExceptionally(e);
      else writeWindows(rows, 0, all, doing);
    });
    return all;
  }

  /** Issues {@code rows} from {@code from} in windows of {@link #WINDOW}, each after the previous. */
  private void writeWindows(List<BoundStatement> rows, int from, CompletableFuture<Void> done, String doing) {
    if (from >= rows.size()) {
      done.complete(null);
      return;
    }
    int to = Math.min(rows.size(), from + WINDOW);
    CompletableFuture<?>[] window = new CompletableFuture<?>[to - from];
    try {
      for (int i = from; i < to; i++) {
        CompletionStage<AsyncResultSet> f = session.executeAsync(rows.get(i));
        window[i - from] = f.toCompletableFuture();
      }
    } catch (RuntimeException e) {
      done.completeExceptionally(Failures.map(e, doing));
      return;
    }
    CompletableFuture.allOf(window).whenComplete((v, e) -> {
      if (e != null) done.completeExceptionally(Failures.map(e, doing));
      else writeWindows(rows, to, done, doing);
    });
  }

  private ResultSet execute(BoundStatement st, String doing) {
    try {
      return session.execute(st);
    } catch (RuntimeException e) {
      throw Failures.map(e, doing);
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) return new byte[0];
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
