package tracestore.testnode;

/**
 * What a test class gets from {@link CassandraExtension}: where Cassandra answers, and a keyspace name
 * of its own. The keyspace is not created: the code under test (usually the schema migrator) creates
 * it, so tests also cover that step.
 *
 * @param contactPoint where the node answers CQL
 * @param keyspace a valid, unused keyspace name, unique to the test class within this JVM
 * @param origin how the node was found: {@code env}, {@code testcontainers} or {@code forked}
 */
public record TestKeyspace(ContactPoint contactPoint, String keyspace, String origin) {}
