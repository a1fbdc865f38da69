/**
 * The JDBC backend: PostgreSQL (daily partitions, HikariCP, pgjdbc) and the embedded SQLite default
 * behind one small {@code Dialect} seam. Only {@link tracestore.storage.jdbc.JdbcStorage} and its
 * builder are public; statements, binders and caches are package-private.
 */
package tracestore.storage.jdbc;
