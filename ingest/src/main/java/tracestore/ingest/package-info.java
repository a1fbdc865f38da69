/**
 * Ingest: the {@link tracestore.ingest.IngestService} entry point that receives OTLP and Zipkin
 * spans over HTTP and gRPC, decodes and validates them, and acknowledges each request only after
 * the write pipeline stored all its spans.
 */
package tracestore.ingest;
