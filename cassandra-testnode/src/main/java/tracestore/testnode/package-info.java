/**
 * A real, single Cassandra node for tests and local use, forked from the server classpath that the
 * build resolved, plus the JUnit 5 extension that hands each test class a contact point and a keyspace.
 */
package tracestore.testnode;
