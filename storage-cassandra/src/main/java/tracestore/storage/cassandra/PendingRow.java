package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;

/**
 * One row to write and the partition it lands in, so rows of one partition can share an unlogged
 * batch.
 *
 * @param table the table, since equal partition keys of different tables are different partitions
 * @param partition a value equal for rows of the same partition of {@code table}
 * @param statement the bound insert
 */
record PendingRow(String table, Object partition, BoundStatement statement) {
  PartitionRef ref() {
    return new PartitionRef(table, partition);
  }

  record PartitionRef(String table, Object partition) {}
}
