/**
 * The HTTP query API: Zipkin v2 compatible endpoints (also under {@code /zipkin/api/v2}), Zipkin's
 * UI, and the native analysis API, all registered on a caller's Armeria server by {@link
 * tracestore.query.QueryService}.
 */
package tracestore.query;
