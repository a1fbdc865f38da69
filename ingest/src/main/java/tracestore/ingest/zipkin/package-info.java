/** Zipkin v2 decoding: JSON and proto3 span lists, through zipkin2's own codecs, into the span model. */
package tracestore.ingest.zipkin;
