package tracestore.storage.cassandra;

/**
 * The partition key {@code (service, bucket)} shared by {@code service_index}, {@code
 * operation_index} and {@code service_tag_index}: one service and one hour. Rows of the three tables
 * with equal keys go out as one single-partition-key batch (one mutation on the node).
 */
record ServiceHour(String service, int bucket) {}
