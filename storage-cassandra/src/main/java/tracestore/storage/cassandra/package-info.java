/**
 * The Apache Cassandra backend: {@link tracestore.storage.cassandra.CassandraStorage} and its builder
 * are the only public types; statements, the writer, the reader and the search are package-private.
 */
package tracestore.storage.cassandra;
