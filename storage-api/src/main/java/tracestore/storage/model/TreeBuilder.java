package tracestore.storage.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;

/**
 * Links deduplicated nodes into one tree, in O(n) after the sort, without recursion.
 *
 * <ol>
 *   <li>A SERVER span with the span id of a CLIENT span (Zipkin's shared span) hangs under that
 *       CLIENT half, whatever its parent id says.
 *   <li>Otherwise a span hangs under the span its parent id names. When several spans carry that
 *       id (the two halves of a shared span), it prefers one of its own service, then the SERVER
 *       half, then the earliest.
 *   <li>A parent id that names no received span makes an orphan. A chain of parent ids that loops
 *       is cut at its earliest span.
 *   <li>The root is the earliest parentless span; failing that, the earliest span whose parent
 *       link was missing or cut. Every other such span hangs under the root, flagged.
 * </ol>
 */
final class TreeBuilder {
  private TreeBuilder() {}

  /** Links {@code nodes} (sorted in trace order) and returns the root. */
  static TraceNode link(TraceNode[] nodes) {
    int n = nodes.length;
    HashMap<Long, TraceNode> firstById = new HashMap<>(n * 2);
    for (int i = n - 1; i >= 0; i--) {
      nodes[i].nextSameId = firstById.put(nodes[i].span().spanId(), nodes[i]);
    }

    int[] parent = new int[n];
    Arrays.fill(parent, -1);
    for (int i = 0; i < n; i++) {
      TraceNode node = nodes[i];
      Span s = node.span();
      if (s.kind() == SpanKind.SERVER) {
        TraceNode client = sharedClient(firstById.get(s.spanId()));
        if (client != null) {
          parent[i] = client.index;
          node.flag(TraceNode.Flag.SHARED);
          continue;
        }
      }
      if (s.parentSpanId() == 0) continue;
      TraceNode p = pickParent(firstById.get(s.parentSpanId()), s.service());
      if (p == null) {
        node.flag(TraceNode.Flag.ORPHAN);
      } else {
        parent[i] = p.index;
      }
    }
    for (TraceNode node : nodes) node.nextSameId = null;

    breakCycles(nodes, parent);

    TraceNode root = chooseRoot(nodes, parent);
    for (int i = 0; i < n; i++) {
      if (parent[i] != -1 || i == root.index) continue;
      parent[i] = root.index;
      if (!nodes[i].has(TraceNode.Flag.ORPHAN) && !nodes[i].has(TraceNode.Flag.CYCLE)) {
        nodes[i].flag(TraceNode.Flag.EXTRA_ROOT);
      }
    }

    // Children in index order, which is trace order: start time, then span id, service, kind.
    List<ArrayList<TraceNode>> kids = new ArrayList<>(Collections.nCopies(n, null));
    for (int i = 0; i < n; i++) {
      int p = parent[i];
      if (p == -1) continue;
      nodes[i].parent = nodes[p];
      if (kids.get(p) == null) kids.set(p, new ArrayList<>(4));
      kids.get(p).add(nodes[i]);
    }
    for (int i = 0; i < n; i++) {
      if (kids.get(i) != null) nodes[i].children = Collections.unmodifiableList(kids.get(i));
    }
    setDepths(root, n);
    return root;
  }

  private static TraceNode sharedClient(TraceNode sameId) {
    for (TraceNode c = sameId; c != null; c = c.nextSameId) {
      if (c.span().kind() == SpanKind.CLIENT) return c;
    }
    return null;
  }

  private static TraceNode pickParent(TraceNode candidates, String service) {
    TraceNode sameServiceServer = null, sameService = null, server = null;
    for (TraceNode c = candidates; c != null; c = c.nextSameId) {
      boolean same = c.span().service().equals(service);
      boolean isServer = c.span().kind() == SpanKind.SERVER;
      if (same && isServer && sameServiceServer == null) sameServiceServer = c;
      if (same && sameService == null) sameService = c;
      if (isServer && server == null) server = c;
    }
    if (sameServiceServer != null) return sameServiceServer;
    if (sameService != null) return sameService;
    if (server != null) return server;
    return candidates;
  }

  /** Finds each cycle of parent links with one walk per node (O(n) total) and cuts it. */
  private static void breakCycles(TraceNode[] nodes, int[] parent) {
    int[] visitedBy = new int[nodes.length]; // 0 = not yet; else 1 + the walk's start
    for (int start = 0; start < nodes.length; start++) {
      if (visitedBy[start] != 0) continue;
      int mark = start + 1;
      int j = start;
      while (j != -1 && visitedBy[j] == 0) {
        visitedBy[j] = mark;
        j = parent[j];
      }
      if (j == -1 || visitedBy[j] != mark) continue; // reached a root or an earlier walk
      // j is on a cycle found by this walk: cut it at its earliest node.
      int earliest = j;
      for (int k = parent[j]; k != j; k = parent[k]) earliest = Math.min(earliest, k);
      parent[earliest] = -1;
      nodes[earliest].flag(TraceNode.Flag.CYCLE);
    }
  }

  private static TraceNode chooseRoot(TraceNode[] nodes, int[] parent) {
    TraceNode detached = null;
    for (int i = 0; i < nodes.length; i++) {
      if (parent[i] != -1) continue;
      TraceNode node = nodes[i];
      if (node.span().parentSpanId() == 0 && !node.has(TraceNode.Flag.CYCLE)) return node;
      if (detached == null) detached = node;
    }
    return detached; // never null: cutting every cycle leaves at least one node without a parent
  }

  private static void setDepths(TraceNode root, int n) {
    TraceNode[] queue = new TraceNode[n];
    int head = 0, tail = 0;
    queue[tail++] = root;
    while (head < tail) {
      TraceNode node = queue[head++];
      List<TraceNode> kids = node.children;
      for (int i = 0, k = kids.size(); i < k; i++) {
        TraceNode c = kids.get(i);
        c.depth = node.depth + 1;
        queue[tail++] = c;
      }
    }
  }
}
