package tracestore.testnode;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Starts, reuses and stops one forked Cassandra node living in a directory of its own ({@code conf/},
 * {@code data/}, {@code logs/}, {@code node.properties}, {@code node.pid}).
 *
 * <ul>
 *   <li>Start is guarded by an inter-process file lock, so test JVMs of several modules share one
 *       node: the first starts it, the others find it answering and reuse it.
 *   <li>The node watches an owner pid (by default the parent of the calling JVM, which is Maven when
 *       surefire forked the tests) and halts when the owner exits, so it never outlives the build.
 *   <li>A fresh start wipes {@code data/}; {@link #restart} keeps data and ports, like a real node
 *       coming back.
 * </ul>
 *
 * <p>Also a command line for local use and CI traps: {@code java -cp cassandra-testnode/target/classes
 * tracestore.testnode.NodeLauncher start|stop|status [dir]}.
 */
public final class NodeLauncher {
  /** The preferred native port of the shared node; any free port when it is taken. */
  public static final int PREFERRED_NATIVE_PORT = 9042;

  static final String HOST = "127.0.0.1";
  private static final String STATE_FILE = "node.properties";
  private static final String PID_FILE = "node.pid";

  private final Path dir;
  private final Path serverClasspathFile;
  private final int preferredNativePort;
  private final String heap;
  private final boolean durableSchema;
  private final boolean syncCommitLog;

  private NodeLauncher(
      Path dir,
      Path serverClasspathFile,
      int preferredNativePort,
      String heap,
      boolean durableSchema,
      boolean syncCommitLog) {
    this.dir = dir.toAbsolutePath();
    this.serverClasspathFile = serverClasspathFile;
    this.preferredNativePort = preferredNativePort;
    this.heap = heap;
    this.durableSchema = durableSchema;
    this.syncCommitLog = syncCommitLog;
  }

  /** The node shared by the build, under the root's {@code target/cassandra-node}. */
  public static NodeLauncher shared() {
    Path root = BuildPaths.root();
    return new NodeLauncher(
        BuildPaths.sharedNodeDir(root), BuildPaths.serverClasspathFile(root), PREFERRED_NATIVE_PORT, "1G", false, false);
  }

  /**
   * A node of its own in {@code dir}, on free ports, whose schema survives a kill: for tests that
   * stop, kill and restart their node, and for benchmarks.
   *
   * @param heap the JVM heap, as in {@code -Xmx}, for example {@code "1G"}
   */
  public static NodeLauncher dedicated(Path dir, String heap) {
    return new NodeLauncher(dir, BuildPaths.serverClasspathFile(BuildPaths.root()), 0, heap, true, false);
  }

  /**
   * Like {@link #dedicated}, but crash-safe: the commit log is synced before a write is acknowledged
   * ({@code commitlog_sync: group}), so a {@link #kill()} loses no acknowledged write. Cassandra's
   * default ({@code periodic}, 10 s) may lose the last seconds of a killed single node.
   */
  public static NodeLauncher dedicatedCrashSafe(Path dir, String heap) {
    return new NodeLauncher(dir, BuildPaths.serverClasspathFile(BuildPaths.root()), 0, heap, true, true);
  }

  public Path directory() {
    return dir;
  }

  /** Where the node logs; error messages point here. */
  public Path systemLog() {
    return dir.resolve("logs").resolve("system.log");
  }

  /**
   * The owner a test JVM gives its node: its closest ancestor that is not a shell. Under surefire
   * that is Maven (surefire forks through {@code /bin/sh -c}), so the node lives as long as the build.
   */
  public static long defaultOwnerPid() {
    ProcessHandle self = ProcessHandle.current();
    Optional<ProcessHandle> p = self.parent();
    while (p.isPresent() && isShell(p.get())) p = p.get().parent();
    return p.filter(h -> h.pid() > 1).map(ProcessHandle::pid).orElse(self.pid());
  }

  private static boolean isShell(ProcessHandle h) {
    String command = h.info().command().orElse("");
    String name = command.substring(command.lastIndexOf('/') + 1);
    return List.of("sh", "dash", "bash", "zsh", "ash").contains(name);
  }

  /**
   * Returns the node of this directory when it answers CQL, or starts a fresh one and waits for it.
   *
   * @throws IllegalStateException when it does not answer within {@code timeout}; names the log
   */
  public ContactPoint startOrReuse(Duration timeout, long ownerPid) {
    return underLock(
        () -> {
          Optional<NodeConfig> running = runningConfig();
          if (running.isPresent()) return contactPoint(running.get());
          killRecorded();
          deleteRecursively(dir.resolve("data"));
          int nativePort = freePort(preferredNativePort);
          NodeConfig config =
              new NodeConfig(dir, HOST, nativePort, freePort(0), freePort(0), heap, durableSchema, syncCommitLog);
          return launch(config, timeout, ownerPid);
        });
  }

  /**
   * Starts the node again on its previous ports and data, after {@link #stop} or {@link #kill}.
   *
   * @throws IllegalStateException when it was never started here, or does not come back in time
   */
  public ContactPoint restart(Duration timeout, long ownerPid) {
    return underLock(
        () -> {
          Optional<NodeConfig> running = runningConfig();
          if (running.isPresent()) return contactPoint(running.get());
          NodeConfig previous =
              readState()
                  .map(this::configOf)
                  .orElseThrow(() -> new IllegalStateException("no node was started in " + dir));
          return launch(previous, timeout, ownerPid);
        });
  }

  /** Whether this directory's node is running and answers CQL now. */
  public boolean isAnswering() {
    return runningConfig().isPresent();
  }

  /** Stops the node politely (SIGTERM), then forcibly after 20 s. A no-op when it is not running. */
  public void stop() {
    recordedProcess()
        .ifPresent(
            p -> {
              p.destroy();
              if (!waitForExit(p, Duration.ofSeconds(20))) {
                p.destroyForcibly();
                waitForExit(p, Duration.ofSeconds(10));
              }
            });
  }

  /** Kills the node at once (SIGKILL), as a crash would. A no-op when it is not running. */
  public void kill() {
    killRecorded();
  }

  // ---------------------------------------------------------------------------------------------

  private ContactPoint launch(NodeConfig config, Duration timeout, long ownerPid) throws IOException {
    config.writeFiles();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(config.jvmArguments(classpath(), ownerPid));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(config.stdoutLog().toFile()))
            .start();
    writeState(config, process.pid(), ownerPid);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Cassandra test node exited with code " + process.exitValue() + " before answering CQL on "
                + config.host() + ':' + config.nativePort() + "; see " + config.systemLog() + " and "
                + config.stdoutLog() + tail(config));
      }
      if (CqlPing.answers(config.host(), config.nativePort())) return contactPoint(config);
      sleep(250);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the Cassandra test node did not answer CQL on " + config.host() + ':' + config.nativePort()
            + " within " + timeout.toSeconds() + " s; see " + config.systemLog() + " and "
            + config.stdoutLog() + tail(config));
  }

  private String classpath() throws IOException {
    if (!Files.isRegularFile(serverClasspathFile)) {
      throw new IllegalStateException(
          "the Cassandra server classpath " + serverClasspathFile + " is missing; build it with"
              + " ./mvnw -pl cassandra-testnode/classpath generate-resources");
    }
    String server = Files.readString(serverClasspathFile, StandardCharsets.UTF_8).trim();
    return ownLocation() + File.pathSeparator + server;
  }

  /**
   * A directory holding only {@link NodeMain}'s class file, for the forked JVM's classpath. Not this
   * module's jar or classes: when we run from a shaded jar (benchmarks), that would put our own
   * dependencies in front of Cassandra's. NodeMain uses only the JDK, so its one class file suffices.
   */
  private String ownLocation() throws IOException {
    String file = NodeMain.class.getName().replace('.', '/') + ".class";
    Path target = dir.resolve("bootstrap").resolve(file);
    Files.createDirectories(target.getParent());
    try (var in = NodeMain.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) throw new IllegalStateException("cannot find " + file + " on the classpath");
      Files.write(target, in.readAllBytes());
    }
    return dir.resolve("bootstrap").toString();
  }

  private ContactPoint contactPoint(NodeConfig config) {
    return new ContactPoint(config.host(), config.nativePort(), ContactPoint.DEFAULT_DATACENTER);
  }

  private Optional<NodeConfig> runningConfig() {
    Optional<Properties> state = readState();
    if (state.isEmpty() || recordedProcess().isEmpty()) return Optional.empty();
    NodeConfig config = configOf(state.get());
    return CqlPing.answers(config.host(), config.nativePort()) ? Optional.of(config) : Optional.empty();
  }

  private NodeConfig configOf(Properties p) {
    return new NodeConfig(
        dir,
        p.getProperty("host"),
        Integer.parseInt(p.getProperty("nativePort")),
        Integer.parseInt(p.getProperty("storagePort")),
        Integer.parseInt(p.getProperty("jmxPort")),
        heap,
        durableSchema,
        syncCommitLog);
  }

  /** The recorded node process, only while alive and recognisably ours (pids get reused). */
  private Optional<ProcessHandle> recordedProcess() {
    return readState()
        .map(p -> Long.parseLong(p.getProperty("pid")))
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(h -> isOurs(h));
  }

  private boolean isOurs(ProcessHandle h) {
    String marker = "-D" + NodeConfig.MARKER_PROPERTY + "=" + dir;
    return h.info().arguments().map(a -> a.length > 0 && a[0].equals(marker)).orElse(false)
        || h.info().commandLine().map(c -> c.contains(marker)).orElse(false);
  }

  private void killRecorded() {
    recordedProcess()
        .ifPresent(
            p -> {
              p.destroyForcibly();
              waitForExit(p, Duration.ofSeconds(20));
            });
  }

  private Optional<Properties> readState() {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.isRegularFile(file)) return Optional.empty();
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return Optional.of(p);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void writeState(NodeConfig c, long pid, long ownerPid) throws IOException {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("ownerPid", Long.toString(ownerPid));
    p.setProperty("host", c.host());
    p.setProperty("nativePort", Integer.toString(c.nativePort()));
    p.setProperty("storagePort", Integer.toString(c.storagePort()));
    p.setProperty("jmxPort", Integer.toString(c.jmxPort()));
    try (var out = Files.newBufferedWriter(dir.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
      p.store(out, "tracestore test node; the node halts when ownerPid exits");
    }
    Files.writeString(dir.resolve(PID_FILE), pid + "\n", StandardCharsets.UTF_8);
  }

  /** The running node's process, for measuring its CPU time; empty when it is not running. */
  public Optional<ProcessHandle> process() {
    return recordedProcess();
  }

  /** The JMX port of the running node (for nodetool), or empty. */
  public Optional<Integer> jmxPort() {
    return readState().map(p -> Integer.parseInt(p.getProperty("jmxPort")));
  }

  /**
   * Runs Cassandra's {@code nodetool} against this node (over JMX, with the JDK 17 module flags the
   * server needs too) and returns its output.
   *
   * @throws IllegalStateException when it fails or takes more than 10 minutes
   */
  public String nodetool(String... arguments) {
    NodeConfig config = readState().map(this::configOf).orElseThrow(() -> new IllegalStateException("no node in " + dir));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(config.toolJvmArguments(serverClasspath()));
    command.add("org.apache.cassandra.tools.NodeTool");
    command.addAll(List.of("-h", config.host(), "-p", Integer.toString(config.jmxPort())));
    command.addAll(List.of(arguments));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("nodetool " + String.join(" ", arguments) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running nodetool", e);
    }
  }

  /** The server classpath, for running Cassandra's own tools such as nodetool. */
  public String serverClasspath() {
    try {
      return Files.readString(serverClasspathFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface LockedAction<T> {
    T run() throws IOException;
  }

  private <T> T underLock(LockedAction<T> action) {
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
              FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return action.run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot manage the Cassandra test node in " + dir, e);
    }
  }

  private static int freePort(int preferred) throws IOException {
    if (preferred > 0) {
      try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getByName(HOST))) {
        s.setReuseAddress(true);
        return preferred;
      } catch (IOException taken) {
        // fall through to any free port
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private static String tail(NodeConfig config) {
    for (Path log : List.of(config.stdoutLog(), config.systemLog())) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
        if (!last.isEmpty()) return "\nlast lines of " + log + ":\n  " + String.join("\n  ", last);
      } catch (IOException | UncheckedIOException e) {
        // try the next log
      }
    }
    return "";
  }

  private static boolean waitForExit(ProcessHandle p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (p.isAlive() && System.nanoTime() < deadline) sleep(100);
    return !p.isAlive();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while managing the Cassandra test node", e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** {@code start|stop|status [dir]}; start prints host:port and keeps the node until this shell exits. */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: NodeLauncher start|stop|status [node dir]");
      System.exit(2);
    }
    NodeLauncher launcher =
        args.length > 1 ? dedicated(Path.of(args[1]), "1G") : shared();
    switch (args[0]) {
      case "start" -> {
        // owned by the calling shell: the node stops when that shell (or terminal) exits
        long owner = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        ContactPoint cp = launcher.startOrReuse(Duration.ofMinutes(3), owner);
        System.out.println(cp.host() + ":" + cp.port());
      }
      case "stop" -> launcher.stop();
      case "status" -> {
        boolean up = launcher.isAnswering();
        System.out.println(up ? "answering" : "not running");
        System.exit(up ? 0 : 1);
      }
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }
}
