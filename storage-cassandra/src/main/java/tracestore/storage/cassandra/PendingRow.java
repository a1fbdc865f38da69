package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;

/**
 * One row to write and the partition key it lands in, so rows with the same key can share an
 * unlogged batch.
 *
 * <p>Cassandra applies the rows of one keyspace that have the same partition key as one mutation,
 * even across tables. So {@code partitionKey} is equal exactly for rows whose partition key values
 * are equal: the three index tables all use {@link ServiceHour}; other tables use a {@link
 * TableKey}, which keeps them apart.
 *
 * @param partitionKey the partition key's values, as a value object
 * @param statement the bound insert
 */
record PendingRow(Object partitionKey, BoundStatement statement) {
  /** The partition key of a table that shares its key with no other table the writer batches. */
  record TableKey(String table, Object key) {}

  static PendingRow of(String table, Object key, BoundStatement statement) {
    return new PendingRow(new TableKey(table, key), statement);
  }
}
