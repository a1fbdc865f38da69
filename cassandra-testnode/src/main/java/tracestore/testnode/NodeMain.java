package tracestore.testnode;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * The main class of the forked node JVM. It first starts a watcher that halts the JVM as soon as
 * its owner process (the build, or whoever launched it) is gone, so a node never outlives the
 * build, even when the build is killed. Then it runs {@code CassandraDaemon.main}, looked up by
 * name because Cassandra's classes exist only on the forked JVM's classpath, never on ours.
 */
public final class NodeMain {
  /** System property naming the pid whose exit stops the node; absent means no watch. */
  public static final String OWNER_PID_PROPERTY = "tracestore.testnode.ownerPid";

  private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";

  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    String owner = System.getProperty(OWNER_PID_PROPERTY);
    if (owner != null) watchOwner(Long.parseLong(owner));
    try {
      Class.forName(DAEMON).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }

  private static void watchOwner(long pid) {
    Optional<ProcessHandle> owner = ProcessHandle.of(pid);
    if (owner.isEmpty() || !owner.get().isAlive()) {
      System.err.println("owner process " + pid + " is gone; not starting");
      Runtime.getRuntime().halt(3);
    }
    Thread watcher =
        new Thread(
            () -> {
              owner.get().onExit().join();
              System.err.println("owner process " + pid + " exited; stopping the test node");
              // halt, not exit: a test node's shutdown hooks (drain, flush) only slow the build's end
              Runtime.getRuntime().halt(0);
            },
            "tracestore-owner-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
