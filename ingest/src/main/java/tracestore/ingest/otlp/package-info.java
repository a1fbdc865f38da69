/**
 * OTLP decoding: {@code ExportTraceServiceRequest} as protobuf or as OTLP/JSON into the span model,
 * with per-span validation and the OTLP response with its {@code partial_success}.
 */
package tracestore.ingest.otlp;
