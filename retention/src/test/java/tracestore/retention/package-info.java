/** Retention tests over a generated dataset with known answers, on SQLite and PostgreSQL. */
package tracestore.retention;
