package tracestore.testnode;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a {@link TestKeyspace}: a contact point of a real Cassandra node plus a keyspace
 * name of its own (shared by its {@code @Nested} classes). Use with {@code
 * @ExtendWith(CassandraExtension.class)} and a {@code TestKeyspace} parameter in a {@code @BeforeAll},
 * constructor or test method.
 *
 * <p>The node is {@code TRACESTORE_TEST_CASSANDRA} (host:port) when set, else a Testcontainers node
 * where Docker exists, else the build's shared forked node (started on first use, reused by every test
 * JVM of the build, and stopped when the build ends). When no node can be had, the test fails under
 * {@code CI=true} and is aborted (skipped) otherwise.
 */
public final class CassandraExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CassandraExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    keyspaceOf(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKeyspace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return keyspaceOf(context);
  }

  private static TestKeyspace keyspaceOf(ExtensionContext context) {
    ExtensionContext top = outermostClass(context);
    Class<?> testClass = top.getRequiredTestClass();
    return top.getStore(NAMESPACE)
        .computeIfAbsent(testClass, c -> forClass(testClass), TestKeyspace.class);
  }

  private static TestKeyspace forClass(Class<?> testClass) {
    TestKeyspace node;
    try {
      node = NodeSource.get();
    } catch (RuntimeException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw e;
      Assumptions.abort("no Cassandra node (set CI=true to fail instead): " + e.getMessage());
      throw e; // not reached
    }
    return new TestKeyspace(node.contactPoint(), keyspaceName(testClass), node.origin());
  }

  private static ExtensionContext outermostClass(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getParent().isPresent() && c.getParent().get().getTestClass().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  /** {@code t_<class name>_<random>}: lower case, [a-z0-9_], at most 48 characters as CQL requires. */
  static String keyspaceName(Class<?> testClass) {
    String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (name.length() > 32) name = name.substring(0, 32);
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    return "t_" + name + "_" + suffix;
  }
}
