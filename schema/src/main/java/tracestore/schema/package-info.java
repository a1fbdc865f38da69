/**
 * Versioned schema migrations: numbered scripts shipped as resources, and the migrators that apply
 * them, record each applied version with its checksum, and refuse a database that is newer than the
 * code or whose applied scripts were edited.
 */
package tracestore.schema;
