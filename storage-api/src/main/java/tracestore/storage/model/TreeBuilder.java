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
 *       id (the two halves of a shared span), it prefers one of its own service (the SERVER half
 *       if both are), then the SERVER half, then the earliest.
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
    HashMap<Long, SameId> byId = new HashMap<>(n * 2);
    for (TraceNode node : nodes) {
      byId.computeIfAbsent(node.span().spanId(), k -> new SameId()).add(node);
    }

    int[] parent = new int[n];
    Arrays.fill(parent, -1);
    for (int i = 0; i < n; i++) {
      TraceNode node = nodes[i];
      Span s = node.span();
      if (s.kind() == SpanKind.SERVER) {
        TraceNode client = byId.get(s.spanId()).firstClient;
        if (client != null) {
          parent[i] = client.index;
          node.flag(TraceNode.Flag.SHARED);
          continue;
        }
      }
      if (s.parentSpanId() == 0) continue;
      SameId candidates = byId.get(s.parentSpanId());
      if (candidates == null) {
        node.flag(TraceNode.Flag.ORPHAN);
      } else {
        parent[i] = candidates.parentFor(s.service()).index;
      }
    }

    breakCycles(nodes, parent);

    TraceNode root = chooseRoot(nodes, parent);
    for (int i = 0; i < n; i++) {
      if (parent[i] != -1 || i == root.index) continue;
      parent[i] = root.index;
      if (!nodes[i].has(TraceNode.Flag.ORPHAN) && !nodes[i].has(TraceNode.Flag.CYCLE)) {
        nodes[i].flag(TraceNode.Flag.EXTRA_ROOT);
      }
    }

    // Children in index order, which is trace order: start time, then span id, kind, service.
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

  /**
   * The nodes that share one span id (usually one; two for a shared span), with the answers to
   * the lookups precomputed, so a lookup is O(1) however many nodes share the id.
   */
  private static final class SameId {
    TraceNode first;
    TraceNode firstClient;
    TraceNode firstServer;
    /** Per service: {first node, first SERVER node}; only once a second node arrives. */
    HashMap<String, TraceNode[]> byService;

    /** Nodes arrive in trace order, so "first" means earliest. */
    void add(TraceNode node) {
      SpanKind kind = node.span().kind();
      if (kind == SpanKind.CLIENT && firstClient == null) firstClient = node;
      if (kind == SpanKind.SERVER && firstServer == null) firstServer = node;
      if (first == null) {
        first = node;
        return;
      }
      if (byService == null) {
        byService = new HashMap<>(4);
        index(first);
      }
      index(node);
    }

    private void index(TraceNode node) {
      TraceNode[] slot = byService.computeIfAbsent(node.span().service(), k -> new TraceNode[2]);
      if (slot[0] == null) slot[0] = node;
      if (slot[1] == null && node.span().kind() == SpanKind.SERVER) slot[1] = node;
    }

    /** Prefers the child's own service (its SERVER node first), then a SERVER, then the earliest. */
    TraceNode parentFor(String childService) {
      if (byService == null) return first;
      TraceNode[] slot = byService.get(childService);
      if (slot != null) return slot[1] != null ? slot[1] : slot[0];
      return firstServer != null ? firstServer : first;
    }
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
