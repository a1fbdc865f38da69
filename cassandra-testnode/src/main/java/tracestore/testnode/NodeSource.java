package tracestore.testnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;

/**
 * Finds the one Cassandra node of this JVM, once: {@code TRACESTORE_TEST_CASSANDRA} when set, a
 * Testcontainers node where a Docker engine exists, otherwise the build's shared forked node. The
 * outcome, failure included, is remembered, so every test class sees the same answer quickly.
 */
final class NodeSource {
  static final String ENV = "TRACESTORE_TEST_CASSANDRA";
  static final String IMAGE = "cassandra:5.0";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private static TestKeyspace node;
  private static RuntimeException failure;
  private static CassandraContainer container;

  private NodeSource() {}

  /** A contact point with an empty keyspace name; callers add their own. */
  static synchronized TestKeyspace get() {
    if (node != null) return node;
    if (failure != null) throw failure;
    try {
      node = find();
      return node;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private static TestKeyspace find() {
    String configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      ContactPoint cp = ContactPoint.parse(configured.trim());
      if (!CqlPing.answers(cp.host(), cp.port())) {
        throw new IllegalStateException(ENV + "=" + configured + " does not answer CQL");
      }
      return new TestKeyspace(cp, "", "env");
    }
    if (dockerAvailable()) {
      container = new CassandraContainer(IMAGE);
      container.start();
      var address = container.getContactPoint();
      return new TestKeyspace(
          new ContactPoint(address.getHostString(), address.getPort(), container.getLocalDatacenter()),
          "",
          "testcontainers");
    }
    ContactPoint cp = NodeLauncher.shared().startOrReuse(START_TIMEOUT, NodeLauncher.defaultOwnerPid());
    return new TestKeyspace(cp, "", "forked");
  }

  private static boolean dockerAvailable() {
    // Asking Testcontainers costs little but logs an ERROR with no engine; look for one first.
    boolean hint =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
            || (System.getenv("XDG_RUNTIME_DIR") != null
                && Files.exists(Path.of(System.getenv("XDG_RUNTIME_DIR"), "docker.sock")));
    if (!hint) return false;
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
