/**
 * The tracestore server: an immutable {@link tracestore.server.ServerConfig} built from flags,
 * environment and a file, and {@link tracestore.server.Wiring}, which constructs the chosen storage,
 * ingest, query, health and metrics from it with plain constructors.
 */
package tracestore.server;
