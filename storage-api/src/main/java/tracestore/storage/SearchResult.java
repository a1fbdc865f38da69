package tracestore.storage;

import java.util.List;

/**
 * One page of hits, newest first.
 *
 * @param hits at most {@code limit} distinct traces; from a backend, exactly {@code limit} unless
 *     {@code complete}; from a {@link VerifyingReader}, possibly fewer when it hit its bound on the
 *     candidates it examines (then not complete)
 * @param nextCursor pass it back to get the next page; null when {@code complete}. Build it with
 *     {@link SearchCursor#after}, so cursors are the same on every backend
 * @param complete true when no further hits exist for this request: nothing was dropped
 */
public record SearchResult(List<TraceHit> hits, String nextCursor, boolean complete) {
  public SearchResult {
    hits = List.copyOf(hits);
    if (complete != (nextCursor == null)) {
      throw new IllegalArgumentException("a result has a cursor if and only if it is incomplete");
    }
  }
}
