package tracestore.storage.jdbc;

/**
 * A row of one of the name tables (what autocomplete and listings read). Cached in-process by
 * {@link NameCache} so the same name is not rewritten every batch.
 *
 * @param a service (or tag key)
 * @param b operation, remote service or tag value; empty for services
 * @param kind span kind ordinal for operations, else 0
 */
record Name(Type type, String a, String b, int kind) {
  /** The order names are inserted in, so concurrent transactions lock them in the same order. */
  static final java.util.Comparator<Name> ORDER = java.util.Comparator.comparing(Name::type)
      .thenComparing(Name::a).thenComparing(Name::b).thenComparingInt(Name::kind);

  enum Type {
    SERVICE("service_names (service)", 1),
    OPERATION("operation_names (service, operation, kind)", 3),
    REMOTE_SERVICE("remote_service_names (service, remote_service)", 2),
    TAG("tag_names (tag_key, tag_value)", 2);

    final String tableAndColumns;
    final int columns;

    Type(String tableAndColumns, int columns) {
      this.tableAndColumns = tableAndColumns;
      this.columns = columns;
    }
  }

  /** Approximate heap cost in bytes, for the cache's byte bound. */
  int weight() {
    return 64 + 2 * (a.length() + b.length());
  }
}
