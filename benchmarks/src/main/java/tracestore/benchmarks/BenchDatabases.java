package tracestore.benchmarks;

/** Where the benchmarks find their databases: the same variable and default as the tests. */
final class BenchDatabases {
  private BenchDatabases() {}

  /** {@code TRACESTORE_TEST_PG_URL}, defaulting to the machine's local PostgreSQL. */
  static String postgresUrl() {
    return System.getenv().getOrDefault(
        "TRACESTORE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }
}
