package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.ObjIntConsumer;

/**
 * Blocking reads for the reader side (reads are synchronous by design, see RATIONALE.md): up to
 * {@link #PARALLELISM} statements in flight at once, every page consumed on the caller's thread, so
 * no row processing runs on the driver's I/O threads.
 */
final class Reads {
  static final int PARALLELISM = 32;

  private Reads() {}

  /** Calls {@code consumer} with each row and the index of the statement that returned it. */
  static void forEachRow(
      CqlSession session, List<? extends Statement<?>> statements, ObjIntConsumer<Row> consumer, String what) {
    try {
      for (int from = 0; from < statements.size(); from += PARALLELISM) {
        int to = Math.min(statements.size(), from + PARALLELISM);
        List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) pending.add(session.executeAsync(statements.get(i)).toCompletableFuture());
        for (int i = from; i < to; i++) {
          AsyncResultSet rs = pending.get(i - from).get();
          while (true) {
            for (Row row : rs.currentPage()) consumer.accept(row, i);
            if (!rs.hasMorePages()) break;
            rs = rs.fetchNextPage().toCompletableFuture().get();
          }
        }
      }
    } catch (ExecutionException e) {
      throw Failures.map(e.getCause(), what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.map(e, what);
    } catch (RuntimeException e) {
      throw Failures.map(e, what);
    }
  }

  static void forEachRow(CqlSession session, Statement<?> statement, ObjIntConsumer<Row> consumer, String what) {
    forEachRow(session, List.of(statement), consumer, what);
  }
}
