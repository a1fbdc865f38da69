/**
 * The write pipeline: a byte-bounded queue, a batcher that flushes by span count, bytes or time, and
 * bounded-concurrency writes with retries, which completes each request only once all its spans
 * are durable, or fails it as a whole.
 */
package tracestore.ingest.pipeline;
