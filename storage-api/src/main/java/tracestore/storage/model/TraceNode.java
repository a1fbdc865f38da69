package tracestore.storage.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One span in an assembled {@link Trace}: its place in the tree and its timing analysis.
 *
 * <p>Immutable once its trace is built. Equality is identity: a node belongs to one trace. Nothing
 * here recurses over the tree, so traces of any depth are safe to walk and to print.
 */
public final class TraceNode {

  /** Why a node sits where it does, or what was repaired to put it there. */
  public enum Flag {
    /** Its parent was not received; it hangs under the root (or is the root, if nothing else is). */
    ORPHAN,
    /** A second parentless span; it hangs under the earliest one, the root. */
    EXTRA_ROOT,
    /** Its parent link closed a cycle of parent ids; the link was cut and it hangs under the root. */
    CYCLE,
    /** The SERVER half of a Zipkin shared span; it hangs under the CLIENT half with the same id. */
    SHARED,
    /** Several copies of this span were received and merged into one. */
    MERGED
  }

  private final Span span;
  final int index;
  final int copies;
  TraceNode parent;
  List<TraceNode> children = List.of();
  int depth;
  int flags;
  long selfTimeNanos;
  long criticalPathNanos;

  TraceNode(Span span, int index, int copies) {
    this.span = span;
    this.index = index;
    this.copies = copies;
    if (copies > 1) flag(Flag.MERGED);
  }

  void flag(Flag f) {
    flags |= 1 << f.ordinal();
  }

  public Span span() {
    return span;
  }

  /** The parent in the assembled tree (which may differ from the span's parent id); null at the root. */
  public TraceNode parent() {
    return parent;
  }

  /** Unmodifiable, sorted by start time, then span id, then kind and service. */
  public List<TraceNode> children() {
    return children;
  }

  /** Zero at the root. */
  public int depth() {
    return depth;
  }

  public boolean has(Flag flag) {
    return (flags & (1 << flag.ordinal())) != 0;
  }

  /** A fresh copy of the flags. */
  public Set<Flag> flags() {
    EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
    for (Flag f : Flag.values()) if (has(f)) set.add(f);
    return set;
  }

  public boolean isOrphan() {
    return has(Flag.ORPHAN);
  }

  /** How many received copies were merged into this span; 1 when it was not duplicated. */
  public int copies() {
    return copies;
  }

  /**
   * Nanoseconds of this span not covered by any child: its duration minus the union of its
   * children's intervals clipped to its own. Overlapping children are counted once.
   */
  public long selfTimeNanos() {
    return selfTimeNanos;
  }

  /** Nanoseconds this span spends on the trace's critical path; zero when it is not on it. */
  public long criticalPathNanos() {
    return criticalPathNanos;
  }

  @Override
  public String toString() {
    return "TraceNode{" + span + " depth=" + depth + " flags=" + flags() + '}';
  }
}
