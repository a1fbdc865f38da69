package tracestore.testnode;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's root directory and the server classpath file the build resolved there. */
final class BuildPaths {
  /** System property that names the project root; otherwise found by walking up from user.dir. */
  static final String ROOT_PROPERTY = "tracestore.rootDir";

  private static final String CLASSPATH_MODULE = "cassandra-testnode/classpath";
  private static final String CLASSPATH_FILE = "target/cassandra-server.classpath";

  private BuildPaths() {}

  static Path root() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath();
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(CLASSPATH_MODULE).resolve("pom.xml"))) return p;
    }
    throw new IllegalStateException(
        "cannot find the tracestore root above " + start + " (looked for " + CLASSPATH_MODULE
            + "/pom.xml); set -D" + ROOT_PROPERTY + "=<root>");
  }

  static Path serverClasspathFile(Path root) {
    return root.resolve(CLASSPATH_MODULE).resolve(CLASSPATH_FILE);
  }

  /** The directory of the node shared by a whole build (and by local use). */
  static Path sharedNodeDir(Path root) {
    return root.resolve("target").resolve("cassandra-node");
  }
}
