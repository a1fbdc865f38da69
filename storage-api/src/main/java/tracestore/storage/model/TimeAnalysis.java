package tracestore.storage.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Self time and the critical path of a linked tree; iterative, O(n log n) in all. */
final class TimeAnalysis {
  private TimeAnalysis() {}

  /**
   * Sets each node's self time: its duration minus the union of its children's intervals clipped to
   * its own. Children are sorted by start, so one sweep per node merges overlapping intervals.
   */
  static void selfTimes(TraceNode[] nodes) {
    for (TraceNode node : nodes) {
      long start = node.span().startEpochNanos();
      long end = node.span().endEpochNanos();
      long covered = 0;
      long runStart = 0, runEnd = 0;
      boolean inRun = false;
      List<TraceNode> kids = node.children;
      for (int i = 0, n = kids.size(); i < n; i++) {
        Span c = kids.get(i).span();
        long s = Math.max(c.startEpochNanos(), start);
        long e = Math.min(c.endEpochNanos(), end);
        if (e <= s) continue; // outside the parent, or zero length
        if (inRun && s <= runEnd) {
          runEnd = Math.max(runEnd, e);
        } else {
          if (inRun) covered += runEnd - runStart;
          runStart = s;
          runEnd = e;
          inRun = true;
        }
      }
      if (inRun) covered += runEnd - runStart;
      node.selfTimeNanos = (end - start) - covered;
    }
  }

  /**
   * The critical path, walking back from the root's end: the parent owns the time until the child
   * that finished last before the current point; that child's own path is taken over its interval;
   * the walk goes on from the child's start. Children are clipped to their parent's window, so a
   * child that outlives its parent (or starts before it) counts only inside it; children of zero
   * length, or clipped to nothing, are passed over. Children that overlap the chosen one are not
   * waited on and are skipped. The segments, in time order, cover the root's interval exactly; a
   * root of zero duration gives one empty segment. Also sets each node's critical path nanos.
   */
  static List<CriticalPathSegment> criticalPath(TraceNode root) {
    ArrayList<CriticalPathSegment> backwards = new ArrayList<>();
    long rootStart = root.span().startEpochNanos();
    long rootEnd = root.span().endEpochNanos();
    if (rootEnd == rootStart) {
      return List.of(new CriticalPathSegment(root, rootStart, rootEnd));
    }
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, rootStart, rootEnd));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      Frame next = null;
      while (f.k < f.kids.length) {
        TraceNode c = f.kids[f.k++];
        long cs = Math.max(c.span().startEpochNanos(), f.windowStart);
        long ce = Math.min(c.span().endEpochNanos(), f.windowEnd);
        if (ce <= cs || ce > f.cursor) continue;
        if (ce < f.cursor) emit(backwards, f.node, ce, f.cursor);
        f.cursor = cs;
        next = new Frame(c, cs, ce);
        break;
      }
      if (next != null) {
        stack.push(next);
      } else {
        if (f.cursor > f.windowStart) emit(backwards, f.node, f.windowStart, f.cursor);
        stack.pop();
      }
    }
    Collections.reverse(backwards);
    return backwards;
  }

  private static void emit(List<CriticalPathSegment> out, TraceNode node, long start, long end) {
    out.add(new CriticalPathSegment(node, start, end));
    node.criticalPathNanos += end - start;
  }

  /** One node being walked: its clipped window, the walk's current point, and its next child. */
  private static final class Frame {
    final TraceNode node;
    final long windowStart;
    final long windowEnd;
    long cursor;
    final TraceNode[] kids;
    int k;

    Frame(TraceNode node, long windowStart, long windowEnd) {
      this.node = node;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.cursor = windowEnd;
      this.kids = node.children.toArray(new TraceNode[0]);
      // Latest clipped end first; on a tie the longer child (earlier clipped start), then trace order.
      java.util.Arrays.sort(
          kids,
          (a, b) -> {
            int c = Long.compare(clipEnd(b), clipEnd(a));
            if (c != 0) return c;
            c = Long.compare(clipStart(a), clipStart(b));
            return c != 0 ? c : Integer.compare(a.index, b.index);
          });
    }

    long clipEnd(TraceNode c) {
      return Math.min(c.span().endEpochNanos(), windowEnd);
    }

    long clipStart(TraceNode c) {
      return Math.max(c.span().startEpochNanos(), windowStart);
    }
  }
}
