/**
 * Retention: aggregates each closed hour of raw spans into rollups, dependency links and exemplar
 * traces, answers stats from them, and deletes raw data only once it is aggregated.
 */
package tracestore.retention;
